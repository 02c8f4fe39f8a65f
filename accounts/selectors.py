"""Reads of users, organizations and memberships."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts import errors
from accounts.models import (
    AccessToken,
    ApiKey,
    ApiKeyMode,
    Application,
    Invitation,
    Membership,
    Organization,
    RateTier,
    RefreshToken,
    User,
)
from core import rows
from core.errors import DomainError
from core.models import AuditEntry
from core.secrets import digest


def membership_for(*, user: User, organization_id: uuid.UUID | str | None, kind: str | None = None) -> Membership | None:
    """The user's membership in the named organization, or their first one when none is named (of ``kind`` if given)."""
    qs = memberships_of(user=user, kind=kind)
    if organization_id is not None:
        return qs.filter(organization_id=organization_id).first()
    return qs.first()


def membership_chosen(*, user: User, chosen: uuid.UUID | str | None, kind: str) -> Membership | None:
    """The membership in the organization ``chosen`` (kept in a session), else the user's first one of ``kind``.

    A stale choice (the user was removed since) falls back to the first one.
    """
    membership = membership_for(user=user, organization_id=chosen, kind=kind) if chosen else None
    return membership or membership_for(user=user, organization_id=None, kind=kind)


def memberships_of(*, user: User, kind: str | None = None) -> QuerySet[Membership]:
    """The user's memberships, oldest first; only in organizations of ``kind`` (organizer, developer) if given."""
    qs = Membership.objects.select_related("organization").filter(user=user)
    if kind is not None:
        qs = qs.filter(organization__kind=kind)
    return qs.order_by("created_at")


@dataclass(frozen=True, kw_only=True)
class MemberFilter:
    """What ``member_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    role: str | None = None
    q: str | None = None


def member_list(*, organization: Organization, filters: MemberFilter = MemberFilter()) -> QuerySet[Membership]:
    qs = Membership.objects.select_related("user").filter(organization=organization)
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.q:
        qs = qs.filter(Q(user__email__icontains=filters.q) | Q(user__name__icontains=filters.q))
    return qs


def member_get(*, organization: Organization, user_id: uuid.UUID | str) -> Membership | None:
    return member_list(organization=organization).filter(user_id=user_id).first()


def invitation_list(*, organization: Organization, pending_only: bool = False) -> QuerySet[Invitation]:
    qs = Invitation.objects.select_related("invited_by").filter(organization=organization)
    if pending_only:
        qs = qs.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
    return qs


def invitation_pending_for(*, token: str, email: str) -> Invitation | None:
    """The pending invitation with this token, only if it is addressed to ``email`` (others learn nothing)."""
    token_hash = digest(token)
    return (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=token_hash, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .filter(expires_at__gt=timezone.now())
        .first()
    )


def invitation_get(*, organization: Organization, invitation_id: uuid.UUID | str) -> Invitation | None:
    return invitation_list(organization=organization).filter(pk=invitation_id).first()


@dataclass(frozen=True, kw_only=True)
class AuditFilter:
    """What ``audit_log`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    actor_id: str | None = None


def audit_log(*, organization: Organization, filters: AuditFilter = AuditFilter()) -> QuerySet[AuditEntry]:
    """The organization's audit entries, newest first."""
    qs = AuditEntry.objects.filter(organization_id=organization.id)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action) if filters.action.endswith(".") else qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.actor_id:
        qs = qs.filter(actor_id=filters.actor_id)
    return qs.order_by("-created_at", "-id")


def audit_entry_get(*, organization: Organization, entry_id: int | str) -> AuditEntry | None:
    return audit_log(organization=organization).filter(pk=entry_id).first()


_KEY_SQL = (
    f"SELECT {rows.columns(ApiKey, 'k')}, {rows.columns(Organization, 'o')}, {rows.columns(Organization, 's')} "
    f'FROM "{ApiKey._meta.db_table}" k JOIN "{Organization._meta.db_table}" o ON o."id" = k."organization_id" '
    f'LEFT JOIN "{Organization._meta.db_table}" s ON s."sandbox_of_id" = o."id" '
    'WHERE k."key_hash" = %s'
)
_SANDBOX = Organization._meta.get_field("sandbox")


def api_key_by_hash(*, key_hash: str) -> ApiKey | None:
    """The key with this hash, with its organization and that organization's sandbox (or None, cached as such,
    so ``sandbox_of`` asks nothing more): one query on every key-authenticated request.

    Hand-written SQL (``core.rows``): the ORM took longer to build this join than the database to run it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_KEY_SQL, [key_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(ApiKey._meta.concrete_fields)
    width = len(Organization._meta.concrete_fields)
    key = rows.load(ApiKey, row[:split])
    organization = rows.load(Organization, row[split : split + width])
    sandbox_row = row[split + width :]
    sandbox = rows.load(Organization, sandbox_row) if sandbox_row[0] is not None else None
    _SANDBOX.set_cached_value(organization, sandbox)
    if sandbox is not None:
        sandbox.sandbox_of = organization
    key.organization = organization
    return key


def api_key_list(*, organization: Organization) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organization=organization).select_related("created_by").order_by("-created_at", "id")


def api_key_modes(*, organization: Organization, now: dt.datetime | None = None) -> set[str]:
    """The modes (live, test) of the organization's usable keys: not revoked, not expired."""
    now = now or timezone.now()
    usable = ApiKey.objects.filter(organization=organization, revoked_at__isnull=True).exclude(expires_at__lte=now)
    return set(usable.order_by().values_list("mode", flat=True).distinct())


def api_key_get(*, organization: Organization, key_id: uuid.UUID | str) -> ApiKey | None:
    return api_key_list(organization=organization).filter(pk=key_id).first()


def oauth_access_token(*, raw: str) -> AccessToken | None:
    """The stored access token ``raw`` (looked up by its SHA-256; the token itself is not stored), with its user,
    application, organization and the organization's sandbox (for test applications) in one query. None once revoked
    (revocation deletes the row)."""
    checksum = digest(raw)
    found = list(
        AccessToken.objects.select_related("user", "application", "organization", "organization__sandbox")
        .filter(token_checksum=checksum)
        .order_by()[:1]
    )
    return found[0] if found else None


def oauth_client_rate_limit(*, client_id: str) -> tuple[int, str] | None:
    """The id and rate-limit tier (the partner tier unless one is set) of the application ``client_id``, unverified:
    what the token, revocation and introspection endpoints count a request against before authenticating it."""
    found = Application.objects.filter(client_id=client_id).values_list("pk", "rate_tier").first()
    return (found[0], found[1] or RateTier.PARTNER) if found else None


def oauth_refresh_token_organization(*, refresh_token: RefreshToken) -> uuid.UUID | None:
    """The organization of a refresh token's grant: its access token's, or (once rotated) its successor's."""
    if refresh_token.access_token_id is not None:
        return AccessToken.objects.filter(pk=refresh_token.access_token_id).values_list("organization_id", flat=True).first()
    return (
        AccessToken.objects.filter(source_refresh_token__token_family=refresh_token.token_family)
        .values_list("organization_id", flat=True)
        .first()
    )


def oauth_application_list(*, organization: Organization, now: dt.datetime | None = None) -> QuerySet[Application]:
    """The organization's OAuth applications, newest first, each with ``active_tokens``: its access tokens not yet
    expired (a revoked token's row is deleted). One query, whatever the number of applications."""
    now = now or timezone.now()
    return (
        Application.objects.filter(organization=organization)
        .select_related("user")
        .annotate(active_tokens=Count("accesstoken", filter=Q(accesstoken__expires__gt=now)))
        .order_by("-created", "-id")
    )


def oauth_application_get(*, organization: Organization, application_id: int | str) -> Application | None:
    """One of the organization's applications (with ``active_tokens``), or None: another organization's is not found."""
    return oauth_application_list(organization=organization).filter(pk=application_id).first()


def origin_registered(*, origin: str) -> bool:
    """Whether a browser origin is registered on some OAuth application (CORS preflight)."""
    candidates = Application.objects.filter(allowed_origins__contains=origin).only("id", "allowed_origins")
    return any(app.origin_allowed(origin) for app in candidates)


# -- sandboxes (ADR 0010) ------------------------------------------------------------------
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


def audit_log_between(
    *,
    organization: Organization,
    filters: AuditFilter = AuditFilter(),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """``audit_log`` within UTC days ``since`` to ``until`` (inclusive), newest first."""
    qs = audit_log(organization=organization, filters=filters)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs
