"""What the console's pages do, through the services: events in their time zone, walk-ins paid offline, comps,
resent tickets, attendee search and pages, exports, bulk actions, the desk's results."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from core.models import AuditEntry, OutboxEvent
from events.models import Event, EventStatus
from payments.models import Invoice, Payment, PaymentStatus
from registrations.models import CheckIn, Registration, RegistrationStatus
from tests.registrations.factories import DoorsOpenEventFactory, PublishedEventFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_event_is_created_with_two_ticket_types_in_its_own_time_zone(world, as_role):
    venue = world.event.venue
    response = as_role("editor").post(
        reverse("console:event-new"),
        {
            "title": "Tokyo Meetup",
            "category": "other",
            "time_zone": "Asia/Tokyo",
            "starts_at": "2027-03-01T09:00",
            "ends_at": "2027-03-01T17:30",
            "attendance_mode": "in_person",
            "venue": str(venue.pk),
            "currency": "jpy",
            "tickets-TOTAL_FORMS": "2",
            "tickets-INITIAL_FORMS": "0",
            "tickets-MIN_NUM_FORMS": "1",
            "tickets-MAX_NUM_FORMS": "1000",
            "tickets-0-name": "Early bird",
            "tickets-0-price": "1000",
            "tickets-0-sales_ends_at": "2027-02-01T00:00",
            "tickets-1-name": "Regular",
            "tickets-1-price": "2000",
        },
    )
    assert response.status_code == 302, _messages(response)
    event = Event.objects.get(title="Tokyo Meetup")
    assert event.time_zone == "Asia/Tokyo" and event.currency == "JPY" and event.status == EventStatus.DRAFT
    # 09:00 in Tokyo (UTC+9) is 00:00 UTC.
    assert event.starts_at == dt.datetime(2027, 3, 1, 0, 0, tzinfo=dt.UTC)
    types = {t.name: t for t in event.ticket_types.all()}
    assert set(types) == {"Early bird", "Regular"}
    assert types["Early bird"].sales_ends_at == dt.datetime(2027, 1, 31, 15, 0, tzinfo=dt.UTC)
    page = as_role("editor").get(response["Location"]).content.decode()
    assert "Times in Asia/Tokyo" in page
    assert "Mon 1 Mar 2027, 09:00" in page  # shown in the event's zone, not UTC


def test_publish_cancel_and_duplicate(world, as_role):
    client = as_role("owner")
    draft = DoorsOpenEventFactory(organization=world.org, status=EventStatus.DRAFT, title="Draft day")
    TicketTypeFactory(event=draft, name="Only")
    url = reverse("console:event", args=[draft.pk])
    client.post(url, {"action": "publish"})
    draft.refresh_from_db()
    assert draft.status == EventStatus.PUBLISHED
    response = client.post(url, {"action": "duplicate", "starts_at": "2027-06-01T10:00", "title": "Draft day again"})
    copy = Event.objects.get(title="Draft day again")
    assert response["Location"] == reverse("console:event", args=[copy.pk])
    assert copy.status == EventStatus.DRAFT
    assert copy.starts_at.astimezone(BERLIN).replace(tzinfo=None) == dt.datetime(2027, 6, 1, 10, 0)
    assert list(copy.ticket_types.values_list("name", flat=True)) == ["Only"]
    client.post(url, {"action": "cancel", "reason": "venue flooded"})
    draft.refresh_from_db()
    assert draft.status == EventStatus.CANCELLED and draft.cancellation_reason == "venue flooded"


def test_ticket_types_and_sessions_are_edited_in_place_in_the_events_zone(world, as_role):
    client = as_role("editor")
    url = reverse("console:event", args=[world.event.pk])
    prefix = f"t-{world.ticket.pk}"
    client.post(
        url,
        {
            "action": "ticket-edit",
            "id": str(world.ticket.pk),
            f"{prefix}-name": "Standard",
            f"{prefix}-price": "30.00",
            f"{prefix}-capacity": "80",
        },
    )
    world.ticket.refresh_from_db()
    assert world.ticket.price == Decimal("30.00") and world.ticket.capacity == 80
    start = world.event.starts_at.astimezone(BERLIN)
    client.post(
        url,
        {
            "action": "session-add",
            "new-session-title": "Workshop",
            "new-session-starts_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "new-session-ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    session = world.event.sessions.get(title="Workshop")
    assert session.starts_at == world.event.starts_at.replace(second=0) + dt.timedelta(hours=2)  # minutes in the form


def test_the_check_in_window_is_set_on_the_event_page_and_a_bound_out_of_range_is_refused(world, as_role):
    client = as_role("editor")
    url = reverse("console:event", args=[world.event.pk])
    page = client.get(url).content.decode()
    assert 'name="check_in_opens_minutes_before_start"' in page and "Check-in opens (minutes before the start)" in page
    event = world.event
    local = {
        "starts_at": event.starts_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": event.ends_at.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
    }
    form = {
        "action": "update",
        "title": event.title,
        "category": event.category,
        "time_zone": event.time_zone,
        **local,
        "attendance_mode": event.attendance_mode,
        "venue": str(event.venue_id or ""),
        "online_url": event.online_url,
        "currency": event.currency,
    }
    before = event.check_in_opens_minutes_before_start
    saved = client.post(url, {**form, "check_in_opens_minutes_before_start": "90", "check_in_closes_minutes_after_end": "30"})
    assert "The event was saved." in _messages(saved), _messages(saved)
    event.refresh_from_db()
    assert (event.check_in_opens_minutes_before_start, event.check_in_closes_minutes_after_end) == (90, 30)
    entry = AuditEntry.objects.get(action="event.updated", object_id=str(event.id))
    assert entry.changes["check_in_opens_minutes_before_start"] == {"from": before, "to": 90}

    too_far = client.post(url, {**form, "check_in_opens_minutes_before_start": str(366 * 24 * 60 + 1)})
    assert any("check_in_opens_minutes_before_start" in m or "Check-in opens" in m for m in _messages(too_far)), _messages(
        too_far
    )
    event.refresh_from_db()
    assert event.check_in_opens_minutes_before_start == 90


def test_a_registrations_answers_are_edited_as_a_form_through_the_apis_service(world, as_role, api):
    registration = world.pending
    answers = {"company": "Acme", "diet": "vegan", "newsletter": True, "seats": 2, "topics": ["APIs", "Security"]}
    Registration.objects.filter(pk=registration.pk).update(answers=answers)
    client = as_role("editor")
    url = reverse("console:registration", args=[registration.pk])
    shown = client.get(url)
    page = shown.content.decode()
    n = {key: i for i, key in enumerate(shown.context["answers_form"].keys)}  # in the stored (jsonb) order
    assert f'name="answers-answer_{n["company"]}"' in page and 'value="Acme"' in page and "Remove “Diet”" in page
    outbox_before = OutboxEvent.objects.count()

    response = client.post(
        url,
        {
            "action": "answers",
            "answers-attendee_name": "Pat Pending",
            "answers-attendee_email": registration.attendee_email,
            f"answers-answer_{n['company']}": "Acme GmbH",
            f"answers-answer_{n['diet']}": "vegan",
            f"answers-remove_{n['diet']}": "on",
            # newsletter unticked: False
            f"answers-answer_{n['seats']}": "3",
            f"answers-answer_{n['topics']}": "APIs\nPrivacy\n",
            "answers-new_question": "t_shirt",
            "answers-new_answer": "M",
        },
    )

    assert response.status_code == 302 and "The attendee and the answers are saved." in _messages(response)
    registration.refresh_from_db()
    assert registration.attendee_name == "Pat Pending"
    assert registration.answers == {
        "company": "Acme GmbH",
        "newsletter": False,
        "seats": 3,
        "topics": ["APIs", "Privacy"],
        "t_shirt": "M",
    }
    entry = AuditEntry.objects.get(action="registration.updated", object_id=str(registration.pk))
    assert entry.actor_id == str(world.users["editor"].pk)
    assert entry.changes["answers"]["to"]["t_shirt"] == "M" and entry.changes["attendee_name"]["to"] == "Pat Pending"
    console_published = OutboxEvent.objects.count() - outbox_before

    # The API's PATCH is the same service: the same audit action and the same webhooks (the catalog has no
    # registration.updated, so neither publishes one).
    before = OutboxEvent.objects.count()
    patched = api(world.users["owner"], world.org).patch(
        f"/api/v1/registrations/{world.paid.pk}", {"answers": {"company": "Rival"}}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert AuditEntry.objects.filter(action="registration.updated", object_id=str(world.paid.pk)).exists()
    assert console_published == OutboxEvent.objects.count() - before == 0


def test_answers_beyond_the_apis_limits_are_refused_in_words_and_nothing_changes(world, as_role, api):
    registration = world.pending
    big = {f"q{n}": "x" * 1900 for n in range(6)}  # each answer fits, together beyond the API's 10,000 bytes
    Registration.objects.filter(pk=registration.pk).update(answers=big)
    client = as_role("editor")
    url = reverse("console:registration", args=[registration.pk])
    form = {"action": "answers", "answers-attendee_name": "Pat", "answers-attendee_email": registration.attendee_email}
    form.update({f"answers-answer_{n}": "x" * 1900 for n in range(6)})

    refused = client.post(url, form)
    assert any("10000 bytes" in m for m in _messages(refused)), _messages(refused)
    registration.refresh_from_db()
    assert registration.attendee_name != "Pat"
    api_refused = api(world.users["owner"], world.org).patch(
        f"/api/v1/registrations/{registration.pk}", {"answers": big}, format="json"
    )
    assert api_refused.status_code == 400  # the same limit through the API

    too_long = client.post(url, {**form, "answers-answer_0": "x" * 2001})
    assert any("at most 2000 characters" in m for m in _messages(too_long)), _messages(too_long)
    orphan = client.post(url, {**form, "answers-new_answer": "M"})
    assert any("Name the question" in m for m in _messages(orphan)), _messages(orphan)
    assert not AuditEntry.objects.filter(action="registration.updated", object_id=str(registration.pk)).exists()


def test_a_walk_in_on_a_paid_ticket_is_marked_paid_offline_and_keeps_no_expiry(world, as_role):
    client = as_role("owner")
    response = client.post(
        reverse("console:event", args=[world.event.pk]),
        {"action": "walk-in", "name": "Walk In", "email": "walk@example.com", "ticket_type": str(world.ticket.pk)},
    )
    registration = Registration.objects.get(attendee_email="walk@example.com")
    assert response["Location"] == reverse("console:registration", args=[registration.pk])
    assert registration.status == RegistrationStatus.PENDING_PAYMENT and registration.expires_at is not None
    client.post(response["Location"], {"action": "mark_paid", "method": "cash", "note": "receipt 17"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.expires_at is None
    payment = Payment.objects.get(items__registration=registration)
    assert payment.provider == "offline" and payment.status == PaymentStatus.SUCCEEDED
    assert payment.amount == Decimal("25.00") and payment.provider_reference.startswith("cash:")
    assert Invoice.objects.filter(payment=payment).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Paid offline" in page and "Succeeded" in page


def test_an_offline_payment_is_refunded_with_a_reason(world, as_role):
    client = as_role("finance")
    url = reverse("console:registration", args=[world.pending.pk])
    as_role("owner").post(url, {"action": "mark_paid", "method": "card_terminal"})
    payment = Payment.objects.get(items__registration=world.pending)
    client.post(url, {"action": "refund", "payment": str(payment.pk), "amount": "5.00", "reason": "late start"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.refunded_amount == Decimal("5.00")
    assert payment.refunds.get().reason == "late start"


def test_a_comp_confirms_without_payment(world, as_role):
    as_role("editor").post(reverse("console:registration", args=[world.pending.pk]), {"action": "comp", "reason": "press"})
    world.pending.refresh_from_db()
    assert world.pending.status == RegistrationStatus.CONFIRMED and world.pending.expires_at is None
    assert not Payment.objects.filter(items__registration=world.pending).exists()
    assert AuditEntry.objects.filter(action="registration.comped", object_id=str(world.pending.pk)).exists()


def test_resending_the_ticket_emails_the_attendee_and_lists_the_email(world, as_role, django_capture_on_commit_callbacks):
    client = as_role("editor")
    url = reverse("console:registration", args=[world.paid.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "resend_ticket"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["paid@example.com"]
    assert world.paid.ticket_code in message.body and "(Europe/Berlin)" in message.body
    assert "Ticket to paid@example.com" in client.get(url).content.decode()


def test_the_attendee_list_searches_filters_sorts_and_pages(world, as_role):
    client = as_role("viewer")
    url = reverse("console:attendees", args=[world.event.pk])
    found = client.get(url, {"q": "pending@"}).content.decode()
    assert "pending@example.com" in found and "paid@example.com" not in found
    by_code = client.get(url, {"q": world.paid.ticket_code}).content.decode()
    assert "paid@example.com" in by_code and "inside@example.com" not in by_code
    paid = client.get(url, {"paid": "yes"}).content.decode()
    assert "paid@example.com" in paid and "pending@example.com" not in paid
    inside = client.get(url, {"checked_in": "yes"}).content.decode()
    assert "inside@example.com" in inside and "paid@example.com" not in inside
    pending = client.get(url, {"status": "pending_payment"}).content.decode()
    assert "pending@example.com" in pending and "inside@example.com" not in pending


def test_keyset_pages_walk_every_registration_once_in_order(world, as_role, monkeypatch):
    from console.views import attendees

    monkeypatch.setattr(attendees, "PAGE_SIZE", 2)
    for i in range(5):
        Registration.objects.create(
            organization=world.org,
            event=world.event,
            ticket_type=world.free,
            order_id=world.paid.order_id,
            attendee_name=f"Zed {i}",
            attendee_email=f"zed{i}@example.com",
            status=RegistrationStatus.CONFIRMED,
        )
    client = as_role("owner")
    url = reverse("console:attendees", args=[world.event.pk])
    seen, query = [], {"sort": "name"}
    for _ in range(10):
        response = client.get(url, query)
        rows = response.context["rows"]
        seen += [row["registration"].attendee_name for row in rows]
        if not response.context["next_query"]:
            break
        query = dict(pair.split("=", 1) for pair in response.context["next_query"].split("&"))
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == world.event.registrations.count()


def test_the_filtered_list_exports_as_csv_and_xlsx_in_the_events_zone(world, as_role):
    client = as_role("viewer")
    url = reverse("console:attendees-export", args=[world.event.pk])
    response = client.get(url, {"paid": "yes", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Email", "Ticket type"]
    assert [r[1] for r in rows[1:]] == ["paid@example.com"]
    assert rows[1][5] == world.paid.created_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")
    assert rows[1][8] == "Europe/Berlin"
    xlsx = client.get(url, {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    emails = sorted(row[1] for row in book["Attendees"].iter_rows(min_row=2, values_only=True))
    assert emails == ["inside@example.com", "paid@example.com", "pending@example.com"]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(world, as_role):
    Registration.objects.filter(pk=world.paid.pk).update(attendee_name='=HYPERLINK("http://x")')
    response = as_role("owner").get(reverse("console:attendees-export", args=[world.event.pk]), {"paid": "yes"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_bulk_check_in_cancel_and_refund(world, as_role):
    client = as_role("owner")
    url = reverse("console:attendees", args=[world.event.pk])
    client.post(url, {"action": "check_in", "ids": [str(world.paid.pk)]})
    assert CheckIn.objects.filter(registration=world.paid, accepted=True).exists()
    client.post(url, {"action": "cancel_refund", "ids": [str(world.paid.pk)], "reason": "double booking"})
    world.paid.refresh_from_db()
    assert world.paid.status == RegistrationStatus.CANCELLED
    payment = Payment.objects.get(items__registration=world.paid)
    assert payment.status == PaymentStatus.REFUNDED and payment.refunds.get().reason == "double booking"


def test_bulk_resend_sends_one_email_each(world, as_role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_role("editor").post(
            reverse("console:attendees", args=[world.event.pk]),
            {"action": "resend_confirmation", "ids": [str(world.paid.pk), str(world.checked_in.pk)]},
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["inside@example.com", "paid@example.com"]


def _scan(client, event, code):
    return client.post(reverse("console:desk-scan", args=[event.pk]), {"code": code}).json()


def test_the_desk_answers_each_result_in_words(world, as_role):
    client = as_role("checkin")
    valid = _scan(client, world.event, world.paid.ticket_code)
    assert valid["tone"] == "valid" and valid["headline"] == "Valid: checked in" and "Standard" in valid["detail"]
    assert valid["counts"]["checked_in"] == 2
    again = _scan(client, world.event, world.paid.ticket_code)
    first = CheckIn.objects.get(registration=world.paid, accepted=True).created_at.astimezone(BERLIN)
    assert again["headline"] == f"Already checked in at {first:%H:%M}" and again["tone"] == "warn"
    elsewhere = DoorsOpenEventFactory(organization=world.org, title="Side event")
    wrong = _scan(client, elsewhere, world.paid.ticket_code)
    assert wrong["headline"] == "Wrong event" and "Berlin Summit" in wrong["detail"]
    Registration.objects.filter(pk=world.pending.pk).update(status=RegistrationStatus.CANCELLED)
    assert _scan(client, world.event, world.pending.ticket_code)["headline"] == "Cancelled ticket"
    later = PublishedEventFactory(organization=world.org, starts_at=world.event.starts_at + dt.timedelta(days=30))
    outside = _scan(client, later, "whatever")
    assert outside["headline"] == "Outside the check-in window"
    # Undo the valid check-in: the attendee can be checked in again.
    undone = client.post(reverse("console:desk-undo", args=[world.event.pk, valid["checkinId"]])).json()
    assert undone["headline"] == "Check-in undone" and undone["counts"]["checked_in"] == 1
    assert _scan(client, world.event, world.paid.ticket_code)["tone"] == "valid"
    assert client.get(reverse("console:desk-counts", args=[world.event.pk])).json() == {
        "checked_in": 2,
        "expected": 2,
        "remaining": 0,
    }


def test_settings_profile_team_invitations_keys_and_webhooks(world, as_role, django_capture_on_commit_callbacks):
    from accounts.models import ApiKey, Invitation, Membership
    from integrations.models import WebhookSubscription

    client = as_role("owner")
    url = reverse("console:settings")
    client.post(url, {"action": "profile", "name": "Acme Live", "default_time_zone": "Europe/Paris", "default_currency": "chf"})
    world.org.refresh_from_db()
    assert (world.org.name, world.org.default_time_zone, world.org.default_currency) == ("Acme Live", "Europe/Paris", "CHF")

    viewer = world.users["viewer"]
    client.post(url, {"action": "role", "user": str(viewer.pk), "role": "editor"})
    assert Membership.objects.get(user=viewer, organization=world.org).role == "editor"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "invite", "email": "newbie@acme.example", "role": "checkin"})
    invitation = Invitation.objects.get(email="newbie@acme.example")
    assert invitation.role == "checkin" and mail.outbox[-1].to == ["newbie@acme.example"]
    client.post(url, {"action": "revoke-invitation", "invitation": str(invitation.pk)})
    invitation.refresh_from_db()
    assert invitation.status == "revoked"

    created = client.post(url, {"action": "key-create", "name": "Badge printer", "scopes": ["registrations:read"]})
    key = ApiKey.objects.get(name="Badge printer", organization=world.org)
    secret = created.context["secret"]["value"]
    assert secret.startswith(key.prefix) and created["Cache-Control"] == "no-store"
    assert secret not in client.get(url).content.decode()  # shown once
    rotated = client.post(url, {"action": "key-rotate", "key": str(key.pk)})
    assert rotated.context["secret"]["value"] != secret
    client.post(url, {"action": "key-revoke", "key": str(key.pk)})
    key.refresh_from_db()
    assert key.revoked_at is not None

    hooked = client.post(
        url, {"action": "webhook-create", "url": "https://hooks.example.com/in", "event_types": ["checkin.completed"]}
    )
    subscription = WebhookSubscription.objects.get(organization=world.org)
    assert subscription.event_types == ["checkin.completed"] and hooked.context["secret"]["value"]
    client.post(url, {"action": "webhook-delete", "subscription": str(subscription.pk)})
    assert not WebhookSubscription.objects.filter(pk=subscription.pk).exists()


def test_settings_refuse_the_last_owners_demotion_in_words(world, as_role):
    response = as_role("owner").post(
        reverse("console:settings"), {"action": "role", "user": str(world.users["owner"].pk), "role": "viewer"}, follow=True
    )
    assert any("owner" in m.lower() for m in _messages(response))


def test_the_audit_log_filters_by_actor_action_object_and_day(world, as_role):
    client = as_role("owner")
    as_role("editor").post(reverse("console:registration", args=[world.pending.pk]), {"action": "comp", "reason": "press"})
    editor = world.users["editor"]
    url = reverse("console:audit")
    by_actor = client.get(url, {"actor": str(editor.pk)}).context["entries"]
    assert by_actor and {row["entry"].actor_label for row in by_actor} == {editor.audit_label}
    by_action = client.get(url, {"action": "registration.comped"}).context["entries"]
    assert [row["entry"].object_id for row in by_action] == [str(world.pending.pk)]
    assert by_action[0]["changes"] == ["reason: press"]  # sentences, not JSON
    by_object = client.get(url, {"object_id": str(world.paid.pk)}).context["entries"]
    assert by_object and all(row["entry"].object_id == str(world.paid.pk) for row in by_object)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert client.get(url, {"since": tomorrow}).context["entries"] == []
    assert client.get(url, {"object_type": "registrations.registration"}).context["entries"]
