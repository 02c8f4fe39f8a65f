"""A series as iCalendar: one recurring VEVENT (RRULE in the event's time zone, with its VTIMEZONE), EXDATE for a
cancelled occurrence, an override with RECURRENCE-ID for a moved one, SEQUENCE rising with every change; the
output parses with the ``icalendar`` parser and keeps the local time across a DST change."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import icalendar
import pytest
from dateutil import rrule
from django.db.models import F

from core import calendars
from core.audit import SYSTEM
from events import services
from events.calendar import event_entries
from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# Weekly at 18:00 Berlin time from 2030-03-14: the clocks go forward on 2030-03-31, so the UTC hour changes.
FIRST = dt.datetime(2030, 3, 14, 18, 0, tzinfo=BERLIN)


@pytest.fixture
def series(org: Any) -> tuple[Event, list[Event]]:
    parent = EventFactory(
        organization=org,
        title="Evening course",
        time_zone="Europe/Berlin",
        starts_at=FIRST,
        ends_at=FIRST + dt.timedelta(hours=2),
    )
    subs = services.event_create_sub_events_from_rule(actor=SYSTEM, parent=parent, rule="FREQ=WEEKLY;COUNT=6")
    parent.refresh_from_db()
    return parent, subs


def ics(client: Any, event: Event) -> icalendar.Calendar:
    response = client.get(f"/api/v1/events/{event.pk}", HTTP_ACCEPT="text/calendar")
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar"
    return icalendar.Calendar.from_ical(response.content)


def test_a_series_is_one_recurring_entry_that_round_trips_across_a_dst_change(client_owner, series):
    parent, subs = series
    assert parent.recurrence_rule == "FREQ=WEEKLY;COUNT=6" and all(s.recurrence_start == s.starts_at for s in subs)
    cal = ics(client_owner, parent)
    [master] = cal.walk("VEVENT")
    assert str(master["uid"]).startswith(f"event-{parent.pk}@")
    assert master["rrule"].to_ical() == b"FREQ=WEEKLY;COUNT=6"
    start = master.decoded("dtstart")
    assert start == FIRST and str(start.tzinfo) == "Europe/Berlin"
    assert master["dtstart"].params["TZID"] == "Europe/Berlin"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    # Serialize again and re-parse: the rule and the zone survive, and every occurrence is at 18:00 local,
    # while the UTC time moves an hour with the DST change (17:00Z before 31 March, 16:00Z after).
    again = icalendar.Calendar.from_ical(cal.to_ical())
    [vevent] = again.walk("VEVENT")
    occurrences = list(rrule.rrulestr(vevent["rrule"].to_ical().decode(), dtstart=vevent.decoded("dtstart")))
    assert [o.astimezone(BERLIN).hour for o in occurrences] == [18] * 6
    assert [o.astimezone(dt.UTC).hour for o in occurrences] == [17, 17, 17, 16, 16, 16]
    assert [o.astimezone(dt.UTC) for o in occurrences] == [s.starts_at.astimezone(dt.UTC) for s in subs]


def test_cancelled_and_moved_occurrences_are_exceptions_and_raise_the_sequence(client_owner, series):
    parent, subs = series
    # The series was written an hour ago (SEQUENCE counts seconds of the last change).
    Event.objects.filter(pk__in=[parent.pk, *(s.pk for s in subs)]).update(updated_at=F("updated_at") - dt.timedelta(hours=1))
    before = ics(client_owner, parent).walk("VEVENT")[0]
    services.event_cancel(actor=SYSTEM, event=subs[2], reason="Holiday")
    moved_to = subs[4].starts_at + dt.timedelta(days=1, hours=1)
    services.event_update(actor=SYSTEM, event=subs[4], data={"starts_at": moved_to, "ends_at": moved_to + dt.timedelta(hours=2)})
    cal = ics(client_owner, parent)
    master, override = cal.walk("VEVENT")
    assert [d.dt for d in master["exdate"].dts] == [subs[2].starts_at]
    assert str(master["exdate"].params["TZID"]) == "Europe/Berlin"
    assert str(override["uid"]) == str(master["uid"]) and "rrule" not in override
    assert override.decoded("recurrence-id") == subs[4].starts_at
    assert override.decoded("dtstart") == moved_to
    assert int(master["sequence"]) > int(before["sequence"])


def test_a_cancelled_event_is_written_as_a_cancellation(org):
    event = EventFactory(organization=org, time_zone="America/New_York")
    services.event_cancel(actor=SYSTEM, event=event, reason="Weather")
    event.refresh_from_db()
    body = calendars.calendar(event_entries(event, []), method="CANCEL")
    cal = icalendar.Calendar.from_ical(body)
    [vevent] = cal.walk("VEVENT")
    assert str(cal["method"]) == "CANCEL" and str(vevent["status"]) == "CANCELLED"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]


def test_a_rule_with_until_is_written_in_utc(org):
    parent = EventFactory(organization=org, time_zone="Europe/Berlin", starts_at=FIRST, ends_at=FIRST + dt.timedelta(hours=1))
    subs = services.event_create_sub_events_from_rule(actor=SYSTEM, parent=parent, rule="FREQ=WEEKLY;UNTIL=20300404T180000")
    parent.refresh_from_db()
    [master] = icalendar.Calendar.from_ical(calendars.calendar(event_entries(parent, subs))).walk("VEVENT")
    assert master["rrule"]["UNTIL"] == [dt.datetime(2030, 4, 4, 16, 0, tzinfo=dt.UTC)]
    occurrences = list(rrule.rrulestr(master["rrule"].to_ical().decode(), dtstart=master.decoded("dtstart")))
    assert len(occurrences) == len(subs) == 4
