"""Sample events built through the real services: the demo data (``manage.py seed_demo``) and every sandbox's seed.

Each builder takes the organization and its time zone and places the events
relative to today, so the data is always upcoming: a two-day conference with
speakers and sessions (no room or speaker clashes), a weekly meetup series with
its sub-events, and a draft workshop. They publish what the services publish.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from accounts.models import Organization
from core.audit import Actor
from events import recurrence, services
from events.models import AttendanceMode, Category, Event, Venue

CONFERENCE_SLUG = "demo-conf"
MEETUP_SLUG = "berlin-tech-meetup"
DRAFT_SLUG = "autumn-workshop"
MEETUP_RULE = "FREQ=WEEKLY;COUNT=4"
VENUE_NAME = "Demo Congress Center"

SPEAKERS = (
    ("Ada Lovelace", "Analytical Engines Ltd", "Writes programs for machines that do not exist yet."),
    ("Grace Hopper", "Compiler Corp", "Taught computers to read English."),
    ("Alan Turing", "Bletchley Labs", "Asks whether machines can think."),
    ("Katherine Johnson", "Orbital Mechanics Inc", "Checks the numbers before launch."),
)

# (day index, room, local start hour, hours, title, speaker indexes): no room or speaker clashes.
SESSIONS = (
    (0, "Hall A", 10, 1, "Keynote: The Next Ten Years of Events", (0,)),
    (0, "Hall B", 10, 1, "Scaling Check-in to 10,000 Attendees", (1,)),
    (0, "Hall A", 14, 1, "Panel: Hybrid Events Done Right", (2, 3)),
    (1, "Hall A", 10, 1, "Webhooks Without Tears", (1,)),
    (1, "Hall B", 10, 1, "Designing Fair Waitlists", (2,)),
    (1, "Hall B", 14, 1, "Closing Talk: Lessons From a Thousand Conferences", (0, 3)),
)


def _local(day: dt.date, hour: int, time_zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(time_zone))


def _today(time_zone: str) -> dt.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(time_zone))


def venue(*, actor: Actor, organization: Organization) -> Venue:
    return services.venue_create(
        actor=actor,
        organization=organization,
        data={"name": VENUE_NAME, "address": "Alexanderplatz 1", "city": "Berlin", "country": "DE", "capacity": 800},
    )


# Long enough for the conference four weeks ahead to take check-ins from the day it is seeded.
CHECK_IN_FROM_SEEDING_MINUTES = 5 * 7 * 24 * 60


def conference(
    *, actor: Actor, organization: Organization, venue: Venue, time_zone: str, check_in_from_seeding: bool = False
) -> Event:
    """A published two-day conference four weeks ahead, with four speakers and six sessions.

    Its check-in window is the default one (24 hours before the start to the end),
    or, with ``check_in_from_seeding``, opens now (five weeks before the start), for
    data that checks tickets in at once (the sandbox).
    """
    first_day = _today(time_zone) + dt.timedelta(weeks=4)
    window = {"check_in_opens_minutes_before_start": CHECK_IN_FROM_SEEDING_MINUTES} if check_in_from_seeding else {}
    event = services.event_create(
        actor=actor,
        organization=organization,
        data={
            "title": "Demo Conf",
            "slug": CONFERENCE_SLUG,
            "description": "Two days of talks on running better events.",
            "category": Category.CONFERENCE,
            "starts_at": _local(first_day, 9, time_zone),
            "ends_at": _local(first_day + dt.timedelta(days=1), 18, time_zone),
            "time_zone": time_zone,
            "attendance_mode": AttendanceMode.IN_PERSON,
            "venue": venue,
            "capacity": 500,
            "currency": "EUR",
            "tags": ["conference", "demo"],
            **window,
        },
    )
    speakers = [
        services.speaker_create(actor=actor, event=event, data={"name": name, "company": company, "bio": bio})
        for name, company, bio in SPEAKERS
    ]
    for day, room, hour, hours, title, speaker_indexes in SESSIONS:
        starts = _local(first_day + dt.timedelta(days=day), hour, time_zone)
        services.session_create(
            actor=actor,
            event=event,
            data={
                "title": title,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=hours),
                "room": room,
                "track": "Main" if room == "Hall A" else "Deep dive",
                "speaker_ids": [speakers[i].id for i in speaker_indexes],
            },
        )
    return services.event_publish(actor=actor, event=event)


def meetup(*, actor: Actor, organization: Organization, venue: Venue, time_zone: str) -> Event:
    """A published weekly meetup series (from next week's Tuesday) with its four published sub-events."""
    today = _today(time_zone)
    first_tuesday = today + dt.timedelta(days=7 + (1 - today.weekday()) % 7)
    first_start = _local(first_tuesday, 19, time_zone)
    series = services.event_create(
        actor=actor,
        organization=organization,
        data={
            "title": "Berlin Tech Meetup",
            "slug": MEETUP_SLUG,
            "description": "A weekly evening of lightning talks.",
            "category": Category.MEETUP,
            "starts_at": first_start,
            "ends_at": first_start + dt.timedelta(hours=2, minutes=30),
            "time_zone": time_zone,
            "attendance_mode": AttendanceMode.IN_PERSON,
            "venue": venue,
            "capacity": 80,
            "tags": ["meetup"],
        },
    )
    starts = recurrence.expand(MEETUP_RULE, first_start=first_start, time_zone=time_zone)
    sub_events = services.event_create_sub_events(actor=actor, parent=series, starts=starts)
    for event in [series, *sub_events]:
        services.event_publish(actor=actor, event=event)
    return series


def draft(*, actor: Actor, organization: Organization, venue: Venue, time_zone: str) -> Event:
    """An unpublished workshop eight weeks ahead."""
    day = _today(time_zone) + dt.timedelta(weeks=8)
    return services.event_create(
        actor=actor,
        organization=organization,
        data={
            "title": "Autumn Workshop (draft)",
            "slug": DRAFT_SLUG,
            "description": "Still being planned: not published yet.",
            "category": Category.WORKSHOP,
            "starts_at": _local(day, 10, time_zone),
            "ends_at": _local(day, 16, time_zone),
            "time_zone": time_zone,
            "attendance_mode": AttendanceMode.IN_PERSON,
            "venue": venue,
            "capacity": 30,
        },
    )
