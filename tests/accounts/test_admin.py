"""The organizer console for organizations, members, invitations and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership
from accounts.roles import Role
from core import audit
from core.audit import SYSTEM
from core.models import AuditEntry
from tests.conftest import membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def results(response: Any) -> list[Any]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_console_index_lists_only_what_the_role_may_see(staff, console):
    viewer_index = console(staff(Role.VIEWER)).get(reverse("admin:index"))
    admin_index = console(staff(Role.ADMIN)).get(reverse("admin:index"))

    assert viewer_index.status_code == admin_index.status_code == 200
    assert "/admin/events/event/" in viewer_index.text
    assert "/admin/core/auditentry/" not in viewer_index.text  # audit.view is for owners and admins
    assert "/admin/core/auditentry/" in admin_index.text


def test_members_are_scoped_to_the_organization(org, other_org, staff, console):
    admin_user = staff(Role.ADMIN)
    outsider = MembershipFactory(organization=other_org, role=Role.OWNER)

    rows = results(console(admin_user).get(reverse("admin:accounts_membership_changelist")))

    assert membership(admin_user, org) in rows
    assert outsider not in rows
    page = console(admin_user).get(reverse("admin:accounts_membership_change", args=[outsider.pk]))
    assert page.status_code == 302 and page["Location"] == reverse("admin:index")


def test_admin_changes_a_role_through_the_service(org, staff, member, console):
    admin_user = staff(Role.ADMIN)
    target = membership(member(Role.VIEWER), org)

    response = console(admin_user).post(reverse("admin:accounts_membership_change", args=[target.pk]), {"role": Role.EDITOR})

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.EDITOR
    entry = AuditEntry.objects.get(action="membership.role_changed", object_id=str(target.pk))
    assert entry.actor_id == str(admin_user.id)


def test_a_non_owner_cannot_touch_the_owner_role(org, staff, owner, console):
    admin_user = staff(Role.ADMIN)
    owner_membership = membership(owner, org)

    response = console(admin_user).post(
        reverse("admin:accounts_membership_change", args=[owner_membership.pk]), {"role": Role.VIEWER}
    )

    assert response.status_code == 302
    assert any("OWNER_ROLE_RESTRICTED" in str(m) for m in get_messages(response.wsgi_request))
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.OWNER


def test_viewer_can_list_members_but_not_change_them(org, staff, member, console):
    viewer = staff(Role.VIEWER)
    target = membership(member(Role.EDITOR), org)
    client = console(viewer)

    assert target in results(client.get(reverse("admin:accounts_membership_changelist")))
    url = reverse("admin:accounts_membership_change", args=[target.pk])
    assert client.post(url, {"role": Role.ADMIN}).status_code == 403
    assert client.get(reverse("admin:accounts_membership_add")).status_code == 403


def test_adding_a_member_records_an_audit_entry_and_offers_only_known_users(org, other_org, staff, console):
    admin_user = staff(Role.ADMIN)
    # A member of both organizations can be added; a stranger is not even offered.
    colleague = UserFactory()
    MembershipFactory(user=colleague, organization=other_org)
    MembershipFactory(user=admin_user, organization=other_org, role=Role.ADMIN)
    stranger = UserFactory()
    client = console(admin_user)

    form = client.get(reverse("admin:accounts_membership_add")).context["adminform"].form
    assert stranger not in form.fields["user"].queryset
    assert set(form.fields["organization"].queryset) == {org, other_org}

    response = client.post(
        reverse("admin:accounts_membership_add"), {"organization": str(org.id), "user": str(colleague.id), "role": Role.EDITOR}
    )

    assert response.status_code == 302
    added = Membership.objects.get(organization=org, user=colleague)
    assert added.role == Role.EDITOR
    assert AuditEntry.objects.filter(action="membership.created", object_id=str(added.pk), actor_id=str(admin_user.id)).exists()


def test_organizations_are_scoped_and_only_owners_change_them(org, other_org, staff, console):
    admin_user = staff(Role.ADMIN)
    owner_user = staff(Role.OWNER)

    assert results(console(admin_user).get(reverse("admin:accounts_organization_changelist"))) == [org]
    url = reverse("admin:accounts_organization_change", args=[org.pk])
    assert console(admin_user).post(url, {"name": "Taken Over", "slug": "acme"}).status_code == 403
    assert console(owner_user).get(reverse("admin:accounts_organization_add")).status_code == 403

    response = console(owner_user).post(
        url, {"name": "Acme Events GmbH", "slug": "acme", "default_currency": "EUR", "default_time_zone": "Europe/Berlin"}
    )

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Acme Events GmbH"
    entry = AuditEntry.objects.get(action="organization.updated", object_id=str(org.id))
    assert entry.changes["name"] == {"from": "Acme Events", "to": "Acme Events GmbH"}


def test_invitations_are_a_read_only_scoped_list(org, other_org, staff, console):
    expires = timezone.now() + dt.timedelta(days=7)
    mine = Invitation.objects.create(
        organization=org, email="new@acme.example", role=Role.EDITOR, token_hash="a" * 64, expires_at=expires
    )
    Invitation.objects.create(
        organization=other_org, email="x@rival.example", role=Role.EDITOR, token_hash="b" * 64, expires_at=expires
    )
    client = console(staff(Role.ADMIN))

    assert results(client.get(reverse("admin:accounts_invitation_changelist"))) == [mine]
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403

    client.post(
        reverse("admin:accounts_invitation_changelist"), {"action": "revoke_invitations", "_selected_action": [str(mine.pk)]}
    )
    mine.refresh_from_db()
    assert mine.status == "revoked"


def test_audit_log_is_read_only_and_scoped(org, other_org, staff, console):
    admin_user = staff(Role.ADMIN)
    own = audit.record(actor=SYSTEM, action="organization.created", target=org, organization_id=org.id)
    foreign = audit.record(actor=SYSTEM, action="organization.created", target=other_org, organization_id=other_org.id)
    client = console(admin_user)

    rows = results(client.get(reverse("admin:core_auditentry_changelist")))
    assert own in rows and foreign not in rows
    assert client.get(reverse("admin:core_auditentry_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[own.pk]), {"post": "yes"}).status_code == 403
    assert console(staff(Role.EDITOR)).get(reverse("admin:core_auditentry_changelist")).status_code == 403

    root = UserFactory(is_staff=True, is_superuser=True)
    assert {own, foreign} <= set(results(console(root).get(reverse("admin:core_auditentry_changelist"))))
    assert console(root).get(reverse("admin:core_auditentry_add")).status_code == 403


def test_api_keys_are_listed_for_their_organization_and_only_a_platform_admin_changes_the_tier(org, other_org, staff, console):
    from accounts import services as account_services
    from accounts.models import ApiKey

    ours, _ = account_services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "Ours", "scopes": ["events:read"]}, creator_role=None
    )
    account_services.api_key_create(
        actor=SYSTEM, organization=other_org, data={"name": "Theirs", "scopes": ["events:read"]}, creator_role=None
    )
    admin_client = console(staff(Role.ADMIN))
    assert [k.name for k in results(admin_client.get(reverse("admin:accounts_apikey_changelist")))] == ["Ours"]
    change_url = reverse("admin:accounts_apikey_change", args=[ours.pk])
    admin_client.post(change_url, {"rate_tier": "internal"})
    ours.refresh_from_db()
    assert ours.rate_tier == ""

    response = admin_client.post(
        reverse("admin:accounts_apikey_changelist"), {"action": "revoke_keys", "_selected_action": [str(ours.pk)]}
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.revoked_at is not None

    root = UserFactory(email="root@platform.example", is_staff=True, is_superuser=True)
    response = console(root).post(change_url, {"rate_tier": "internal"})
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=ours.pk).rate_tier == "internal"
    assert AuditEntry.objects.get(action="api_key.tier_changed").changes == {"rate_tier": {"from": "", "to": "internal"}}
