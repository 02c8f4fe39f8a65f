"""Account services called directly: each writes in one transaction and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Organization
from accounts.roles import Role
from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry
from tests.conftest import membership
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organization_create_makes_the_owner_and_a_unique_slug():
    owner = UserFactory()
    first = services.organization_create(actor=SYSTEM, name="Acme Events", owner=owner)
    second = services.organization_create(actor=SYSTEM, name="Acme Events", owner=owner)
    assert first.slug == "acme-events"
    assert second.slug == "acme-events-2"
    assert Membership.objects.get(organization=first, user=owner).role == Role.OWNER
    entry = AuditEntry.objects.get(action="organization.created", object_id=str(first.id))
    assert entry.actor_id == "system"
    assert entry.organization_id == first.id


def test_organization_create_with_unsluggable_name():
    org = services.organization_create(actor=SYSTEM, name="!!!", owner=UserFactory())
    assert org.slug == "org"
    assert Organization.objects.filter(pk=org.pk).exists()


def test_user_update_profile_merges_preferences_and_audits():
    user = UserFactory()
    services.user_update_profile(actor=user, user=user, data={"communication_preferences": {"marketing": True}, "name": "N"})
    user.refresh_from_db()
    assert user.communication_preferences == {"eventUpdates": True, "reminders": True, "marketing": True, "productNews": False}
    entry = AuditEntry.objects.get(action="user.profile_updated")
    assert entry.organization_id is None
    assert entry.changes["communication_preferences"]["to"]["marketing"] is True
    assert entry.changes["name"]["to"] == "N"


def test_user_update_profile_rejects_other_fields():
    user = UserFactory()
    with pytest.raises(ValueError):
        services.user_update_profile(actor=user, user=user, data={"is_staff": True})
    user.refresh_from_db()
    assert user.is_staff is False


@pytest.fixture
def owners(org):
    owner = UserFactory()
    MembershipFactory(user=owner, organization=org, role=Role.OWNER)
    return owner


def test_change_role_last_owner(org, owners):
    m = membership(owners, org)
    with pytest.raises(DomainError) as exc:
        services.membership_change_role(actor=owners, actor_role=Role.OWNER, membership=m, role=Role.ADMIN)
    assert exc.value.code == "LAST_OWNER"
    assert exc.value.status == 409
    assert membership(owners, org).role == Role.OWNER


def test_change_role_owner_restricted_for_admin(org, owners):
    admin = UserFactory()
    MembershipFactory(user=admin, organization=org, role=Role.ADMIN)
    with pytest.raises(DomainError) as exc:
        services.membership_change_role(actor=admin, actor_role=Role.ADMIN, membership=membership(admin, org), role=Role.OWNER)
    assert exc.value.code == "OWNER_ROLE_RESTRICTED"


def test_remove_member_and_last_owner(org, owners):
    editor = UserFactory()
    MembershipFactory(user=editor, organization=org, role=Role.EDITOR)
    services.membership_remove(actor=owners, actor_role=Role.OWNER, membership=membership(editor, org))
    assert not Membership.objects.filter(user=editor).exists()
    entry = AuditEntry.objects.get(action="membership.removed")
    assert entry.changes == {"user": str(editor.id), "role": "editor"}
    with pytest.raises(DomainError) as exc:
        services.membership_remove(actor=owners, actor_role=Role.OWNER, membership=membership(owners, org))
    assert exc.value.code == "LAST_OWNER"


def test_invitation_create_stores_only_a_hash(org, owners, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            actor=owners, actor_role=Role.OWNER, organization=org, email=" Bob@Example.com", role=Role.EDITOR, invited_by=owners
        )
    assert invitation.email == "bob@example.com"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    assert token in mail.outbox[0].body


def test_invitation_lifecycle(org, owners):
    invitation, token = services.invitation_create(
        actor=owners, actor_role=Role.OWNER, organization=org, email="bob@example.com", role=Role.VIEWER, invited_by=owners
    )
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            actor=owners, actor_role=Role.OWNER, organization=org, email="BOB@example.com", role=Role.VIEWER, invited_by=owners
        )
    assert exc.value.code == "INVITATION_PENDING"
    bob = UserFactory(email="bob@example.com")
    created = services.invitation_accept(actor=bob, user=bob, token=token)
    assert created.role == Role.VIEWER
    assert Invitation.objects.get(pk=invitation.pk).status == "accepted"
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            actor=owners, actor_role=Role.OWNER, organization=org, email="bob@example.com", role=Role.VIEWER, invited_by=owners
        )
    assert exc.value.code == "ALREADY_MEMBER"


def test_invitation_accept_when_already_member(org, owners):
    _, token = services.invitation_create(
        actor=owners, actor_role=Role.OWNER, organization=org, email="carol@example.com", role=Role.VIEWER, invited_by=owners
    )
    carol = UserFactory(email="carol@example.com")
    MembershipFactory(user=carol, organization=org, role=Role.EDITOR)
    with pytest.raises(DomainError) as exc:
        services.invitation_accept(actor=carol, user=carol, token=token)
    assert exc.value.code == "ALREADY_MEMBER"
    assert membership(carol, org).role == Role.EDITOR


def test_invitation_revoke_only_pending(org, owners):
    invitation, _ = services.invitation_create(
        actor=owners, actor_role=Role.OWNER, organization=org, email="dan@example.com", role=Role.VIEWER, invited_by=owners
    )
    services.invitation_revoke(actor=owners, invitation=invitation)
    with pytest.raises(DomainError) as exc:
        services.invitation_revoke(actor=owners, invitation=invitation)
    assert exc.value.code == "INVITATION_INVALID"


def test_same_email_may_be_invited_by_two_organizations(org, owners):
    other = OrganizationFactory()
    other_owner = UserFactory()
    MembershipFactory(user=other_owner, organization=other, role=Role.OWNER)
    services.invitation_create(
        actor=owners, actor_role=Role.OWNER, organization=org, email="eve@example.com", role=Role.VIEWER, invited_by=owners
    )
    services.invitation_create(
        actor=other_owner,
        actor_role=Role.OWNER,
        organization=other,
        email="eve@example.com",
        role=Role.VIEWER,
        invited_by=other_owner,
    )
    assert Invitation.objects.filter(email="eve@example.com").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_concurrently_keep_one_owner():
    """membership_change_role locks the organization's memberships: one demotion wins, the other is LAST_OWNER."""
    import threading

    from django.db import connection

    org = OrganizationFactory()
    a, b = UserFactory(), UserFactory()
    MembershipFactory(user=a, organization=org, role=Role.OWNER)
    MembershipFactory(user=b, organization=org, role=Role.OWNER)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def demote(actor, target):
        try:
            barrier.wait()
            services.membership_change_role(
                actor=actor,
                actor_role=Role.OWNER,
                membership=Membership.objects.get(user=target, organization=org),
                role=Role.ADMIN,
            )
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=(a, b)), threading.Thread(target=demote, args=(b, a))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["LAST_OWNER", "ok"]
    assert Membership.objects.filter(organization=org, role=Role.OWNER).count() == 1
