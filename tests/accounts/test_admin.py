"""The model admin at /admin/: platform superusers only; organizers work in the console (/console/).

What organizers did in the scoped admin is tested on the console's pages (tests/console/); here the
admin lets in no one but a superuser, and a superuser's writes still go through the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiKey, Invitation, Membership
from accounts.roles import Role
from core import audit
from core.audit import SYSTEM
from core.models import AuditEntry
from tests.conftest import membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = (
    "/admin/",
    "/admin/accounts/organization/",
    "/admin/accounts/membership/",
    "/admin/events/event/",
    "/admin/registrations/registration/",
    "/admin/payments/payment/",
    "/admin/core/auditentry/",
    "/admin/sso/identityprovider/",
)


def results(response: Any) -> list[Any]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("is_staff", [False, True])
def test_no_organization_member_enters_the_admin_whatever_their_role_or_staff_flag(member, console, role, is_staff):
    client = console(member(role, is_staff=is_staff))
    memberships = Membership.objects.count()
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/console/", path
    stranger = UserFactory()
    posted = client.post(
        reverse("admin:accounts_membership_add"), {"organization": "", "user": str(stranger.id), "role": Role.OWNER}
    )
    assert posted.status_code == 302 and posted["Location"] == "/console/"
    assert Membership.objects.count() == memberships


def test_an_anonymous_visitor_is_sent_to_the_one_sign_in():
    response = Client().get("/admin/events/event/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=/admin/events/event/")


def test_a_superuser_opens_every_admin_page_and_view_site_leads_to_the_console(root, console):
    client = console(root)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 200, path
    assert 'href="/console/"' in client.get("/admin/").text


def test_a_superuser_changes_a_role_through_the_service(org, member, owner, root, console):
    target = membership(member(Role.VIEWER), org)

    response = console(root).post(reverse("admin:accounts_membership_change", args=[target.pk]), {"role": Role.EDITOR})

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.EDITOR
    entry = AuditEntry.objects.get(action="membership.role_changed", object_id=str(target.pk))
    assert entry.actor_id == str(root.id)


def test_the_last_owner_stays_an_owner_even_for_a_superuser(org, owner, root, console):
    owner_membership = membership(owner, org)

    response = console(root).post(reverse("admin:accounts_membership_change", args=[owner_membership.pk]), {"role": Role.VIEWER})

    assert response.status_code == 302
    assert any("LAST_OWNER" in str(m) for m in get_messages(response.wsgi_request))
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.OWNER


def test_adding_a_member_records_an_audit_entry(org, root, console):
    colleague = UserFactory()

    response = console(root).post(
        reverse("admin:accounts_membership_add"), {"organization": str(org.id), "user": str(colleague.id), "role": Role.EDITOR}
    )

    assert response.status_code == 302
    added = Membership.objects.get(organization=org, user=colleague)
    assert added.role == Role.EDITOR
    assert AuditEntry.objects.filter(action="membership.created", object_id=str(added.pk), actor_id=str(root.id)).exists()


def test_a_superuser_changes_an_organization_with_an_audit_entry(org, other_org, root, console):
    assert {org, other_org} <= set(results(console(root).get(reverse("admin:accounts_organization_changelist"))))
    response = console(root).post(
        reverse("admin:accounts_organization_change", args=[org.pk]),
        {"name": "Acme Events GmbH", "slug": "acme", "default_currency": "EUR", "default_time_zone": "Europe/Berlin"},
    )

    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Acme Events GmbH"
    entry = AuditEntry.objects.get(action="organization.updated", object_id=str(org.id))
    assert entry.changes["name"] == {"from": "Acme Events", "to": "Acme Events GmbH"}


def test_invitations_are_read_only_and_revoked_by_the_action(org, root, console):
    mine = Invitation.objects.create(
        organization=org,
        email="new@acme.example",
        role=Role.EDITOR,
        token_hash="a" * 64,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    client = console(root)

    assert results(client.get(reverse("admin:accounts_invitation_changelist"))) == [mine]
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403

    client.post(
        reverse("admin:accounts_invitation_changelist"), {"action": "revoke_invitations", "_selected_action": [str(mine.pk)]}
    )
    mine.refresh_from_db()
    assert mine.status == "revoked"
    assert AuditEntry.objects.filter(action="invitation.revoked", actor_id=str(root.id)).exists()


def test_the_audit_log_is_read_only_even_for_a_superuser(org, other_org, root, console):
    own = audit.record(actor=SYSTEM, action="organization.created", target=org, organization_id=org.id)
    foreign = audit.record(actor=SYSTEM, action="organization.created", target=other_org, organization_id=other_org.id)
    client = console(root)

    assert {own, foreign} <= set(results(client.get(reverse("admin:core_auditentry_changelist"))))
    assert client.get(reverse("admin:core_auditentry_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[own.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=own.pk).exists()


def test_a_superuser_changes_a_keys_tier_and_nothing_else_and_revokes_it(org, root, console):
    from accounts import services as account_services

    ours, _ = account_services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "Ours", "scopes": ["events:read"]}, creator_role=None
    )
    client = console(root)
    change_url = reverse("admin:accounts_apikey_change", args=[ours.pk])
    assert client.get(reverse("admin:accounts_apikey_add")).status_code == 403

    response = client.post(change_url, {"rate_tier": "internal", "name": "Renamed"})

    assert response.status_code == 302
    stored = ApiKey.objects.get(pk=ours.pk)
    assert stored.rate_tier == "internal" and stored.name == "Ours"
    assert AuditEntry.objects.get(action="api_key.tier_changed").changes == {"rate_tier": {"from": "", "to": "internal"}}

    response = client.post(
        reverse("admin:accounts_apikey_changelist"), {"action": "revoke_keys", "_selected_action": [str(ours.pk)]}
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.revoked_at is not None
