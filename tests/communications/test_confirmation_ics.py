"""The confirmation's ``.ics`` is the platform's one iCalendar document of the event (``events.calendar``): the
attachment parses with ``icalendar`` and holds what ``GET /api/v1/events/{id}`` with ``Accept: text/calendar``
answers, a series with its RRULE and EXDATE, so a client holding both keeps one entry."""

from __future__ import annotations

import base64
import datetime as dt
import zoneinfo
from typing import Any

import icalendar
import pytest

from communications.models import Message, MessageType
from core.audit import SYSTEM
from events import services as event_services
from events.models import Event
from tests.fakes.sendgrid import SendGridFake
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory, register

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
FIRST = dt.datetime(2030, 3, 14, 18, 0, tzinfo=BERLIN)


def attachment(sendgrid: SendGridFake) -> icalendar.Calendar:
    ids = {str(i) for i in Message.objects.filter(type=MessageType.REGISTRATION_CONFIRMATION).values_list("pk", flat=True)}
    (sent,) = [s for s in sendgrid.delivered if s["custom_args"]["emp_message"] in ids]
    (ics,) = sent["attachments"]
    assert ics["filename"] == "event.ics" and ics["type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(base64.b64decode(ics["content"]))


def api_ics(client: Any, event: Event) -> icalendar.Calendar:
    response = client.get(f"/api/v1/events/{event.pk}", HTTP_ACCEPT="text/calendar")
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar"
    return icalendar.Calendar.from_ical(response.content)


def essentials(cal: icalendar.Calendar) -> list[tuple[Any, ...]]:
    return [
        (
            str(v["uid"]),
            v.decoded("dtstart"),
            int(v["sequence"]),
            v["rrule"].to_ical() if "rrule" in v else b"",
            [d.dt for d in v["exdate"].dts] if "exdate" in v else [],
        )
        for v in cal.walk("VEVENT")
    ]


@pytest.mark.parametrize("series", [False, True], ids=["event", "series"])
def test_the_confirmation_attaches_the_apis_ics_of_the_event(
    series, org, client_owner, sendgrid, connect_sendgrid, django_capture_on_commit_callbacks, eager
):
    event = PublishedEventFactory(
        organization=org,
        title="Evening course",
        time_zone="Europe/Berlin",
        starts_at=FIRST,
        ends_at=FIRST + dt.timedelta(hours=2),
    )
    if series:
        subs = event_services.event_create_sub_events_from_rule(actor=SYSTEM, parent=event, rule="FREQ=WEEKLY;COUNT=4")
        event_services.event_cancel(actor=SYSTEM, event=subs[2], reason="Holiday")
        event.refresh_from_db()
    connect_sendgrid()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, TicketTypeFactory(event=event), n=1)

    mailed = attachment(sendgrid)
    assert str(mailed["method"]) == "PUBLISH"
    [master, *_] = mailed.walk("VEVENT")
    assert str(master["uid"]).startswith(f"event-{event.pk}@") and master.decoded("dtstart") == FIRST
    assert master["dtstart"].params["TZID"] == "Europe/Berlin"
    if series:
        assert master["rrule"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
        assert [d.dt for d in master["exdate"].dts] == [subs[2].starts_at]
    else:
        assert "rrule" not in master
    assert essentials(mailed) == essentials(api_ics(client_owner, event))
