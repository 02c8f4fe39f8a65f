"""Writes of users, organizations, memberships, invitations, API keys and OAuth 2.0 grants.

Every service runs in one transaction and records an audit entry.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import revoke_access_token

from accounts import errors
from accounts import scopes as scopes_module
from accounts.models import (
    AccessToken,
    ApiKey,
    ApiKeyMode,
    Application,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    RateTier,
    RefreshToken,
    User,
)
from accounts.roles import Role
from core import audit, locks
from core.audit import Actor
from core.errors import VALIDATION_ERROR, DomainError
from core.locks import Precondition
from core.secrets import digest

PROFILE_FIELDS = ("name", "locale", "time_zone", "communication_preferences")


def unique_slug(wanted: str) -> str:
    """A slug from ``wanted`` that no organization has yet (``-2``, ``-3``... appended when taken)."""
    base = slugify(wanted)[:70] or "org"
    candidate, n = base, 1
    while Organization.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def organization_create(
    *, actor: Actor, name: str, owner: User, slug: str | None = None, kind: str = OrganizationKind.ORGANIZER
) -> Organization:
    """Create an organization of ``kind`` (organizer or developer) with ``owner`` as its first owner."""
    with transaction.atomic():
        org = Organization.objects.create(name=name, slug=unique_slug(slug or name), kind=kind)
        Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
        audit.record(actor=actor, action="organization.created", target=org, organization_id=org.id, changes={"kind": kind})
        return org


def user_update_profile(*, actor: Actor, user: User, data: dict[str, Any], precondition: Precondition | None = None) -> User:
    """Change one's own profile fields (name, locale, time zone, communication preferences).

    Locks the user's row, then checks ``precondition`` on it. Raises BUSY.
    """
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        with locks.bounded():
            user = User.objects.select_for_update().get(pk=user.pk)
        locks.check(precondition, user)
        before = audit.snapshot(user, data.keys())
        if "communication_preferences" in data:
            data = {**data, "communication_preferences": {**user.communication_preferences, **data["communication_preferences"]}}
        for field, value in data.items():
            setattr(user, field, value)
        user.save(update_fields=[*data.keys(), "updated_at"])
        changes = audit.diff(before, audit.snapshot(user, data.keys()))
        if changes:
            audit.record(actor=actor, action="user.profile_updated", target=user, organization_id=None, changes=changes)
        return user


def _owner_count(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Role.OWNER).count()


def membership_change_role(
    *, actor: Actor, actor_role: str, membership: Membership, role: str, precondition: Precondition | None = None
) -> Membership:
    """Change a member's role. Locks the organization's memberships, then checks ``precondition`` on this one.

    Raises OWNER_ROLE_RESTRICTED when a non-owner touches the owner role, and
    LAST_OWNER when the change would leave the organization without an owner.
    """
    with transaction.atomic():
        # Lock every membership of the organization so two demotions cannot both pass the owner count.
        with locks.bounded():
            list(Membership.objects.select_for_update().filter(organization_id=membership.organization_id))
        membership = Membership.objects.select_related("user", "organization").get(pk=membership.pk)
        locks.check(precondition, membership)
        if Role.OWNER in (role, membership.role) and actor_role != Role.OWNER:
            raise DomainError(errors.OWNER_ROLE_RESTRICTED, target="role")
        if membership.role == Role.OWNER and role != Role.OWNER and _owner_count(membership.organization) <= 1:
            raise DomainError(errors.LAST_OWNER, target="role")
        if membership.role == role:
            return membership
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        audit.record(
            actor=actor,
            action="membership.role_changed",
            target=membership,
            organization_id=membership.organization_id,
            changes={"role": {"from": old, "to": role}},
        )
        return membership


def membership_remove(*, actor: Actor, actor_role: str, membership: Membership) -> None:
    """Remove a member from the organization (same owner rules as a role change)."""
    with transaction.atomic():
        with locks.bounded():
            list(Membership.objects.select_for_update().filter(organization_id=membership.organization_id))
        membership = Membership.objects.select_related("user", "organization").get(pk=membership.pk)
        if membership.role == Role.OWNER:
            if actor_role != Role.OWNER:
                raise DomainError(errors.OWNER_ROLE_RESTRICTED)
            if _owner_count(membership.organization) <= 1:
                raise DomainError(errors.LAST_OWNER)
        audit.record(
            actor=actor,
            action="membership.removed",
            target=membership,
            organization_id=membership.organization_id,
            changes={"user": str(membership.user_id), "role": membership.role},
        )
        membership.delete()


def invitation_create(
    *, actor: Actor, actor_role: str, organization: Organization, email: str, role: str, invited_by: User | None
) -> tuple[Invitation, str]:
    """Invite ``email`` with ``role``; returns the invitation and its token (sent by email, never stored).

    Raises ALREADY_MEMBER, INVITATION_PENDING, OWNER_ROLE_RESTRICTED.
    """
    email = email.strip().lower()
    if role == Role.OWNER and actor_role != Role.OWNER:
        raise DomainError(errors.OWNER_ROLE_RESTRICTED, target="role")
    token = secrets.token_urlsafe(32)
    with transaction.atomic(), locks.bounded():
        if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
            raise DomainError(errors.ALREADY_MEMBER, target="email")
        # An expired, unanswered invitation no longer blocks a new one.
        Invitation.objects.filter(
            organization=organization,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__lte=timezone.now(),
        ).update(revoked_at=timezone.now())
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organization=organization,
                    email=email,
                    role=role,
                    token_hash=digest(token),
                    invited_by=invited_by,
                    expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_TTL_DAYS),
                )
        except IntegrityError:
            raise DomainError(errors.INVITATION_PENDING, target="email") from None
        audit.record(
            actor=actor,
            action="invitation.created",
            target=invitation,
            organization_id=organization.id,
            changes={"email": email, "role": role},
        )
        transaction.on_commit(lambda: _send_invitation(invitation, token))
        return invitation, token


def _send_invitation(invitation: Invitation, token: str) -> None:
    send_mail(
        subject=f"You are invited to {invitation.organization.name}",
        message=(
            f"You have been invited to join {invitation.organization.name} as {invitation.get_role_display()}.\n\n"
            f"Open this link, sign in (or sign up) as {invitation.email} and accept:\n\n"
            f"    {settings.SITE_URL}/portal/invitations/{token}/\n\n"
            f"Or accept through the API with this token:\n\n    {token}\n\n"
            f'POST {settings.SITE_URL}/api/v1/invitations/accept with {{"token": "{token}"}}\n\n'
            f"The invitation expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        with locks.bounded():
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != "pending":
            raise DomainError(errors.INVITATION_INVALID, "Only a pending invitation can be revoked")
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor=actor, action="invitation.revoked", target=invitation, organization_id=invitation.organization_id)
        return invitation


def invitation_accept(*, actor: Actor, user: User, token: str) -> Membership:
    """Accept an invitation addressed to ``user``'s email; creates the membership.

    Locks the invitation. Raises INVITATION_INVALID (unknown, used, expired,
    revoked, or for another email: all look the same, so tokens cannot be probed)
    and ALREADY_MEMBER.
    """
    with transaction.atomic():
        with locks.bounded():
            invitation = (
                Invitation.objects.select_for_update().select_related("organization").filter(token_hash=digest(token)).first()
            )
        if invitation is None or invitation.status != "pending" or invitation.email.lower() != user.email.lower():
            raise DomainError(errors.INVITATION_INVALID, target="token")
        if Membership.objects.filter(organization=invitation.organization, user=user).exists():
            raise DomainError(errors.ALREADY_MEMBER)
        membership = Membership.objects.create(organization=invitation.organization, user=user, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
        audit.record(
            actor=actor,
            action="invitation.accepted",
            target=invitation,
            organization_id=invitation.organization_id,
            changes={"role": invitation.role},
        )
        return membership


# -- API keys ---------------------------------------------------------------------------------
API_KEY_PREFIXES = {ApiKeyMode.LIVE: "emp_live_", ApiKeyMode.TEST: "emp_test_"}
API_KEY_DISPLAY_CHARS = 8  # after the mode prefix
MAX_ROTATION_GRACE = dt.timedelta(days=7)
API_KEY_FIELDS = ("name", "mode", "scopes", "allowed_ips", "expires_at", "rate_tier")


def _invalid(target: str, message: str, code: str = "INVALID") -> DomainError:
    return DomainError(VALIDATION_ERROR, message, details=[{"target": target, "code": code, "message": message}], target=target)


def _clean_key_input(data: dict[str, Any], creator_role: str | None, now: dt.datetime) -> dict[str, Any]:
    scopes = sorted(set(data.get("scopes") or []))
    if not scopes:
        raise _invalid("scopes", "Give the key at least one scope.", "REQUIRED")
    if bad := scopes_module.unknown(scopes):
        raise _invalid("scopes", f"Unknown scope(s): {', '.join(bad)}.", "UNKNOWN_SCOPE")
    if beyond := sorted(set(scopes) - scopes_module.grantable_by(creator_role)):
        raise _invalid("scopes", f"Your role cannot grant: {', '.join(beyond)}.", "SCOPE_NOT_GRANTABLE")
    networks = []
    for raw in data.get("allowed_ips") or []:
        try:
            networks.append(str(ipaddress.ip_network(str(raw).strip(), strict=False)))
        except ValueError:
            raise _invalid("allowedIps", f"{raw!r} is not an IP address or CIDR range.", "INVALID_CIDR") from None
    expires_at = data.get("expires_at")
    if expires_at is not None and expires_at <= now:
        raise _invalid("expiresAt", "The expiry must be in the future.")
    mode = data.get("mode") or ApiKeyMode.LIVE
    if mode not in ApiKeyMode.values:
        raise _invalid("mode", "The mode is live or test.")
    tier = data.get("rate_tier") or ""
    if tier and tier not in RateTier.values:
        raise _invalid("rateTier", f"The tier is one of {', '.join(RateTier.values)}.")
    name = (data.get("name") or "").strip()
    if not name:
        raise _invalid("name", "Give the key a name.", "REQUIRED")
    return {
        "name": name[:100],
        "mode": mode,
        "scopes": scopes,
        "allowed_ips": sorted(set(networks)),
        "expires_at": expires_at,
        "rate_tier": tier,
    }


def _new_key(organization: Organization, fields: dict[str, Any], created_by: User | None) -> tuple[ApiKey, str]:
    prefix = API_KEY_PREFIXES[fields["mode"]]
    raw = prefix + secrets.token_urlsafe(32)  # 32 random bytes, 43 URL-safe characters
    key = ApiKey.objects.create(
        organization=organization,
        prefix=raw[: len(prefix) + API_KEY_DISPLAY_CHARS],
        key_hash=digest(raw),
        created_by=created_by,
        **fields,
    )
    return key, raw


def _key_snapshot(key: ApiKey) -> dict[str, Any]:
    return audit.snapshot(key, ("name", "mode", "prefix", "scopes", "allowed_ips", "expires_at", "rate_tier"))


def api_key_create(
    *, actor: Actor, organization: Organization, data: dict[str, Any], creator_role: str | None, now: dt.datetime | None = None
) -> tuple[ApiKey, str]:
    """Create a key and return it with the raw key, which is never stored and cannot be shown again.

    ``creator_role`` is the creator's role in the organization: the key's scopes
    must be ones that role could exercise (None: a platform operator). Raises
    VALIDATION_ERROR. Audits ``api_key.created`` (without the secret).
    """
    now = now or timezone.now()
    fields = _clean_key_input(data, creator_role, now)
    with transaction.atomic():
        key, raw = _new_key(organization, fields, actor if isinstance(actor, User) else None)
        audit.record(
            actor=actor, action="api_key.created", target=key, organization_id=organization.pk, changes=_key_snapshot(key)
        )
        return key, raw


def api_key_revoke(*, actor: Actor, key: ApiKey, now: dt.datetime | None = None) -> ApiKey:
    """Revoke a key at once (also during a rotation's grace period). Revoking twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        with locks.bounded():
            key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = now
            key.save(update_fields=["revoked_at", "updated_at"])
            audit.record(actor=actor, action="api_key.revoked", target=key, organization_id=key.organization_id)
        return key


def api_key_rotate(*, actor: Actor, key: ApiKey, grace: dt.timedelta, now: dt.datetime | None = None) -> tuple[ApiKey, str]:
    """Issue a new key with the same name, scopes and limits; the old one keeps working for ``grace`` (0 to 7 days).

    Raises VALIDATION_ERROR (grace out of range) and API_KEY_NOT_ACTIVE (a revoked
    or expired key). Audits ``api_key.rotated`` on the old key.
    """
    now = now or timezone.now()
    if not dt.timedelta(0) <= grace <= MAX_ROTATION_GRACE:
        raise _invalid("gracePeriodHours", "The grace period is 0 to 168 hours (7 days).")
    with transaction.atomic():
        with locks.bounded():
            key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.status_at(now) != "active":
            raise DomainError(errors.API_KEY_NOT_ACTIVE, details=f"The key is {key.status_at(now)}.")
        fields = {name: getattr(key, name) for name in API_KEY_FIELDS}
        new, raw = _new_key(key.organization, fields, actor if isinstance(actor, User) else key.created_by)
        ends = now + grace
        if grace == dt.timedelta(0):
            key.revoked_at = now
        elif key.expires_at is None or ends < key.expires_at:
            key.expires_at = ends
        key.replaced_by = new
        key.save(update_fields=["expires_at", "revoked_at", "replaced_by", "updated_at"])
        audit.record(
            actor=actor,
            action="api_key.rotated",
            target=key,
            organization_id=key.organization_id,
            changes={"replaced_by": str(new.pk), "new_prefix": new.prefix, "old_key_works_until": ends.isoformat()},
        )
        return new, raw


def api_key_set_tier(*, actor: Actor, key: ApiKey, tier: str) -> ApiKey:
    """A platform administrator's override of the key's rate-limit tier ("" = the default). Audits ``api_key.tier_changed``."""
    if tier and tier not in RateTier.values:
        raise _invalid("rateTier", f"The tier is one of {', '.join(RateTier.values)}.")
    with transaction.atomic():
        with locks.bounded():
            key = ApiKey.objects.select_for_update().get(pk=key.pk)
        changes = audit.assign(key, {"rate_tier": tier}, ("rate_tier",))
        key.save(update_fields=["rate_tier", "updated_at"])
        audit.record(actor=actor, action="api_key.tier_changed", target=key, organization_id=key.organization_id, changes=changes)
        return key


def api_key_mark_used(*, key: ApiKey, now: dt.datetime, every: dt.timedelta = dt.timedelta(minutes=1)) -> None:
    """Record that the key was used; at most one write a minute per key (not audited: it is no change of state)."""
    if key.last_used_at is None or now - key.last_used_at >= every:
        try:
            with transaction.atomic(), locks.bounded():
                ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        except locks.Busy:
            return  # the key's row is being changed: the mark waits for the next request, the request does not
        key.last_used_at = now


# -- OAuth 2.0: what the authorization server records (accounts.oauth calls these) ------------------


def _token_actor(token: AccessToken | RefreshToken) -> Actor:
    """Whoever a token acts for: its user, or for client credentials the application itself."""
    return token.user if token.user_id is not None else token.application


def oauth_record_issued(*, access_token: AccessToken, grant_type: str, with_refresh: bool) -> None:
    """Audit an issued access token (``oauth.token_issued``, or ``oauth.token_refreshed`` for the refresh grant).

    Called inside the transaction that saved the token; the token itself is never recorded.
    """
    with transaction.atomic():
        audit.record(
            actor=_token_actor(access_token),
            action="oauth.token_refreshed" if grant_type == "refresh_token" else "oauth.token_issued",
            target=access_token,
            organization_id=access_token.organization_id,
            changes={
                "grant_type": grant_type,
                "client_id": access_token.application.client_id if access_token.application else None,
                "scope": access_token.scope,
                "expires": access_token.expires,
                "refresh_token": with_refresh,
            },
        )


def oauth_record_revoked(*, actor: Actor, token: AccessToken | RefreshToken, organization_id: Any) -> None:
    """Audit a revoked token (by its client, RFC 7009, or in the console): ``oauth.token_revoked``."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="oauth.token_revoked",
            target=token,
            organization_id=organization_id,
            changes={"token_type": "access_token" if isinstance(token, AccessToken) else "refresh_token"},
        )


def oauth_record_replay(*, refresh_token: RefreshToken, organization_id: Any, ip: str) -> None:
    """Audit the replay of a rotated refresh token, whose whole family the toolkit has just revoked
    (RFC 9700 section 4.14.2): ``oauth.refresh_token_reused``."""
    with transaction.atomic():
        audit.record(
            actor=audit.Anonymous(ip),
            action="oauth.refresh_token_reused",
            target=refresh_token,
            organization_id=organization_id,
            changes={"client_id": refresh_token.application.client_id, "family_revoked": str(refresh_token.token_family)},
        )


def oauth_consent_record(
    *, user: User, application: Application, organization: Organization | None, scopes: list[str], allowed: bool
) -> None:
    """Audit the user's answer on the consent page: ``oauth.consent_given`` or ``oauth.consent_denied``."""
    with transaction.atomic():
        audit.record(
            actor=user,
            action="oauth.consent_given" if allowed else "oauth.consent_denied",
            target=application,
            organization_id=organization.pk if organization else None,
            changes={"client_id": application.client_id, "scopes": scopes},
        )


APPLICATION_AUDIT_FIELDS = (
    "name",
    "client_type",
    "authorization_grant_type",
    "redirect_uris",
    "allowed_origins",
    "organization_id",
    "first_party",
    "allowed_scopes",
    "allowed_ips",
    "rate_tier",
    "skip_authorization",
    "mode",
    "description",
    "logo_url",
    "homepage_url",
)


def oauth_application_save(
    *, actor: Actor, application: Application, creator_role: str | None, changed: list[str]
) -> Application:
    """Create or change an application from the console; audits ``oauth_application.created`` or ``.updated``.

    ``creator_role`` is the actor's role in the application's organization (None:
    a platform administrator): a client-credentials application may hold only
    scopes that role could exercise, as for API keys. The client secret is hashed
    when saved and never recorded. Raises VALIDATION_ERROR.
    """
    if application.authorization_grant_type == Application.GRANT_CLIENT_CREDENTIALS:
        beyond = sorted(set(application.allowed_scopes) - scopes_module.grantable_by(creator_role))
        if beyond:
            raise _invalid("allowedScopes", f"Your role cannot grant: {', '.join(beyond)}.")
    adding = application._state.adding
    named = {"organization_id" if name == "organization" else name for name in changed}
    changes = audit.snapshot(application, [f for f in APPLICATION_AUDIT_FIELDS if adding or f in named])
    if "client_secret" in changed and not adding:
        changes["client_secret"] = "replaced"
    with transaction.atomic():
        application.save()
        audit.record(
            actor=actor,
            action="oauth_application.created" if adding else "oauth_application.updated",
            target=application,
            organization_id=application.organization_id,
            changes=changes,
        )
        return application


def oauth_token_revoke(*, actor: Actor, access_token: AccessToken) -> None:
    """Revoke an access token and its refresh token from the console; audits ``oauth.token_revoked``."""
    with transaction.atomic():
        oauth_record_revoked(actor=actor, token=access_token, organization_id=access_token.organization_id)
        revoke_access_token(access_token)


def oauth_application_rotate_secret(*, actor: Actor, application: Application) -> tuple[Application, str]:
    """Give a confidential application a new client secret and return it with the secret in clear, shown once.

    The old secret stops working at once (only the new one's hash is stored); tokens
    already issued keep working until they expire or are revoked, but refreshing
    them needs the new secret. Locks the application row. Publishes nothing.
    Raises VALIDATION_ERROR for a public client (it has no secret to use). Audits
    ``oauth_application.secret_rotated`` (without the secret).
    """
    with transaction.atomic():
        with locks.bounded():
            application = Application.objects.select_for_update().get(pk=application.pk)
        if application.client_type != Application.CLIENT_CONFIDENTIAL:
            raise _invalid("clientType", "A public client has no client secret to rotate.")
        raw = generate_client_secret()
        application.client_secret = raw  # hashed when saved (ClientSecretField, CLIENT_SECRET_HASHER)
        application.save(update_fields=["client_secret", "updated"])
        audit.record(
            actor=actor,
            action="oauth_application.secret_rotated",
            target=application,
            organization_id=application.organization_id,
            changes={"client_id": application.client_id, "client_secret": "replaced"},
        )
        return application, raw


def oauth_client_secret_rehash(*, stored: str, new: str) -> bool:
    """Replace an application's stored client secret hash ``stored`` by ``new``, a hash of the same secret
    (accounts.oauth.hashers: an old PBKDF2 hash, or one under a retired ``SECRET_KEY``, after a successful use).

    A conditional UPDATE on the (indexed) stored value, without a lock: if the secret was rotated meanwhile,
    nothing is written. The secret does not change, so nothing is audited or published. Raises nothing.
    """
    return Application.objects.filter(client_secret=stored).update(client_secret=new) == 1


def oauth_application_delete(*, actor: Actor, application: Application) -> None:
    """Delete an application with its grants and tokens (they stop working at once); audits ``oauth_application.deleted``
    with the number of access tokens that were still valid. Publishes nothing."""
    with transaction.atomic():
        live_tokens = AccessToken.objects.filter(application=application, expires__gt=timezone.now()).count()
        audit.record(
            actor=actor,
            action="oauth_application.deleted",
            target=application,
            organization_id=application.organization_id,
            changes={"client_id": application.client_id, "access_tokens_revoked": live_tokens},
        )
        application.delete()


def auth_failure_record(
    *, ip: str, method: str, reason: str, client: Any = None, organization_id: Any = None, **facts: str
) -> None:
    """Audit a refused credential (``auth.failed``): an API key, an access token, a client, a password.

    ``client`` (an ApiKey or Application) and its organization when the credential
    named a known one; ``facts`` add what helps an investigation (the path, the
    email tried), never a secret.
    """
    with transaction.atomic():
        audit.record(
            actor=audit.Anonymous(ip),
            action="auth.failed",
            target=client,
            organization_id=organization_id,
            changes={"method": method, "reason": reason, "ip": ip, **facts},
        )


def auth_event_record(*, user: User, action: str, ip: str, **facts: Any) -> None:
    """Audit a sign-in event of ``user`` (``auth.signed_in``, ``auth.signed_out``, ``auth.two_factor_*``,
    ``auth.recovery_code_used``), acting as themselves, outside any organization; ``facts`` never hold a secret."""
    with transaction.atomic():
        audit.record(actor=user, action=action, target=user, organization_id=None, changes={"ip": ip, **facts})


def organization_require_two_factor(*, actor: User, organization: Organization, required: bool) -> Organization:
    """Require (or stop requiring) two-factor authentication of the organization's members.

    Owners only (``organization.manage``); audited ``organization.updated``. Locks the
    organization's row (bounded: BUSY). Publishes nothing. Raises ``OWNER_ROLE_RESTRICTED`` for anyone else.
    """
    with transaction.atomic(), locks.bounded():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if not Membership.objects.filter(user=actor, organization=locked, role=Role.OWNER).exists():
            raise DomainError(errors.OWNER_ROLE_RESTRICTED, details="Only an owner may change the two-factor requirement.")
        if locked.require_two_factor != required:
            locked.require_two_factor = required
            locked.save(update_fields=["require_two_factor", "updated_at"])
            audit.record(
                actor=actor,
                action="organization.updated",
                target=locked,
                organization_id=locked.pk,
                changes={"require_two_factor": {"from": not required, "to": required}},
            )
    return locked


ORGANIZATION_PROFILE_FIELDS = ("name", "default_time_zone", "default_currency")


def organization_update(*, actor: Actor, organization: Organization, data: dict[str, Any]) -> Organization:
    """Change the organization's profile: its name, and the time zone and currency new events start with.

    Locks the organization's row (bounded: BUSY); audited ``organization.updated``. Publishes nothing.
    Raises VALIDATION_ERROR for an unknown time zone or a currency that is not three letters.
    """
    zone = data.get("default_time_zone")
    if zone is not None and zone not in zoneinfo.available_timezones():
        raise _invalid("defaultTimeZone", "Choose a time zone of the IANA database, e.g. Europe/Berlin.")
    currency = data.get("default_currency")
    if currency is not None:
        if len(currency) != 3 or not currency.isalpha():
            raise _invalid("defaultCurrency", "Give a three-letter ISO 4217 code, e.g. EUR.")
        data = {**data, "default_currency": currency.upper()}
    if "name" in data and not str(data["name"]).strip():
        raise _invalid("name", "The organization needs a name.", "REQUIRED")
    with transaction.atomic(), locks.bounded():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        changes = audit.assign(locked, data, ORGANIZATION_PROFILE_FIELDS)
        if changes:
            locked.save()
            audit.record(actor=actor, action="organization.updated", target=locked, organization_id=locked.pk, changes=changes)
    return locked


# -- sandboxes (ADR 0010) ------------------------------------------------------------------
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
        with locks.bounded():
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
