"""Reads of single sign-on configuration: every list and lookup by organization, except sign-in's own routing."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from accounts.models import Organization
from sso.models import EmailDomain, IdentityProvider, ScimToken, SsoSession


def identity_provider_list(*, organization: Organization) -> QuerySet[IdentityProvider]:
    return IdentityProvider.objects.filter(organization=organization).prefetch_related("sp_keys").order_by("created_at")


def identity_provider_get(*, organization: Organization, provider_id: uuid.UUID | str) -> IdentityProvider | None:
    try:
        return identity_provider_list(organization=organization).filter(pk=provider_id).first()
    except (ValueError, TypeError):
        return None


def domain_list(*, organization: Organization) -> QuerySet[EmailDomain]:
    return EmailDomain.objects.filter(organization=organization).order_by("domain")


def domain_get(*, organization: Organization, domain_id: uuid.UUID | str) -> EmailDomain | None:
    try:
        return domain_list(organization=organization).filter(pk=domain_id).first()
    except (ValueError, TypeError):
        return None


def scim_token_list(*, organization: Organization) -> QuerySet[ScimToken]:
    return ScimToken.objects.filter(organization=organization).order_by("-created_at")


def scim_token_get(*, organization: Organization, token_id: uuid.UUID | str) -> ScimToken | None:
    try:
        return scim_token_list(organization=organization).filter(pk=token_id).first()
    except (ValueError, TypeError):
        return None


# -- sign-in (no organization yet: the provider's id or the verified domain names it) -------------
def provider_for_sign_in(*, provider_id: uuid.UUID | str) -> IdentityProvider | None:
    """An enabled provider by id, as the SAML endpoints (metadata, ACS, SLS) name it."""
    return (
        IdentityProvider.objects.filter(pk=provider_id, enabled=True)
        .select_related("organization")
        .prefetch_related("sp_keys")
        .first()
    )


def provider_for_email(*, email: str) -> IdentityProvider | None:
    """Home-realm discovery: the enabled provider a *verified* domain of the email routes to, or None."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    claimed = (
        EmailDomain.objects.filter(domain__iexact=domain, verified_at__isnull=False, identity_provider__enabled=True)
        .select_related("identity_provider")
        .first()
    )
    return claimed.identity_provider if claimed is not None else None


def sso_session_of(*, session_key: str) -> SsoSession | None:
    return SsoSession.objects.filter(session_key=session_key, ended_at__isnull=True).select_related("identity_provider").first()
