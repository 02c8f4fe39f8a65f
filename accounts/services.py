"""Writes of users, organizations, memberships, invitations and API keys.

Every service runs in one transaction and records an audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import errors
from accounts import scopes as scopes_module
from accounts.models import ApiKey, ApiKeyMode, Invitation, Membership, Organization, RateTier, User
from accounts.roles import Role
from core import audit
from core.audit import Actor
from core.errors import VALIDATION_ERROR, DomainError

PROFILE_FIELDS = ("name", "locale", "time_zone", "communication_preferences")


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def organization_create(*, actor: Actor, name: str, owner: User, slug: str | None = None) -> Organization:
    """Create an organization with ``owner`` as its first owner."""
    with transaction.atomic():
        base = slugify(slug or name)[:70] or "org"
        candidate, n = base, 1
        while Organization.objects.filter(slug=candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        org = Organization.objects.create(name=name, slug=candidate)
        Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
        audit.record(actor=actor, action="organization.created", target=org, organization_id=org.id)
        return org


def user_update_profile(*, actor: Actor, user: User, data: dict[str, Any]) -> User:
    """Change one's own profile fields (name, locale, time zone, communication preferences)."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
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


def membership_change_role(*, actor: Actor, actor_role: str, membership: Membership, role: str) -> Membership:
    """Change a member's role. Locks the organization's memberships.

    Raises OWNER_ROLE_RESTRICTED when a non-owner touches the owner role, and
    LAST_OWNER when the change would leave the organization without an owner.
    """
    with transaction.atomic():
        # Lock every membership of the organization so two demotions cannot both pass the owner count.
        list(Membership.objects.select_for_update().filter(organization_id=membership.organization_id))
        membership = Membership.objects.select_related("user", "organization").get(pk=membership.pk)
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
    with transaction.atomic():
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
                    token_hash=_hash_token(token),
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
            f"Sign in as {invitation.email} and accept with this token:\n\n    {token}\n\n"
            f'POST {settings.SITE_URL}/api/v1/invitations/accept with {{"token": "{token}"}}\n\n'
            f"The invitation expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    with transaction.atomic():
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
        invitation = (
            Invitation.objects.select_for_update().select_related("organization").filter(token_hash=_hash_token(token)).first()
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


def hash_api_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


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
        key_hash=hash_api_key(raw),
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
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        changes = audit.assign(key, {"rate_tier": tier}, ("rate_tier",))
        key.save(update_fields=["rate_tier", "updated_at"])
        audit.record(actor=actor, action="api_key.tier_changed", target=key, organization_id=key.organization_id, changes=changes)
        return key


def api_key_mark_used(*, key: ApiKey, now: dt.datetime, every: dt.timedelta = dt.timedelta(minutes=1)) -> None:
    """Record that the key was used; at most one write a minute per key (not audited: it is no change of state)."""
    if key.last_used_at is None or now - key.last_used_at >= every:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
