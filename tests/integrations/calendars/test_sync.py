"""Personal calendars through Google Calendar v3 and Microsoft Graph v1.0 fakes over real HTTP: connecting with
the authorization code and PKCE, the registered event and its sessions written, a change updating them, a
cancellation removing them, a series as a recurring event with its exceptions, a revoked grant."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Any

import pytest
from django.core import mail

from connectors.models import CallLog, ConnectionStatus, JobStatus
from core import secrets
from core.audit import SYSTEM
from events import services as event_services
from integrations.models import CalendarLink, CalendarLinkState, CalendarWatch
from registrations import services as registration_services
from tests.factories import EventFactory
from tests.integrations.calendars.conftest import START, registration_of
from tests.registrations.factories import RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db
VENDORS = ["google", "microsoft"]


def subjects(fake: Any) -> list[str]:
    return sorted(str(e.get("summary") or e.get("subject")) for e in fake.live())


def test_connecting_google_uses_the_authorization_code_with_pkce_and_offline_access(browser, google, conference, connect):
    start = browser.get("/console/calendars/connect/google/")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start["Location"]).query))
    assert start["Location"].startswith(google.url + "/o/oauth2/v2/auth?")
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["access_type"] == "offline" and query["response_type"] == "code" and query["state"]
    assert query["scope"] == "https://www.googleapis.com/auth/calendar.events"
    connection = connect("google")
    (exchange,) = [r for r in google.calls("POST", "/token") if r.form()["grant_type"] == "authorization_code"]
    verifier = exchange.form()["code_verifier"]
    assert 43 <= len(verifier) <= 128
    assert connection.status == ConnectionStatus.CONNECTED and connection.user.email == "ada@acme.example"
    assert secrets.decrypt(connection.refresh_token) in google.refresh_tokens  # stored, encrypted
    assert connection.refresh_token not in google.refresh_tokens
    # The push channel is open and the event the attendee registered for is in the calendar, with its session.
    watch = CalendarWatch.objects.get(connection=connection)
    assert google.channels[watch.channel_id]["token"] == secrets.decrypt(watch.secret)
    assert google.channels[watch.channel_id]["address"].endswith(f"/hooks/{connection.pk}")
    assert subjects(google) == ["Keynote (Summit)", "Summit"]
    summit = next(e for e in google.live() if e["summary"] == "Summit")
    assert summit["start"] == {"dateTime": "2030-06-03T11:00:00+02:00", "timeZone": "Europe/Berlin"}


def test_a_state_from_another_session_connects_nothing(browser, google, conference, console, member):
    start = browser.get("/console/calendars/connect/google/")
    back = google.consent(start["Location"])
    intruder = console(member("viewer", email="eve@acme.example"))
    response = intruder.get("/console/calendars/callback/google/", back, follow=True)
    assert b"does not belong to this browser session" in response.content
    assert not google.calls("POST", "/token")


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_changed_event_updates_the_entry_and_a_cancellation_removes_it(
    vendor, fakes, conference, connect, django_capture_on_commit_callbacks
):
    fake = fakes[vendor]
    connection = connect(vendor)
    assert subjects(fake) == ["Keynote (Summit)", "Summit"]
    link = CalendarLink.objects.get(connection=connection, source=f"event:{conference.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_update(
            actor=SYSTEM,
            event=conference,
            data={"title": "Summit 2030", "starts_at": START - dt.timedelta(hours=1), "ends_at": START + dt.timedelta(hours=9)},
        )
    [entry] = [e for e in fake.live() if e["id"] == link.remote_id]
    assert (entry.get("summary") or entry.get("subject")) == "Summit 2030"
    if vendor == "google":
        assert entry["start"]["dateTime"] == "2030-06-03T10:00:00+02:00"
    else:
        assert entry["start"] == {"dateTime": "2030-06-03T10:00:00", "timeZone": "Europe/Berlin"}
    assert len(fake.live()) == 2  # updated in place, not added
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_cancel(actor=SYSTEM, event=conference, reason="Venue flooded")
    assert fake.live() == []
    assert set(CalendarLink.objects.filter(connection=connection).values_list("state", flat=True)) == {CalendarLinkState.REMOVED}


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_registration_cancelled_removes_the_entries_and_an_unchanged_save_writes_nothing(
    vendor, fakes, conference, connect, django_capture_on_commit_callbacks, attendee
):
    fake = fakes[vendor]
    connect(vendor)
    writes = len(fake.requests)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_update(actor=SYSTEM, event=conference, data={"title": "Summit"})  # same details
    assert len(fake.requests) == writes  # the fingerprints match: no call
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.registration_cancel(
            actor=SYSTEM, registration=registration_of(conference, attendee.email), reason="Cannot come"
        )
    assert fake.live() == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_series_is_written_as_a_recurring_event_with_its_exceptions(
    vendor, fakes, org, attendee, connect, django_capture_on_commit_callbacks
):
    fake = fakes[vendor]
    berlin = dt.timezone(dt.timedelta(hours=1))
    first = dt.datetime(2030, 3, 14, 18, 0, tzinfo=berlin)
    parent = EventFactory(
        organization=org, title="Course", time_zone="Europe/Berlin", starts_at=first, ends_at=first + dt.timedelta(hours=2)
    )
    subs = event_services.event_create_sub_events_from_rule(actor=SYSTEM, parent=parent, rule="FREQ=WEEKLY;COUNT=4")
    parent.refresh_from_db()
    event_services.event_publish(actor=SYSTEM, event=parent)
    RegistrationFactory(ticket_type=TicketTypeFactory(event=parent), attendee_email=attendee.email, user=attendee)
    connection = connect(vendor)
    [series] = fake.live()
    if vendor == "google":
        assert series["recurrence"] == ["RRULE:FREQ=WEEKLY;COUNT=4"]
    else:
        assert series["recurrence"]["pattern"] == {
            "interval": 1,
            "type": "weekly",
            "daysOfWeek": ["thursday"],
            "firstDayOfWeek": "monday",
        }
        assert series["recurrence"]["range"]["numberOfOccurrences"] == 4
        assert len(fake.occurrences(series)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_publish(actor=SYSTEM, event=subs[2])
        event_services.event_cancel(actor=SYSTEM, event=subs[2], reason="Holiday")
    [series] = [e for e in fake.live() if e.get("recurrence")]
    if vendor == "google":
        # The cancelled occurrence (28 March, 18:00 Berlin: before the DST change) is an EXDATE in the zone.
        assert series["recurrence"] == ["RRULE:FREQ=WEEKLY;COUNT=4", "EXDATE;TZID=Europe/Berlin:20300328T180000"]
    else:
        left = fake.occurrences(series)
        assert len(left) == 3 and subs[2].starts_at.astimezone(dt.UTC) not in left
    assert CalendarLink.objects.filter(connection=connection, state=CalendarLinkState.ACTIVE).count() == 1


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_revoked_grant_disconnects_the_calendar_and_tells_the_owner_once(vendor, fakes, conference, connect, frozen, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    fake = fakes[vendor]
    connection = connect(vendor)
    fake.revoke_all()
    CalendarLink.objects.filter(connection=connection).update(fingerprint="")  # something to write
    frozen.advance(2 * 3600)  # the access token expired: the next call refreshes, and Google/Microsoft refuse
    from connectors import jobs
    from integrations.calendars import sync

    for _ in range(2):  # two jobs after the revocation: one message
        job = sync._submit(connection, conference.pk, f"t{_}")
        assert jobs.run(job.pk) == JobStatus.FAILED
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.DISCONNECTED and connection.last_error.startswith("invalid_grant")
    assert connection.refresh_token == "" and connection.access_token == ""
    [message] = mail.outbox
    assert message.to == ["ada@acme.example"] and "Connect it again" in message.body
    refused = CallLog.objects.filter(connection=connection, operation="oauth.refresh").latest("created_at")
    assert refused.status_code == 400 and refused.outcome == "rejected" and "invalid_grant" in refused.error


@pytest.mark.parametrize("vendor", VENDORS)
def test_reconnecting_after_a_revoked_grant_reuses_the_connection_and_its_entries(vendor, fakes, conference, connect, frozen):
    fake = fakes[vendor]
    first = connect(vendor)
    from integrations.calendars import sync

    sync.connection_lost(connection=first, reason="test")
    again = connect(vendor)
    assert again.pk == first.pk and again.status == ConnectionStatus.CONNECTED
    assert len(fake.live()) == 2  # the same two entries, not a second copy
