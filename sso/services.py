"""Writes of single sign-on: identity providers, claimed domains, the SP's keys, and sign-ins with provisioning.

Every service runs in one transaction and records an audit entry (ADR 0021). Nothing here is a webhook event:
configuration and sign-ins publish nothing to the outbox.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import requests
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from accounts.models import Membership, Organization, User
from accounts.roles import Role
from core import audit, locks
from core import secrets as core_secrets
from core.audit import Actor
from core.errors import DomainError
from sso import errors, metadata
from sso.keys import new_key_pair, pem_body
from sso.models import EmailDomain, IdentityProvider, Protocol, SamlRequest, SeenAssertion, SpKey, SpKeyState, SsoSession

PROVIDER_FIELDS = (
    "name",
    "enabled",
    "idp_entity_id",
    "sso_url",
    "slo_url",
    "signing_certificates",
    "allow_idp_initiated",
    "issuer",
    "client_id",
    "email_attribute",
    "first_name_attribute",
    "last_name_attribute",
    "groups_attribute",
    "role_mapping",
    "default_role",
    "jit_provisioning",
    "metadata_url",
)
# What a write stores: the configuration, and when the metadata URL was last read (set by the services only).
STORED_FIELDS = (*PROVIDER_FIELDS, "metadata_fetched_at")

# The strongest role first: a member in several mapped groups holds the strongest of their roles.
ROLE_STRENGTH = (Role.OWNER, Role.ADMIN, Role.FINANCE, Role.EDITOR, Role.CHECKIN, Role.VIEWER)


def _invalid(target: str, message: str) -> DomainError:
    return DomainError(errors.IDENTITY_PROVIDER_INVALID, details=message, target=target)


def _check_provider(provider: IdentityProvider) -> None:
    if provider.protocol == Protocol.SAML:
        for field in ("idp_entity_id", "sso_url"):
            if not getattr(provider, field):
                raise _invalid(field, f"A SAML provider needs {field}.")
        if not provider.signing_certificates:
            raise _invalid("signing_certificates", "A SAML provider needs the IdP's signing certificate.")
    else:
        for field in ("issuer", "client_id", "client_secret"):
            if not getattr(provider, field):
                raise _invalid(field, f"An OpenID Connect provider needs {field}.")
    unknown_roles = sorted({str(r) for r in provider.role_mapping.values()} - set(Role.values))
    if unknown_roles:
        raise _invalid("role_mapping", f"Unknown roles: {', '.join(unknown_roles)}.")


def _unreadable(details: str, target: str) -> DomainError:
    return DomainError(errors.IDENTITY_PROVIDER_METADATA_UNREADABLE, details=details[:300], target=target)


def _check_metadata_document(xml: str, certificates: list[str], *, target: str) -> None:
    """A metadata document's own claims: ``validUntil`` (SAML metadata 2.1.1) not passed, and a signature, where the
    document carries one, verifying with one of ``certificates`` (its own signing keys, and the provider's keys when it
    is read again). Raises IDENTITY_PROVIDER_METADATA_UNREADABLE."""
    root = OneLogin_Saml2_XML.to_etree(xml)
    valid_until = root.get("validUntil")
    if valid_until:
        try:
            until = OneLogin_Saml2_Utils.parse_SAML_to_time(valid_until)
        except Exception:  # python3-saml raises a bare Exception for a time it cannot read
            raise _unreadable(f"validUntil {valid_until!r} is not a date and time.", target) from None
        if until < time.time():
            raise _unreadable(f"The document expired (validUntil {valid_until}); the IdP publishes a newer one.", target)
    signatures = root.findall(f"{{{OneLogin_Saml2_Constants.NS_DS}}}Signature") + root.findall(
        f"{{{OneLogin_Saml2_Constants.NS_MD}}}IDPSSODescriptor/{{{OneLogin_Saml2_Constants.NS_DS}}}Signature"
    )
    if signatures and not any(
        OneLogin_Saml2_Utils.validate_metadata_sign(xml, cert=OneLogin_Saml2_Utils.format_cert(pem_body(c)))
        for c in dict.fromkeys(certificates)
    ):
        raise _unreadable("The document is signed, and the signature does not verify (it was changed after signing).", target)


def idp_metadata_fields(xml: str, *, trusted: list[str] | tuple[str, ...] = (), target: str = "metadata_xml") -> dict[str, Any]:
    """The provider fields a SAML IdP's metadata document gives: entity id, SSO and SLO URLs (HTTP-Redirect), signing
    certificates. An expired document, or a signed one whose signature does not verify (with its own signing keys or
    ``trusted``), is refused. Raises IDENTITY_PROVIDER_METADATA_UNREADABLE."""
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml).get("idp") or {}
    except Exception as exc:  # lxml's and defusedxml's errors alike: the document is not metadata
        raise _unreadable(str(exc), target) from None
    certs = parsed.get("x509certMulti", {}).get("signing") or ([parsed["x509cert"]] if parsed.get("x509cert") else [])
    if not parsed.get("entityId") or not parsed.get("singleSignOnService", {}).get("url") or not certs:
        raise _unreadable(
            "The document has no IDPSSODescriptor with an HTTP-Redirect SingleSignOnService and a signing key.", target
        )
    _check_metadata_document(xml, [*certs, *trusted], target=target)
    fields: dict[str, Any] = {
        "idp_entity_id": parsed["entityId"],
        "sso_url": parsed["singleSignOnService"]["url"],
        "signing_certificates": list(certs),
    }
    if parsed.get("singleLogoutService", {}).get("url"):
        fields["slo_url"] = parsed["singleLogoutService"]["url"]
    return fields


def metadata_from_url(url: str, *, trusted: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """The provider fields of the metadata document at ``url`` (``sso.metadata.fetch``, then ``idp_metadata_fields``),
    with ``metadata_url`` and ``metadata_fetched_at``. Called before any transaction: a network call holds no lock.
    Raises IDENTITY_PROVIDER_METADATA_UNREACHABLE, IDENTITY_PROVIDER_METADATA_UNREADABLE."""
    try:
        xml = metadata.fetch(url)
    except metadata.Unreachable as exc:
        raise DomainError(errors.IDENTITY_PROVIDER_METADATA_UNREACHABLE, details=str(exc)[:300], target="metadata_url") from None
    fields = idp_metadata_fields(xml, trusted=trusted, target="metadata_url")
    return {**fields, "metadata_url": url, "metadata_fetched_at": timezone.now()}


def _with_metadata(data: dict[str, Any], trusted: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    if data.get("metadata_xml"):
        data = {**data, **idp_metadata_fields(data["metadata_xml"], trusted=trusted)}
    if data.get("metadata_url"):
        data = {**data, **metadata_from_url(data["metadata_url"], trusted=trusted)}
    elif "metadata_url" in data:  # no longer read from a URL
        data = {**data, "metadata_url": "", "metadata_fetched_at": None}
    return data


AUDITED_FIELDS = tuple(f for f in PROVIDER_FIELDS if f != "signing_certificates")


def identity_provider_create(*, actor: Actor, organization: Organization, data: dict[str, Any]) -> IdentityProvider:
    """Add an identity provider to ``organization`` (a SAML one gets the platform's first key pair for it).

    Audited ``identity_provider.created``. Raises IDENTITY_PROVIDER_INVALID for an incomplete configuration.
    """
    data = _with_metadata(data)
    fields = {k: v for k, v in data.items() if k in STORED_FIELDS}
    provider = IdentityProvider(organization=organization, protocol=data["protocol"], **fields)
    if data.get("client_secret"):
        provider.client_secret = core_secrets.encrypt(data["client_secret"])
    _check_provider(provider)
    with transaction.atomic():
        provider.save()
        if provider.protocol == Protocol.SAML:
            _new_sp_key(provider)
        audit.record(
            actor=actor,
            action="identity_provider.created",
            target=provider,
            organization_id=organization.pk,
            changes=audit.snapshot(provider, AUDITED_FIELDS),
        )
    return provider


def identity_provider_update(*, actor: Actor, provider: IdentityProvider, data: dict[str, Any]) -> IdentityProvider:
    """Change an identity provider (the protocol stays; ``metadata_xml`` replaces the IdP's endpoints and certificates).

    Locks its row (bounded). Audited ``identity_provider.updated``. Raises IDENTITY_PROVIDER_INVALID,
    IDENTITY_PROVIDER_METADATA_UNREADABLE.
    """
    data = _with_metadata(data, trusted=provider.signing_certificates)
    with transaction.atomic(), locks.bounded():
        locked = IdentityProvider.objects.select_for_update().get(pk=provider.pk)
        before = audit.snapshot(locked, AUDITED_FIELDS)
        for field, value in data.items():
            if field in STORED_FIELDS:
                setattr(locked, field, value)
        if data.get("client_secret"):
            locked.client_secret = core_secrets.encrypt(data["client_secret"])
        _check_provider(locked)
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked, AUDITED_FIELDS))
        audit.record(
            actor=actor,
            action="identity_provider.updated",
            target=locked,
            organization_id=locked.organization_id,
            changes=changes,
        )
    return locked


def identity_provider_refresh_metadata(*, actor: Actor, provider: IdentityProvider) -> IdentityProvider:
    """Read the provider's metadata URL again (the IdP rotated its signing key, moved an endpoint): the entity id, URLs
    and certificates are replaced by the document's. A signed document must verify with its own or the provider's
    current keys. Raises IDENTITY_PROVIDER_INVALID when the provider has no metadata URL, and what
    ``identity_provider_update`` raises."""
    if not provider.metadata_url:
        raise _invalid("metadata_url", "This provider's metadata is not read from a URL.")
    return identity_provider_update(actor=actor, provider=provider, data={"metadata_url": provider.metadata_url})


def identity_provider_delete(*, actor: Actor, provider: IdentityProvider) -> None:
    """Remove an identity provider; its domains stay claimed (routing nowhere). Audited ``identity_provider.deleted``."""
    with transaction.atomic():
        audit.record(actor=actor, action="identity_provider.deleted", target=provider, organization_id=provider.organization_id)
        provider.delete()


def _new_sp_key(provider: IdentityProvider) -> SpKey:
    cert, key = new_key_pair(f"{provider.organization.slug} SAML SP")
    return SpKey.objects.create(identity_provider=provider, certificate=cert, private_key=core_secrets.encrypt(key))


def sp_key_rotate(*, actor: Actor, provider: IdentityProvider, grace: dt.timedelta | None = None) -> SpKey:
    """Make a new key pair the provider's active one; the old one stays published (and decrypting) for ``grace``.

    Locks the provider's row (bounded), so two rotations cannot leave two active keys. Audited
    ``identity_provider.key_rotated``. Keys past their grace are retired here too.
    """
    grace = grace if grace is not None else dt.timedelta(days=settings.SSO_SP_KEY_GRACE_DAYS)
    now = timezone.now()
    with transaction.atomic(), locks.bounded():
        IdentityProvider.objects.select_for_update().filter(pk=provider.pk).first()
        SpKey.objects.filter(identity_provider=provider, state=SpKeyState.PREVIOUS, retire_after__lte=now).update(
            state=SpKeyState.RETIRED
        )
        SpKey.objects.filter(identity_provider=provider, state=SpKeyState.ACTIVE).update(
            state=SpKeyState.PREVIOUS, retire_after=now + grace
        )
        key = _new_sp_key(provider)
        audit.record(
            actor=actor,
            action="identity_provider.key_rotated",
            target=provider,
            organization_id=provider.organization_id,
            changes={"key": str(key.pk), "previous_until": (now + grace).isoformat()},
        )
    return key


# -- email domains ---------------------------------------------------------------------------
def domain_claim(
    *, actor: Actor, organization: Organization, domain: str, identity_provider: IdentityProvider | None
) -> EmailDomain:
    """Claim ``domain`` for ``organization`` with a fresh verification token; it routes nobody until verified.

    Raises EMAIL_DOMAIN_TAKEN when this organization claims it already or another verified it. Audited
    ``email_domain.claimed``.
    """
    domain = domain.strip().lower().rstrip(".")
    if EmailDomain.objects.filter(domain__iexact=domain, verified_at__isnull=False).exclude(organization=organization).exists():
        raise DomainError(errors.EMAIL_DOMAIN_TAKEN, target="domain")
    try:
        with transaction.atomic():
            claimed = EmailDomain.objects.create(
                organization=organization,
                domain=domain,
                identity_provider=identity_provider,
                verification_token=f"emp-domain-verification={secrets.token_urlsafe(24)}",
            )
            audit.record(
                actor=actor,
                action="email_domain.claimed",
                target=claimed,
                organization_id=organization.pk,
                changes={"domain": domain},
            )
    except IntegrityError:
        raise DomainError(errors.EMAIL_DOMAIN_TAKEN, target="domain") from None
    return claimed


def domain_route(*, actor: Actor, domain: EmailDomain, identity_provider: IdentityProvider | None) -> EmailDomain:
    """Send the domain's sign-ins to ``identity_provider`` (of the same organization). Audited ``email_domain.updated``."""
    with transaction.atomic():
        before = domain.identity_provider_id
        domain.identity_provider = identity_provider
        domain.save(update_fields=["identity_provider", "updated_at"])
        audit.record(
            actor=actor,
            action="email_domain.updated",
            target=domain,
            organization_id=domain.organization_id,
            changes={"identity_provider": {"from": str(before), "to": str(identity_provider.pk if identity_provider else None)}},
        )
    return domain


def verification_url(domain: EmailDomain) -> str:
    return str(settings.SSO_DOMAIN_VERIFICATION_URL).format(domain=domain.domain)


def _token_published(domain: EmailDomain) -> bool:
    """Whether the domain serves its token at ``verification_url`` (one GET, no redirects off the domain)."""
    try:
        response = requests.get(verification_url(domain), timeout=settings.SSO_HTTP_TIMEOUT, allow_redirects=False)
    except requests.RequestException:
        return False
    return response.status_code == 200 and domain.verification_token in response.text[:4096]


def domain_verify(*, actor: Actor, domain: EmailDomain) -> EmailDomain:
    """Check the domain publishes its token, then mark it verified (the only thing that lets it route sign-ins).

    The check is made before the transaction (a network call holds no lock). Raises EMAIL_DOMAIN_NOT_VERIFIED
    when the token is not there, EMAIL_DOMAIN_TAKEN when another organization verified it first. Audited
    ``email_domain.verified``.
    """
    if domain.verified:
        return domain
    if not _token_published(domain):
        raise DomainError(errors.EMAIL_DOMAIN_NOT_VERIFIED, details=f"No token at {verification_url(domain)}.")
    try:
        with transaction.atomic():
            domain.verified_at = timezone.now()
            domain.save(update_fields=["verified_at", "updated_at"])
            audit.record(actor=actor, action="email_domain.verified", target=domain, organization_id=domain.organization_id)
    except IntegrityError:
        domain.verified_at = None
        raise DomainError(errors.EMAIL_DOMAIN_TAKEN, target="domain") from None
    return domain


def domain_delete(*, actor: Actor, domain: EmailDomain) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="email_domain.deleted",
            target=domain,
            organization_id=domain.organization_id,
            changes={"domain": domain.domain},
        )
        domain.delete()


# -- enforcement -----------------------------------------------------------------------------
def organization_enforce_sso(
    *, actor: Actor, organization: Organization, enforced: bool, break_glass: list[User] | None = None
) -> Organization:
    """Enforce (or stop enforcing) single sign-on; ``break_glass`` (owners) replaces the break-glass accounts if given.

    Locks the organization's row (bounded). Raises SSO_ENFORCE_WITHOUT_PROVIDER when enforcing would lock
    everyone out (no enabled provider behind a verified domain, or no break-glass owner); OWNER_ROLE_RESTRICTED
    (accounts) is the view's check. Audited ``organization.updated``.
    """
    with transaction.atomic(), locks.bounded():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if break_glass is not None:
            owners = Membership.objects.filter(organization=locked, role=Role.OWNER)
            owners.update(sso_break_glass=False)
            owners.filter(user__in=break_glass).update(sso_break_glass=True)
        if enforced:
            routed = EmailDomain.objects.filter(
                organization=locked, verified_at__isnull=False, identity_provider__enabled=True
            ).exists()
            glass = Membership.objects.filter(organization=locked, role=Role.OWNER, sso_break_glass=True).exists()
            if not (routed and glass):
                raise DomainError(errors.SSO_ENFORCE_WITHOUT_PROVIDER)
        if locked.enforce_sso != enforced or break_glass is not None:
            changes: dict[str, Any] = {"enforce_sso": {"from": locked.enforce_sso, "to": enforced}}
            if break_glass is not None:
                changes["sso_break_glass"] = sorted(u.email for u in break_glass)
            locked.enforce_sso = enforced
            locked.save(update_fields=["enforce_sso", "updated_at"])
            audit.record(actor=actor, action="organization.updated", target=locked, organization_id=locked.pk, changes=changes)
    return locked


# -- SAML exchanges --------------------------------------------------------------------------
def saml_request_record(*, provider: IdentityProvider, request_id: str, next_url: str) -> SamlRequest:
    """Remember an AuthnRequest the platform sent, for its response's ``InResponseTo``."""
    return SamlRequest.objects.create(identity_provider=provider, request_id=request_id, next_url=next_url[:500])


def saml_request_take(*, provider: IdentityProvider, request_id: str) -> SamlRequest | None:
    """The unused, recent AuthnRequest of this provider named ``request_id``, marked used (once only), or None."""
    oldest = timezone.now() - dt.timedelta(seconds=settings.SSO_REQUEST_LIFETIME_SECONDS)
    with transaction.atomic():
        taken = SamlRequest.objects.filter(
            identity_provider=provider, request_id=request_id, used_at__isnull=True, created_at__gte=oldest
        ).update(used_at=timezone.now())
        if not taken:
            return None
        return SamlRequest.objects.get(identity_provider=provider, request_id=request_id)


def assertion_accept_once(*, provider: IdentityProvider, assertion_id: str, not_on_or_after: dt.datetime | None) -> bool:
    """Record ``assertion_id`` in the replay cache; False if it was accepted before (a replay).

    Kept until the assertion would have expired anyway (at least ``SSO_REQUEST_LIFETIME_SECONDS``); expired
    entries are pruned here.
    """
    now = timezone.now()
    keep_until = max(not_on_or_after or now, now + dt.timedelta(seconds=settings.SSO_REQUEST_LIFETIME_SECONDS))
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(identity_provider=provider, assertion_id=assertion_id, expires_at=keep_until)
    except IntegrityError:
        return False
    SeenAssertion.objects.filter(expires_at__lt=now - dt.timedelta(minutes=5)).delete()
    return True


# -- sign-in, just-in-time provisioning --------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Identity:
    """Who the identity provider says signed in (from a SAML assertion or OIDC claims)."""

    email: str
    first_name: str = ""
    last_name: str = ""
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SignedIn:
    user: User
    membership: Membership
    created: bool


class SsoRefused(Exception):
    """A sign-in the platform does not accept (the reason is audited and shown without detail)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def mapped_role(provider: IdentityProvider, groups: tuple[str, ...]) -> str:
    roles = {str(provider.role_mapping[g]) for g in groups if g in provider.role_mapping}
    return next((r for r in ROLE_STRENGTH if r in roles), provider.default_role)


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def sso_sign_in(*, provider: IdentityProvider, identity: Identity, ip: str) -> SignedIn:
    """Accept ``identity`` from ``provider``: create the user and membership at the first sign-in (JIT), set names and
    the mapped role every time (a user who left the mapped groups loses their role; the last owner stays owner).

    The email's domain must be verified by the provider's organization and routed to this provider, so one
    organization's IdP cannot sign in another's users. Locks the membership row (bounded). Audited
    ``sso.user_provisioned``, ``member.role_changed`` (when it changes) and ``auth.sso_signed_in``. Raises
    SsoRefused.
    """
    email = identity.email.strip().lower()
    if "@" not in email:
        raise SsoRefused("no email address in the assertion")
    routed = EmailDomain.objects.filter(
        organization_id=provider.organization_id,
        domain__iexact=domain_of(email),
        verified_at__isnull=False,
        identity_provider=provider,
    ).exists()
    if not routed:
        raise SsoRefused("the email's domain is not verified for this identity provider")
    name = " ".join(p for p in (identity.first_name.strip(), identity.last_name.strip()) if p)[:200]
    role = mapped_role(provider, identity.groups)
    with transaction.atomic(), locks.bounded():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if user is None:
            if not provider.jit_provisioning:
                raise SsoRefused("unknown user and just-in-time provisioning is off")
            user = User.objects.create_user(email=email, password=None, name=name)
        elif not user.is_active:
            raise SsoRefused("the user is deactivated")
        elif name and user.name != name:
            user.name = name
            user.save(update_fields=["name", "updated_at"])
        # The identity provider vouches for the address on a domain its organization proved it owns.
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=email).exists()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": not has_primary})
        membership = Membership.objects.select_for_update().filter(organization_id=provider.organization_id, user=user).first()
        if membership is None:
            if not provider.jit_provisioning:
                raise SsoRefused("not a member and just-in-time provisioning is off")
            membership = Membership.objects.create(organization_id=provider.organization_id, user=user, role=role)
            audit.record(
                actor=user,
                action="sso.user_provisioned",
                target=membership,
                organization_id=provider.organization_id,
                changes={"user": email, "role": role, "user_created": created, "identity_provider": str(provider.pk)},
            )
        elif membership.role != role:
            last_owner = (
                membership.role == Role.OWNER
                and Membership.objects.filter(organization_id=provider.organization_id, role=Role.OWNER).count() == 1
            )
            if not last_owner:
                audit.record(
                    actor=user,
                    action="member.role_changed",
                    target=membership,
                    organization_id=provider.organization_id,
                    changes={"role": {"from": membership.role, "to": role}, "by": "identity_provider"},
                )
                membership.role = role
                membership.save(update_fields=["role", "updated_at"])
        audit.record(
            actor=user,
            action="auth.sso_signed_in",
            target=user,
            organization_id=provider.organization_id,
            changes={"identity_provider": str(provider.pk), "protocol": provider.protocol, "ip": ip},
        )
    return SignedIn(user=user, membership=membership, created=created)


def sso_session_record(
    *,
    provider: IdentityProvider,
    user: User,
    session_key: str,
    name_id: str,
    name_id_format: str,
    session_index: str,
    id_token: str = "",
) -> SsoSession:
    """Remember a browser session SSO opened (for single logout); an OpenID Connect ID token is kept encrypted, as the
    ``id_token_hint`` of the sign-out at the provider."""
    return SsoSession.objects.create(
        identity_provider=provider,
        user=user,
        session_key=session_key,
        name_id=name_id[:500],
        name_id_format=name_id_format[:200],
        session_index=session_index[:200],
        id_token=core_secrets.encrypt(id_token) if id_token else "",
    )


def end_browser_sessions(session_keys: list[str]) -> None:
    """Delete these sessions from whichever session store the platform runs on (SESSION_ENGINE)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store(session_key=key).delete()


def sso_sessions_end(*, provider: IdentityProvider, name_id: str, session_indexes: list[str]) -> int:
    """End the browser sessions the provider opened for ``name_id`` (IdP-initiated single logout); how many ended."""
    with transaction.atomic():
        open_sessions = SsoSession.objects.filter(identity_provider=provider, name_id=name_id, ended_at__isnull=True)
        if session_indexes:
            open_sessions = open_sessions.filter(session_index__in=session_indexes)
        rows = list(open_sessions)
        end_browser_sessions([r.session_key for r in rows])
        SsoSession.objects.filter(pk__in=[r.pk for r in rows]).update(ended_at=timezone.now())
        for row in rows:
            audit.record(
                actor=row.user,
                action="auth.sso_signed_out",
                target=row.user,
                organization_id=provider.organization_id,
                changes={"identity_provider": str(provider.pk), "by": "identity_provider"},
            )
    return len(rows)
