"""Writes of users, organizations, memberships and invitations.

Every service runs in one transaction and records an audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import errors
from accounts.models import Invitation, Membership, Organization, User
from accounts.roles import Role
from core import audit
from core.audit import Actor
from core.errors import DomainError

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
