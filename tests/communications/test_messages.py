"""The seven message types from their triggers, through the SendGrid fake: each once, to the right people, with
its variables; reminders on the event's schedule in its time zone; opt-out and one-click unsubscribe; SendGrid
down during a reminder run; a reminder run twice."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail, signing

from communications import notify, services, tasks
from communications.models import EventMessaging, Message, MessageStatus, MessageType
from connectors import tasks as connector_tasks
from core.audit import SYSTEM
from events import services as event_services
from events.models import Event
from registrations.checkins import checkin_scan
from registrations.models import Registration
from tests.fakes.sendgrid import SendGridFake
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory, register

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def event(org: Any, frozen: Any) -> Event:
    # Starts Saturday 2027-03-20 at 18:00 in Berlin; the clock is a week and a half before.
    frozen.now = dt.datetime(2027, 3, 10, 8, 0, tzinfo=dt.UTC)
    return PublishedEventFactory(
        organization=org,
        title="Spring Summit",
        starts_at=dt.datetime(2027, 3, 20, 18, 0, tzinfo=BERLIN),
        ends_at=dt.datetime(2027, 3, 20, 22, 0, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
    )


@pytest.fixture
def attendees(event: Event, sendgrid: SendGridFake, connect_sendgrid: Any, capture: Any) -> list[Registration]:
    connect_sendgrid()
    with capture(execute=True):
        registrations = register(event, TicketTypeFactory(event=event), n=3)
    return registrations


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any, eager: None) -> Any:
    return django_capture_on_commit_callbacks


def sent_of(sendgrid: SendGridFake, type: str) -> list[dict[str, Any]]:
    ids = {str(i) for i in Message.objects.filter(type=type).values_list("pk", flat=True)}
    return [s for s in sendgrid.delivered if s["custom_args"]["emp_message"] in ids]


def text_of(sent: dict[str, Any]) -> str:
    return next(c["value"] for c in sent["content"] if c["type"] == "text/plain")


def recipients(sent: list[dict[str, Any]]) -> list[str]:
    return sorted(s["personalizations"][0]["to"][0]["email"] for s in sent)


def emails(registrations: list[Registration]) -> list[str]:
    return sorted(r.attendee_email for r in registrations)


def test_a_confirmation_with_ticket_and_ics_goes_to_each_attendee_once(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake
) -> None:
    confirmations = sent_of(sendgrid, MessageType.REGISTRATION_CONFIRMATION)
    assert recipients(confirmations) == emails(attendees)
    first = next(s for s in confirmations if s["personalizations"][0]["to"][0]["email"] == attendees[0].attendee_email)
    assert first["subject"] == "You're registered: Spring Summit"
    text = text_of(first)
    assert attendees[0].attendee_name in text and attendees[0].ticket_code in text
    assert "Sat 20 Mar 2027, 18:00 CET" in text
    (ics,) = first["attachments"]
    assert ics["filename"] == "event.ics" and ics["type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(base64.b64decode(ics["content"]))
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == dt.datetime(2027, 3, 20, 18, 0, tzinfo=BERLIN)
    assert str(vevent["summary"]) == "Spring Summit"


def test_a_changed_time_tells_every_registrant_once_and_a_new_description_tells_nobody(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, capture: Any
) -> None:
    with capture(execute=True):
        event_services.event_update(actor=SYSTEM, event=event, data={"description": "Now with coffee"})
    assert sent_of(sendgrid, MessageType.EVENT_UPDATE) == []
    with capture(execute=True):
        event_services.event_update(
            actor=SYSTEM,
            event=Event.objects.get(pk=event.pk),
            data={
                "starts_at": dt.datetime(2027, 3, 20, 19, 0, tzinfo=BERLIN),
                "ends_at": dt.datetime(2027, 3, 20, 23, 0, tzinfo=BERLIN),
            },
        )
    updates = sent_of(sendgrid, MessageType.EVENT_UPDATE)
    assert recipients(updates) == emails(attendees)
    assert updates[0]["subject"] == "Changed: Spring Summit"
    assert "Time: Sat 20 Mar 2027, 19:00 CET" in text_of(updates[0])


def test_a_cancellation_goes_to_every_registrant(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, capture: Any
) -> None:
    with capture(execute=True):
        event_services.event_cancel(actor=SYSTEM, event=event, reason="The venue flooded.")
    cancellations = sent_of(sendgrid, MessageType.EVENT_UPDATE)
    assert recipients(cancellations) == emails(attendees)
    assert cancellations[0]["subject"] == "Cancelled: Spring Summit" and "The venue flooded." in text_of(cancellations[0])
    ics = icalendar.Calendar.from_ical(base64.b64decode(cancellations[0]["attachments"][0]["content"]))
    assert str(ics["method"]) == "CANCEL" and str(ics.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_reminders_go_at_nine_in_the_events_time_zone_seven_and_one_day_before_once(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    # 2027-03-13 09:00 CET is 08:00 UTC.
    frozen.now = dt.datetime(2027, 3, 13, 7, 59, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
    assert sent_of(sendgrid, MessageType.REMINDER) == []
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
        tasks.run_schedule()  # the beat job run twice: no duplicate
    week = sent_of(sendgrid, MessageType.REMINDER)
    assert recipients(week) == emails(attendees) and week[0]["subject"] == "Spring Summit is in 7 days"
    # The day before, after the switch to summer time? No: 19 March is still CET; 09:00 CET = 08:00 UTC.
    frozen.now = dt.datetime(2027, 3, 19, 8, 5, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
    reminders = sent_of(sendgrid, MessageType.REMINDER)
    assert len(reminders) == 6 and sum(s["subject"] == "Spring Summit is in 1 day" for s in reminders) == 3
    headers = reminders[0]["headers"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http") and "/email/unsubscribe/" in headers["List-Unsubscribe"]


def test_a_per_event_schedule_and_a_dst_change_keep_nine_oclock_local(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    EventMessaging.objects.update_or_create(event=event, defaults={"reminder_days": [30]})
    Event.objects.filter(pk=event.pk).update(
        starts_at=dt.datetime(2027, 4, 10, 18, 0, tzinfo=BERLIN), ends_at=dt.datetime(2027, 4, 10, 20, 0, tzinfo=BERLIN)
    )
    # 30 days before 10 April (CEST) is 11 March (CET): 09:00 CET = 08:00 UTC.
    frozen.now = dt.datetime(2027, 3, 11, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
    assert recipients(sent_of(sendgrid, MessageType.REMINDER)) == emails(attendees)
    assert sent_of(sendgrid, MessageType.REMINDER)[0]["subject"] == "Spring Summit is in 30 days"


def test_an_unsubscribe_is_honoured_on_the_next_reminder_but_not_for_changes(
    client: Any, event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    who = attendees[0]
    link = notify.unsubscribe_url(event.organization_id, who.attendee_email)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    one_click = client.post(f"/{path}", data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert one_click.status_code == 200
    assert client.post("/email/unsubscribe/forged-token").status_code == 404
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
        event_services.event_cancel(actor=SYSTEM, event=Event.objects.get(pk=event.pk), reason="Storm.")
    assert recipients(sent_of(sendgrid, MessageType.REMINDER)) == emails(attendees[1:])
    assert recipients(sent_of(sendgrid, MessageType.EVENT_UPDATE)) == emails(attendees)


def test_sendgrid_down_during_a_reminder_run_sends_everything_once_when_it_returns(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with sendgrid.down(), capture(execute=True):
        tasks.run_schedule()
    assert sent_of(sendgrid, MessageType.REMINDER) == []
    assert Message.objects.filter(type=MessageType.REMINDER, status=MessageStatus.QUEUED).count() == 3
    frozen.advance(3600)
    with capture(execute=True):
        tasks.run_schedule()  # the beat job again while the jobs wait: no new messages
        for _ in range(3):
            connector_tasks.sweep()
    assert recipients(sent_of(sendgrid, MessageType.REMINDER)) == emails(attendees)
    assert Message.objects.filter(type=MessageType.REMINDER, status=MessageStatus.SENT).count() == 3


def test_checkin_instructions_when_the_window_opens_with_the_tickets_qr_code(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    frozen.now = event.starts_at - dt.timedelta(minutes=event.check_in_opens_minutes_before_start) + dt.timedelta(minutes=1)
    with capture(execute=True):
        tasks.run_schedule()
        tasks.run_schedule()
    instructions = sent_of(sendgrid, MessageType.CHECKIN_INSTRUCTIONS)
    assert recipients(instructions) == emails(attendees)
    mine = next(s for s in instructions if s["personalizations"][0]["to"][0]["email"] == attendees[1].attendee_email)
    assert attendees[1].ticket_code in text_of(mine)
    qr = next(a for a in mine["attachments"] if a["filename"] == "ticket-qr.svg")
    assert qr["type"] == "image/svg+xml" and base64.b64decode(qr["content"]).lstrip().startswith(b"<?xml")


def test_after_the_event_a_survey_to_attendees_and_a_certificate_to_the_checked_in_only(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    checked_in = attendees[0]
    result = checkin_scan(
        actor=SYSTEM, organization=event.organization, event=event, code=checked_in.ticket_code, now=event.starts_at
    )
    assert result.error is None
    frozen.now = event.ends_at + dt.timedelta(hours=1)
    with capture(execute=True):
        tasks.run_schedule()
        tasks.run_schedule()
    surveys = sent_of(sendgrid, MessageType.SURVEY)
    assert recipients(surveys) == emails(attendees) and f"/events/{event.pk}/sessions" in text_of(surveys[0])
    (certificate,) = sent_of(sendgrid, MessageType.CERTIFICATE)
    assert recipients([certificate]) == [checked_in.attendee_email]
    (pdf,) = certificate["attachments"]
    data = base64.b64decode(pdf["content"])
    assert pdf["type"] == "application/pdf" and data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert checked_in.attendee_name.encode("latin-1", "replace") in data


def test_without_a_vendor_the_messages_go_to_the_local_backend(event: Event, sendgrid: SendGridFake, capture: Any) -> None:
    with capture(execute=True):
        (registration,) = register(event, TicketTypeFactory(event=event), n=1)
    (local,) = mail.outbox
    assert local.to == [f"{registration.attendee_name} <{registration.attendee_email}>"] and sendgrid.sent == []
    assert services.email_connection(event.organization_id) is None


def test_reminders_go_in_one_batch_with_each_recipients_own_text_and_unsubscribe_link(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    before = len(sendgrid.calls("POST", "/v3/mail/send"))
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
    (request,) = sendgrid.calls("POST", "/v3/mail/send")[before:]
    body = request.json()
    assert len(body["personalizations"]) == 3 and body["custom_args"]["emp_batch"]
    reminders = sent_of(sendgrid, MessageType.REMINDER)
    assert recipients(reminders) == emails(attendees)
    links = set()
    for registration in attendees:
        mine = next(s for s in reminders if s["personalizations"][0]["to"][0]["email"] == registration.attendee_email)
        text = text_of(mine)
        assert f"Hello {registration.attendee_name}," in text and registration.ticket_code in text and "[[emp:" not in text
        html = next(c["value"] for c in mine["content"] if c["type"] == "text/html")
        assert "[[emp:" not in html and registration.ticket_code in html
        link = mine["headers"]["List-Unsubscribe"].strip("<>")
        token = link.rsplit("/", 1)[1]
        assert link in text and signing.loads(token, salt=notify.UNSUBSCRIBE_SALT)["e"] == registration.attendee_email.lower()
        links.add(link)
        message = Message.objects.get(type=MessageType.REMINDER, recipient=registration.attendee_email)
        assert message.status == MessageStatus.SENT and message.batch_id is not None
        assert mine["custom_args"]["emp_message"] == str(message.pk)
    assert len(links) == 3


def test_a_batch_is_split_at_the_batch_size_and_an_escaped_name_stays_escaped(
    event: Event, sendgrid: SendGridFake, connect_sendgrid: Any, frozen: Any, capture: Any, settings: Any
) -> None:
    connect_sendgrid()
    settings.EMAIL_BATCH_SIZE = 2
    with capture(execute=True):
        registrations = register(event, TicketTypeFactory(event=event), n=3)
    Registration.objects.filter(pk=registrations[0].pk).update(attendee_name="Ada <b>&</b>")
    before = len(sendgrid.calls("POST", "/v3/mail/send"))
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
    requests = sendgrid.calls("POST", "/v3/mail/send")[before:]
    assert sorted(len(r.json()["personalizations"]) for r in requests) == [1, 2]
    ada = next(
        s
        for s in sent_of(sendgrid, MessageType.REMINDER)
        if s["personalizations"][0]["to"][0]["email"] == registrations[0].attendee_email
    )
    html = next(c["value"] for c in ada["content"] if c["type"] == "text/html")
    assert "Hello Ada &lt;b&gt;&amp;&lt;/b&gt;," in html and "Hello Ada <b>&</b>," in text_of(ada)


def test_a_template_that_transforms_a_per_recipient_variable_is_sent_one_by_one(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    services.template_save(
        actor=SYSTEM,
        organization=event.organization,
        type=MessageType.REMINDER,
        language="en",
        subject="Soon: {{ event_title }}",
        text="HELLO {{ attendee_name|upper }} {{ unsubscribe_url }}",
        html="<p>{{ attendee_name|upper }}</p>",
    )
    before = len(sendgrid.calls("POST", "/v3/mail/send"))
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
    assert len(sendgrid.calls("POST", "/v3/mail/send")[before:]) == 3
    texts = sorted(text_of(s) for s in sent_of(sendgrid, MessageType.REMINDER))
    assert [t.split(" http")[0] for t in texts] == sorted(f"HELLO {r.attendee_name.upper()}" for r in attendees)


def test_each_attendee_gets_the_template_of_their_language_with_the_organizations_default_as_fallback(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    org = event.organization
    for language, subject in (("en", "Reminder: {{ event_title }}"), ("de", "Erinnerung: {{ event_title }}")):
        services.template_save(
            actor=SYSTEM,
            organization=org,
            type=MessageType.REMINDER,
            language=language,
            subject=subject,
            text=subject + " {{ unsubscribe_url }}",
            html="<p>" + subject + "</p>",
        )
    services.default_language_set(actor=SYSTEM, organization=org, language="de")
    english, unknown, austrian = attendees
    services.preference_set(organization_id=org.pk, email=english.attendee_email, reminders=True, surveys=True, language="en")
    Registration.objects.filter(pk=austrian.pk).update(answers={"language": "de-AT"})  # its own answer: German's base
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
    got = {s["personalizations"][0]["to"][0]["email"]: s["subject"] for s in sent_of(sendgrid, MessageType.REMINDER)}
    assert got == {
        english.attendee_email: "Reminder: Spring Summit",
        unknown.attendee_email: "Erinnerung: Spring Summit",  # no language known: the organization's default
        austrian.attendee_email: "Erinnerung: Spring Summit",
    }
    languages = dict(Message.objects.filter(type=MessageType.REMINDER).values_list("recipient", "language"))
    assert languages == {english.attendee_email: "en", unknown.attendee_email: "de", austrian.attendee_email: "de"}


def test_a_language_without_a_template_and_no_default_falls_back_to_english(
    event: Event, attendees: list[Registration], sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    services.preference_set(
        organization_id=event.organization_id, email=attendees[0].attendee_email, reminders=True, surveys=True, language="fr"
    )
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
    assert {s["subject"] for s in sent_of(sendgrid, MessageType.REMINDER)} == {"Spring Summit is in 7 days"}


def test_without_a_vendor_reminders_go_to_the_local_backend_once_each(
    event: Event, sendgrid: SendGridFake, frozen: Any, capture: Any
) -> None:
    with capture(execute=True):
        registrations = register(event, TicketTypeFactory(event=event), n=2)
    frozen.now = dt.datetime(2027, 3, 13, 8, 0, tzinfo=dt.UTC)
    with capture(execute=True):
        tasks.run_schedule()
        tasks.run_schedule()
    reminders = [m for m in mail.outbox if m.subject == "Spring Summit is in 7 days"]
    assert sorted(m.to[0].split("<")[-1].rstrip(">") for m in reminders) == emails(registrations)
    assert sendgrid.sent == [] and Message.objects.filter(type=MessageType.REMINDER, batch__isnull=True).count() == 2
