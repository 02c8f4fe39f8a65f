"""Sandboxes: the organization a developer organization's test credentials act in (ADR 0010).

A sandbox is an Organization of kind ``sandbox`` whose ``sandbox_of`` names the
organization it belongs to (at most one each). It has no members of its own:
the members of its organization act in it through the portal's Sandbox
environment (``portal.tenancy``), clients through test API keys and the tokens
of test OAuth applications. ``acting_organization`` is the one rule both API
authentication classes apply. The sample data is seeded by
``integrations.sandbox``, which can reach events, registrations and payments.
"""

from __future__ import annotations

from django.db import transaction

from accounts import errors
from accounts.models import ApiKeyMode, Organization, OrganizationKind
from accounts.services import unique_slug
from core import audit
from core.audit import Actor
from core.errors import DomainError


def sandbox_of(organization: Organization) -> Organization | None:
    """The organization's sandbox, or None. No query when it was loaded with the organization
    (``select_related("sandbox")``, or the API key lookup's join)."""
    try:
        return organization.sandbox  # type: ignore[no-any-return]
    except Organization.DoesNotExist:
        return None


def acting_organization(organization: Organization, mode: str) -> Organization:
    """Where a credential of ``organization`` in ``mode`` (``ApiKeyMode``) acts.

    A live credential acts in its own organization, a test credential in that
    organization's sandbox (a sandbox's own test credential in the sandbox). No
    query when the sandbox was loaded with the organization. Raises DomainError
    SANDBOX_UNAVAILABLE (a test credential, no sandbox) and
    SANDBOX_LIVE_CREDENTIALS (a live credential of a sandbox).
    """
    if mode == ApiKeyMode.TEST:
        if organization.is_sandbox:
            return organization
        sandbox = sandbox_of(organization)
        if sandbox is None:
            raise DomainError(
                errors.SANDBOX_UNAVAILABLE,
                details=f"The organization {organization.name} has no sandbox yet; test credentials act only in one.",
            )
        return sandbox
    if organization.is_sandbox:
        raise DomainError(errors.SANDBOX_LIVE_CREDENTIALS)
    return organization


def sandbox_create(*, actor: Actor, organization: Organization) -> tuple[Organization, bool]:
    """The organization's sandbox, created empty when it has none; the flag says whether it was created now.

    Locks the organization's row, so parallel calls create one sandbox (the
    one-to-one is unique as well). Audits ``organization.sandbox_created`` in the
    organization. Publishes nothing. Raises ValueError for a sandbox (a sandbox
    has no sandbox).
    """
    if organization.is_sandbox:
        raise ValueError("a sandbox has no sandbox of its own")
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        existing = Organization.objects.filter(sandbox_of=organization).first()
        if existing is not None:
            return existing, False
        sandbox = Organization.objects.create(
            name=f"{organization.name} (sandbox)"[:200],
            slug=unique_slug(f"{organization.slug}-sandbox"),
            kind=OrganizationKind.SANDBOX,
            sandbox_of=organization,
            default_currency=organization.default_currency,
            default_time_zone=organization.default_time_zone,
        )
        audit.record(
            actor=actor,
            action="organization.sandbox_created",
            target=sandbox,
            organization_id=organization.id,
            changes={"sandbox": {"from": None, "to": str(sandbox.id)}},
        )
    return sandbox, True
