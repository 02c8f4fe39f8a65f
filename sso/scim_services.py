"""Writes of SCIM 2.0 provisioning (RFC 7643/7644): tokens, users, groups, and the memberships and roles they imply.

A provisioned user is a member of the organization while active; their role is the strongest one the
organization's role mapping gives their groups (else the provider's default role). Deactivating (or deleting)
a user removes the membership, ends the sessions single sign-on opened for that organization and revokes the
OAuth tokens granted in it. Every service is one transaction, audited; nothing is published to the outbox.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from oauth2_provider.models import revoke_access_token

from accounts.models import AccessToken, Membership, Organization, User
from accounts.roles import Role
from core import audit, locks
from core.audit import Actor
from core.secrets import digest
from sso.models import EmailDomain, IdentityProvider, ScimGroup, ScimToken, ScimUser, SsoSession
from sso.services import ROLE_STRENGTH, domain_of, end_browser_sessions


class ScimError(Exception):
    """A SCIM error response (RFC 7644 section 3.12): HTTP status and ``scimType``."""

    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


# -- tokens ------------------------------------------------------------------------------------
def scim_token_create(*, actor: Actor, organization: Organization, name: str, created_by: User | None) -> tuple[ScimToken, str]:
    """A new bearer token for ``organization``, returned in clear once (only its SHA-256 is kept). Audited."""
    raw = f"scim_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ScimToken.objects.create(
            organization=organization, name=name, token_hash=digest(raw), prefix=raw[:12], created_by=created_by
        )
        audit.record(
            actor=actor, action="scim_token.created", target=token, organization_id=organization.pk, changes={"name": name}
        )
    return token, raw


def scim_token_revoke(*, actor: Actor, token: ScimToken) -> ScimToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
            audit.record(actor=actor, action="scim_token.revoked", target=token, organization_id=token.organization_id)
    return token


# -- roles ---------------------------------------------------------------------------------------
def _mapping(organization_id: Any) -> tuple[dict[str, str], str]:
    """The organization's role mapping (its enabled providers', merged) and the default role."""
    providers = list(IdentityProvider.objects.filter(organization_id=organization_id, enabled=True).order_by("created_at"))
    mapping: dict[str, str] = {}
    for provider in providers:
        mapping.update({str(k): str(v) for k, v in provider.role_mapping.items()})
    return mapping, (providers[0].default_role if providers else Role.VIEWER)


def _role_of(scim_user: ScimUser) -> str:
    mapping, default = _mapping(scim_user.organization_id)
    roles = {mapping[g.display_name] for g in scim_user.groups.all() if g.display_name in mapping}
    return next((r for r in ROLE_STRENGTH if r in roles), default)


def _sync_membership(actor: Actor, scim_user: ScimUser) -> None:
    """Make the membership what the SCIM user implies: present with the mapped role while active, absent otherwise.
    The organization's last owner is never demoted or removed here."""
    membership = (
        Membership.objects.select_for_update()
        .filter(organization_id=scim_user.organization_id, user_id=scim_user.user_id)
        .first()
    )
    if not scim_user.active:
        if membership is not None and not _last_owner(membership):
            audit.record(
                actor=actor,
                action="member.removed",
                target=membership,
                organization_id=scim_user.organization_id,
                changes={"user": scim_user.user.email, "by": "scim"},
            )
            membership.delete()
            _end_access(actor, scim_user)
        return
    role = _role_of(scim_user)
    if membership is None:
        membership = Membership.objects.create(organization_id=scim_user.organization_id, user_id=scim_user.user_id, role=role)
        audit.record(
            actor=actor,
            action="sso.user_provisioned",
            target=membership,
            organization_id=scim_user.organization_id,
            changes={"user": scim_user.user.email, "role": role, "by": "scim"},
        )
    elif membership.role != role and not _last_owner(membership):
        audit.record(
            actor=actor,
            action="member.role_changed",
            target=membership,
            organization_id=scim_user.organization_id,
            changes={"role": {"from": membership.role, "to": role}, "by": "scim"},
        )
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])


def _last_owner(membership: Membership) -> bool:
    return (
        membership.role == Role.OWNER
        and Membership.objects.filter(organization_id=membership.organization_id, role=Role.OWNER).count() == 1
    )


def _end_access(actor: Actor, scim_user: ScimUser) -> None:
    """End the user's sessions opened by this organization's providers and revoke tokens granted in it."""
    opened = SsoSession.objects.filter(
        user_id=scim_user.user_id, identity_provider__organization_id=scim_user.organization_id, ended_at__isnull=True
    )
    end_browser_sessions(list(opened.values_list("session_key", flat=True)))
    ended = opened.update(ended_at=timezone.now())
    tokens = list(AccessToken.objects.filter(user_id=scim_user.user_id, organization_id=scim_user.organization_id))
    for token in tokens:
        revoke_access_token(token)
    audit.record(
        actor=actor,
        action="sso.access_ended",
        target=scim_user.user,
        organization_id=scim_user.organization_id,
        changes={"sessions_ended": ended, "access_tokens_revoked": len(tokens), "by": "scim"},
    )


# -- users -----------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ScimUserInput:
    user_name: str
    given_name: str = ""
    family_name: str = ""
    external_id: str = ""
    active: bool = True


def _check_domain(organization: Organization, email: str) -> None:
    """The same rule as sign-in: only addresses on a domain this organization verified (RFC 7644 3.12 invalidValue)."""
    if not EmailDomain.objects.filter(
        organization=organization, domain__iexact=domain_of(email), verified_at__isnull=False
    ).exists():
        raise ScimError(400, "userName must be an address on a verified domain of the organization.", "invalidValue")


def scim_user_create(*, actor: Actor, organization: Organization, data: ScimUserInput) -> ScimUser:
    email = data.user_name.strip().lower()
    if "@" not in email:
        raise ScimError(400, "userName must be an email address.", "invalidValue")
    _check_domain(organization, email)
    with transaction.atomic(), locks.bounded():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, name=_name(data))
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if ScimUser.objects.filter(organization=organization, user=user).exists():
            raise ScimError(409, "A user with this userName is already provisioned.", "uniqueness")
        scim_user = ScimUser.objects.create(
            organization=organization, user=user, external_id=data.external_id, active=data.active
        )
        if data.given_name or data.family_name:
            _set_name(user, _name(data))
        audit.record(
            actor=actor, action="scim.user_created", target=user, organization_id=organization.pk, changes={"user": email}
        )
        _sync_membership(actor, scim_user)
    return scim_user


def _name(data: ScimUserInput) -> str:
    return " ".join(p for p in (data.given_name.strip(), data.family_name.strip()) if p)[:200]


def _set_name(user: User, name: str) -> None:
    if name and user.name != name:
        user.name = name
        user.save(update_fields=["name", "updated_at"])


def scim_user_update(*, actor: Actor, scim_user: ScimUser, changes: dict[str, Any]) -> ScimUser:
    """Apply ``changes`` (``active``, ``given_name``, ``family_name``, ``external_id``, ``user_name``): a replace or
    a patch after its operations were read. Deactivation ends access in the organization."""
    with transaction.atomic(), locks.bounded():
        locked = ScimUser.objects.select_for_update().select_related("user").get(pk=scim_user.pk)
        user = locked.user
        if "user_name" in changes and changes["user_name"].strip().lower() != user.email:
            raise ScimError(400, "userName cannot change here; provision the new address as a new user.", "mutability")
        if "external_id" in changes:
            locked.external_id = str(changes["external_id"] or "")
        first, _, last = user.name.partition(" ")
        first = changes.get("given_name", first)
        last = changes.get("family_name", last)
        _set_name(user, " ".join(p for p in (str(first or "").strip(), str(last or "").strip()) if p)[:200])
        before = locked.active
        if "active" in changes:
            locked.active = bool(changes["active"])
        locked.save()
        audit.record(
            actor=actor,
            action="scim.user_updated",
            target=user,
            organization_id=locked.organization_id,
            changes={"active": {"from": before, "to": locked.active}} if before != locked.active else {},
        )
        _sync_membership(actor, locked)
    return locked


def scim_user_delete(*, actor: Actor, scim_user: ScimUser) -> None:
    with transaction.atomic(), locks.bounded():
        scim_user.active = False
        _sync_membership(actor, scim_user)
        audit.record(actor=actor, action="scim.user_deleted", target=scim_user.user, organization_id=scim_user.organization_id)
        scim_user.delete()


# -- groups ------------------------------------------------------------------------------------------
def _members(organization: Organization, ids: list[str]) -> QuerySet[ScimUser]:
    try:
        found = ScimUser.objects.filter(organization=organization, pk__in=ids)
        if found.count() != len(set(ids)):
            raise ScimError(400, "A member is not a user of this organization.", "invalidValue")
    except (ValueError, TypeError):  # not UUIDs
        raise ScimError(400, "A member is not a user of this organization.", "invalidValue") from None
    return found


def _resync(actor: Actor, users: set[ScimUser]) -> None:
    for scim_user in users:
        _sync_membership(actor, ScimUser.objects.select_related("user").get(pk=scim_user.pk))


def scim_group_create(
    *, actor: Actor, organization: Organization, display_name: str, external_id: str, member_ids: list[str]
) -> ScimGroup:
    with transaction.atomic(), locks.bounded():
        if ScimGroup.objects.filter(organization=organization, display_name__iexact=display_name).exists():
            raise ScimError(409, "A group with this displayName exists.", "uniqueness")
        group = ScimGroup.objects.create(organization=organization, display_name=display_name, external_id=external_id)
        members = set(_members(organization, member_ids))
        group.members.set(members)
        audit.record(
            actor=actor,
            action="scim.group_created",
            target=group,
            organization_id=organization.pk,
            changes={"name": display_name},
        )
        _resync(actor, members)
    return group


def scim_group_update(
    *,
    actor: Actor,
    group: ScimGroup,
    display_name: str | None = None,
    external_id: str | None = None,
    set_members: list[str] | None = None,
    add_members: list[str] | None = None,
    remove_members: list[str] | None = None,
) -> ScimGroup:
    """Rename, or replace/add/remove members; every member whose groups changed gets their role again."""
    with transaction.atomic(), locks.bounded():
        locked = ScimGroup.objects.select_for_update().get(pk=group.pk)
        organization = locked.organization
        touched: set[ScimUser] = set(locked.members.all())
        if display_name is not None and display_name != locked.display_name:
            locked.display_name = display_name
        if external_id is not None:
            locked.external_id = external_id
        locked.save()
        if set_members is not None:
            locked.members.set(_members(organization, set_members))
        if add_members:
            locked.members.add(*_members(organization, add_members))
        if remove_members:
            locked.members.remove(*_members(organization, remove_members))
        touched |= set(locked.members.all())
        audit.record(actor=actor, action="scim.group_updated", target=locked, organization_id=locked.organization_id)
        _resync(actor, touched)
    return locked


def scim_group_delete(*, actor: Actor, group: ScimGroup) -> None:
    with transaction.atomic(), locks.bounded():
        members = set(group.members.all())
        audit.record(actor=actor, action="scim.group_deleted", target=group, organization_id=group.organization_id)
        group.delete()
        _resync(actor, members)
