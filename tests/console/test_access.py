"""Who opens which console page and may do which action: the role table of accounts.roles, and 404 across organizations."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Perm, Role, role_has
from payments.models import Payment
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# page -> the permissions it needs (beside console.open for every page but the desk)
PAGES = {
    "home": (Perm.CONSOLE_OPEN,),
    "events": (Perm.CONSOLE_OPEN,),
    "event-new": (Perm.CONSOLE_OPEN, Perm.EVENTS_EDIT),
    "event": (Perm.CONSOLE_OPEN,),
    "attendees": (Perm.CONSOLE_OPEN, Perm.REGISTRATIONS_VIEW),
    "attendees-export": (Perm.CONSOLE_OPEN, Perm.REGISTRATIONS_VIEW),
    "registration": (Perm.CONSOLE_OPEN, Perm.REGISTRATIONS_VIEW),
    "desk": (Perm.CHECKIN_PERFORM,),
    "desk-event": (Perm.CHECKIN_PERFORM,),
    "desk-counts": (Perm.CHECKIN_PERFORM,),
    "reports": (Perm.CONSOLE_OPEN, Perm.PAYMENTS_VIEW),
    "audit": (Perm.CONSOLE_OPEN, Perm.AUDIT_VIEW),
    "settings": (Perm.CONSOLE_OPEN,),
    "email-templates": (Perm.CONSOLE_OPEN, Perm.EVENTS_VIEW),
}


def _url(name, world, other=False):
    event = world.other_event if other else world.event
    registration = world.other_registration if other else world.paid
    if name in ("event", "attendees", "attendees-export", "desk-event", "desk-counts"):
        return reverse(f"console:{name}", args=[event.pk])
    if name == "registration":
        return reverse("console:registration", args=[registration.pk])
    return reverse(f"console:{name}")


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_opens_exactly_for_the_roles_the_table_allows(world, as_role, role, name):
    allowed = all(role_has(role, perm) for perm in PAGES[name])
    status = as_role(role).get(_url(name, world)).status_code
    assert status == (200 if allowed else 403), (role, name, status)


@pytest.mark.parametrize("name", ["event", "attendees", "attendees-export", "registration", "desk-event", "desk-counts"])
def test_another_organizations_objects_are_404(world, as_role, name):
    assert as_role("owner").get(_url(name, world, other=True)).status_code == 404


def test_another_organizations_check_in_and_undo_are_404(world, as_role):
    client = as_role("owner")
    scan = client.post(reverse("console:desk-scan", args=[world.other_event.pk]), {"code": world.other_registration.ticket_code})
    assert scan.status_code == 404
    checkin = world.checked_in.checkins.get()
    undo = client.post(reverse("console:desk-undo", args=[world.other_event.pk, checkin.pk]))
    assert undo.status_code == 404
    # The right event but a check-in of the other organization's event is not found either.
    assert (
        client.post(reverse("console:desk-undo", args=[world.event.pk, "00000000-0000-0000-0000-000000000001"])).status_code
        == 404
    )


def test_actions_on_another_organizations_registration_are_404_and_change_nothing(world, as_role):
    response = as_role("owner").post(
        reverse("console:registration", args=[world.other_registration.pk]), {"action": "cancel", "reason": "no"}
    )
    assert response.status_code == 404
    answers = as_role("owner").post(
        reverse("console:registration", args=[world.other_registration.pk]),
        {"action": "answers", "answers-attendee_name": "Hijacked", "answers-attendee_email": "x@example.com"},
    )
    assert answers.status_code == 404
    world.other_registration.refresh_from_db()
    assert world.other_registration.status == "confirmed"  # a free ticket, untouched
    assert world.other_registration.attendee_name != "Hijacked"


def test_a_registration_of_another_organization_cannot_be_smuggled_into_a_bulk_action(world, as_role):
    client = as_role("owner")
    client.post(
        reverse("console:attendees", args=[world.event.pk]),
        {"action": "cancel", "ids": [str(world.other_registration.pk)], "reason": "test"},
    )
    world.other_registration.refresh_from_db()
    assert world.other_registration.status == "confirmed"  # a free ticket, untouched


def test_anonymous_visitors_are_sent_to_the_one_sign_in(world):
    response = Client().get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/console/home/" in response["Location"]


def test_check_in_staff_land_on_the_desk_and_see_nothing_else(world, as_role):
    client = as_role("checkin")
    index = client.get(reverse("console:index"))
    assert index.status_code == 302 and index["Location"] == reverse("console:desk")
    desk = client.get(reverse("console:desk")).content.decode()
    assert 'href="/console/desk/"' in desk
    for other in ("/console/home/", "/console/events/", "/console/reports/", "/console/audit/"):
        assert f'href="{other}"' not in desk


def test_check_in_staff_need_no_staff_flag(world):
    user = world.users["checkin"]
    assert not user.is_staff
    client = Client()
    client.force_login(user)
    assert client.get(reverse("console:desk-event", args=[world.event.pk])).status_code == 200


def test_a_member_of_two_organizations_switches_between_them(world, as_role):
    user = world.users["owner"]
    MembershipFactory(user=user, organization=world.other_org, role=Role.VIEWER)
    client = as_role("owner")
    assert "Berlin Summit" in client.get(reverse("console:home")).content.decode()
    response = client.post(reverse("console:switch"), {"organization": str(world.other_org.pk)})
    assert response.status_code == 302
    home = client.get(reverse("console:home")).content.decode()
    assert "Rival Fair" in home and "Berlin Summit" not in home
    # Now the first organization's objects are the other organization's: 404.
    assert client.get(reverse("console:event", args=[world.event.pk])).status_code == 404
    # As a viewer there, the reports (payments.view) are refused.
    assert client.get(reverse("console:reports")).status_code == 403


def test_switching_to_an_organization_one_is_not_a_member_of_is_404(world, as_role):
    stranger = OrganizationFactory()
    assert as_role("owner").post(reverse("console:switch"), {"organization": str(stranger.pk)}).status_code == 404


# action -> (page, post data, permission needed)
def _actions(world):
    event_url = reverse("console:event", args=[world.event.pk])
    registration_url = reverse("console:registration", args=[world.pending.pk])
    attendees_url = reverse("console:attendees", args=[world.event.pk])
    settings_url = reverse("console:settings")
    paid_url = reverse("console:registration", args=[world.paid.pk])
    session = world.event.sessions.get()
    ticket = f"t-{world.ticket.pk}"
    payment = Payment.objects.get(items__registration=world.paid).pk
    return {
        "duplicate": (event_url, {"action": "duplicate", "starts_at": "2027-06-01T10:00", "title": "Again"}, Perm.EVENTS_EDIT),
        "ticket-edit": (
            event_url,
            {"action": "ticket-edit", "id": str(world.ticket.pk), f"{ticket}-name": "Standard", f"{ticket}-price": "30"},
            Perm.EVENTS_EDIT,
        ),
        "session-add": (
            event_url,
            {
                "action": "session-add",
                "new-session-title": "Panel",
                "new-session-starts_at": "2030-01-01T10:00",
                "new-session-ends_at": "2030-01-01T11:00",
            },
            Perm.EVENTS_EDIT,
        ),
        "session-edit": (
            event_url,
            {
                "action": "session-edit",
                "id": str(session.pk),
                f"s-{session.pk}-title": "Renamed keynote",
                f"s-{session.pk}-starts_at": "2030-01-01T09:00",
                f"s-{session.pk}-ends_at": "2030-01-01T09:30",
            },
            Perm.EVENTS_EDIT,
        ),
        "refund": (
            paid_url,
            {"action": "refund", "payment": str(payment), "reason": "asked", "amount": "5.00"},
            Perm.PAYMENTS_MANAGE,
        ),
        "bulk-resend": (attendees_url, {"action": "resend_ticket", "ids": [str(world.paid.pk)]}, Perm.REGISTRATIONS_MANAGE),
        "bulk-cancel": (attendees_url, {"action": "cancel", "ids": [str(world.pending.pk)]}, Perm.REGISTRATIONS_MANAGE),
        "role": (settings_url, {"action": "role", "user": str(world.users["viewer"].pk), "role": "editor"}, Perm.MEMBERS_MANAGE),
        "remove": (settings_url, {"action": "remove", "user": str(world.users["viewer"].pk)}, Perm.MEMBERS_MANAGE),
        "desk-scan": (
            reverse("console:desk-scan", args=[world.event.pk]),
            {"code": world.paid.ticket_code},
            Perm.CHECKIN_PERFORM,
        ),
        "publish": (event_url, {"action": "publish"}, Perm.EVENTS_PUBLISH),
        "cancel-event": (event_url, {"action": "cancel", "reason": "storm"}, Perm.EVENTS_PUBLISH),
        "ticket-add": (event_url, {"action": "ticket-add", "new-ticket-name": "VIP", "new-ticket-price": "99"}, Perm.EVENTS_EDIT),
        "walk-in": (
            event_url,
            {"action": "walk-in", "name": "Walk In", "email": "walk@example.com", "ticket_type": str(world.ticket.pk)},
            Perm.REGISTRATIONS_MANAGE,
        ),
        "mark-paid": (registration_url, {"action": "mark_paid", "method": "cash"}, Perm.PAYMENTS_MANAGE),
        "comp": (registration_url, {"action": "comp", "reason": "speaker"}, Perm.REGISTRATIONS_MANAGE),
        "resend": (registration_url, {"action": "resend_ticket"}, Perm.REGISTRATIONS_MANAGE),
        "answers": (
            registration_url,
            {"action": "answers", "answers-attendee_name": "Pat", "answers-attendee_email": "pat@example.com"},
            Perm.REGISTRATIONS_MANAGE,
        ),
        "cancel-registration": (registration_url, {"action": "cancel", "reason": "asked"}, Perm.REGISTRATIONS_MANAGE),
        "bulk-check-in": (attendees_url, {"action": "check_in", "ids": [str(world.paid.pk)]}, Perm.CHECKIN_PERFORM),
        "bulk-cancel-refund": (attendees_url, {"action": "cancel_refund", "ids": [str(world.paid.pk)]}, Perm.PAYMENTS_MANAGE),
        "profile": (
            settings_url,
            {"action": "profile", "name": "Acme", "default_time_zone": "UTC", "default_currency": "EUR"},
            Perm.ORGANIZATION_MANAGE,
        ),
        "two-factor": (settings_url, {"action": "two-factor", "required": "on"}, Perm.ORGANIZATION_MANAGE),
        "event-update": (event_url, {"action": "update", "title": "Renamed"}, Perm.EVENTS_EDIT),
        "invite": (settings_url, {"action": "invite", "email": "new@acme.example", "role": "viewer"}, Perm.MEMBERS_MANAGE),
        "key-create": (
            settings_url,
            {"action": "key-create", "name": "Printer", "scopes": ["events:read"]},
            Perm.INTEGRATIONS_MANAGE,
        ),
        "webhook-create": (
            settings_url,
            {"action": "webhook-create", "url": "https://hooks.example.com/in", "event_types": ["registration.created"]},
            Perm.INTEGRATIONS_MANAGE,
        ),
    }


ACTIONS = [
    "duplicate",
    "ticket-edit",
    "session-add",
    "session-edit",
    "refund",
    "bulk-resend",
    "bulk-cancel",
    "role",
    "remove",
    "desk-scan",
    "publish",
    "cancel-event",
    "ticket-add",
    "walk-in",
    "mark-paid",
    "comp",
    "resend",
    "answers",
    "cancel-registration",
    "bulk-check-in",
    "bulk-cancel-refund",
    "profile",
    "two-factor",
    "event-update",
    "invite",
    "key-create",
    "webhook-create",
]


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_is_refused_to_the_roles_without_its_permission(world, as_role, role, action):
    url, data, perm = _actions(world)[action]
    # The desk is check-in staff's page: it needs no console.open.
    allowed = role_has(role, perm) and (action == "desk-scan" or role_has(role, Perm.CONSOLE_OPEN))
    status = as_role(role).post(url, data).status_code
    if allowed:
        assert status in (200, 302), (role, action, status)  # 200: the page showing a secret once
    else:
        assert status == 403, (role, action, status)
