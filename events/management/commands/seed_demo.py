"""Demo data for a first look at the platform: an organization, its people, venue and events, and a partner.

The partner (a developer organization with one developer) signs in to the
developer portal; every demo address is verified, so no demo login waits for a
verification email.

Idempotent: every piece is looked up by a natural key (email, slug, name)
first, so running it again creates nothing and only prints the logins.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, OrganizationKind, User
from accounts.roles import Role
from accounts.services import organization_create
from core import audit
from core.audit import SYSTEM
from events import recurrence, services
from events.models import AttendanceMode, Category, Event, Venue

DEFAULT_PASSWORD = "demo-pass-2026"
ORGANIZATION_SLUG = "demo-events"
DEVELOPER_ORGANIZATION_SLUG = "demo-integrations"
DEVELOPER_EMAIL = "developer@demo.example"
TIME_ZONE = "Europe/Berlin"
CONFERENCE_SLUG = "demo-conf"
MEETUP_SLUG = "berlin-tech-meetup"
DRAFT_SLUG = "autumn-workshop"
MEETUP_RULE = "FREQ=WEEKLY;COUNT=4"

# (email, name, role in the organization or None, staff, superuser)
PEOPLE = (
    ("owner@demo.example", "Olivia Owner", Role.OWNER, True, False),
    ("admin@demo.example", "Adam Admin", Role.ADMIN, True, False),
    ("checkin@demo.example", "Chris Checkin", Role.CHECKIN, False, False),
    ("root@demo.example", "Platform Root", None, True, True),
    (DEVELOPER_EMAIL, "Dana Developer", None, False, False),  # the partner: owner of a developer organization
)

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


class Command(BaseCommand):
    help = "Create demo data (organization, users, venue, conference, meetup series, draft event); safe to rerun."

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with transaction.atomic():
            users = {email: self._user(email, name, staff, superuser, password) for email, name, _, staff, superuser in PEOPLE}
            for user in users.values():
                self._verified(user)
            organization = self._organization(users["owner@demo.example"])
            self._developer_organization(users[DEVELOPER_EMAIL])
            for email, _, role, _, _ in PEOPLE:
                if role is not None:
                    self._membership(organization, users[email], role)
            venue = self._venue(organization)
            self._conference(organization, venue)
            self._meetup(organization, venue)
            self._draft(organization, venue)
        self._print_logins(password)

    # -- people and the organization --------------------------------------------------
    def _user(self, email: str, name: str, staff: bool, superuser: bool, password: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            return create(email=email, password=password, name=name, is_staff=staff)
        if not user.check_password(password):  # DEMO_PASSWORD changed: keep the printed login true
            user.set_password(password)
            user.save(update_fields=["password"])
        return user

    def _verified(self, user: User) -> None:
        """The address counts as verified for the developer portal's sign-in (django-allauth)."""
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})

    def _developer_organization(self, owner: User) -> None:
        if not Organization.objects.filter(slug=DEVELOPER_ORGANIZATION_SLUG).exists():
            organization_create(
                actor=SYSTEM,
                name="Demo Integrations",
                owner=owner,
                slug=DEVELOPER_ORGANIZATION_SLUG,
                kind=OrganizationKind.DEVELOPER,
            )

    def _organization(self, owner: User) -> Organization:
        organization = Organization.objects.filter(slug=ORGANIZATION_SLUG).first()
        if organization is None:
            organization = organization_create(actor=SYSTEM, name="Demo Events", owner=owner, slug=ORGANIZATION_SLUG)
            organization.default_time_zone = TIME_ZONE
            organization.save(update_fields=["default_time_zone", "updated_at"])
        return organization

    def _membership(self, organization: Organization, user: User, role: str) -> None:
        if Membership.objects.filter(organization=organization, user=user).exists():
            return
        # The demo skips the invitation round trip (no mail to click through) but keeps the audit trail.
        membership = Membership.objects.create(organization=organization, user=user, role=role)
        audit.record(
            actor=SYSTEM,
            action="membership.created",
            target=membership,
            organization_id=organization.id,
            changes={"user": str(user.id), "role": role},
        )

    def _venue(self, organization: Organization) -> Venue:
        venue = Venue.objects.filter(organization=organization, name="Demo Congress Center").first()
        if venue is None:
            venue = services.venue_create(
                actor=SYSTEM,
                organization=organization,
                data={
                    "name": "Demo Congress Center",
                    "address": "Alexanderplatz 1",
                    "city": "Berlin",
                    "country": "DE",
                    "capacity": 800,
                },
            )
        return venue

    # -- events -----------------------------------------------------------------------
    @staticmethod
    def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(TIME_ZONE))

    @staticmethod
    def _existing(organization: Organization, slug: str) -> Event | None:
        return Event.objects.filter(organization=organization, slug=slug).first()

    def _conference(self, organization: Organization, venue: Venue) -> None:
        if self._existing(organization, CONFERENCE_SLUG):
            return
        first_day = timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)) + dt.timedelta(weeks=4)
        event = services.event_create(
            actor=SYSTEM,
            organization=organization,
            data={
                "title": "Demo Conf",
                "slug": CONFERENCE_SLUG,
                "description": "Two days of talks on running better events.",
                "category": Category.CONFERENCE,
                "starts_at": self._local(first_day, 9),
                "ends_at": self._local(first_day + dt.timedelta(days=1), 18),
                "time_zone": TIME_ZONE,
                "attendance_mode": AttendanceMode.IN_PERSON,
                "venue": venue,
                "capacity": 500,
                "currency": "EUR",
                "tags": ["conference", "demo"],
            },
        )
        speakers = [
            services.speaker_create(actor=SYSTEM, event=event, data={"name": name, "company": company, "bio": bio})
            for name, company, bio in SPEAKERS
        ]
        for day, room, hour, hours, title, speaker_indexes in SESSIONS:
            starts = self._local(first_day + dt.timedelta(days=day), hour)
            services.session_create(
                actor=SYSTEM,
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
        services.event_publish(actor=SYSTEM, event=event)

    def _meetup(self, organization: Organization, venue: Venue) -> None:
        if self._existing(organization, MEETUP_SLUG):
            return
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE))
        first_tuesday = today + dt.timedelta(days=7 + (1 - today.weekday()) % 7)
        first_start = self._local(first_tuesday, 19)
        series = services.event_create(
            actor=SYSTEM,
            organization=organization,
            data={
                "title": "Berlin Tech Meetup",
                "slug": MEETUP_SLUG,
                "description": "A weekly evening of lightning talks.",
                "category": Category.MEETUP,
                "starts_at": first_start,
                "ends_at": first_start + dt.timedelta(hours=2, minutes=30),
                "time_zone": TIME_ZONE,
                "attendance_mode": AttendanceMode.IN_PERSON,
                "venue": venue,
                "capacity": 80,
                "tags": ["meetup"],
            },
        )
        starts = recurrence.expand(MEETUP_RULE, first_start=first_start, time_zone=TIME_ZONE)
        sub_events = services.event_create_sub_events(actor=SYSTEM, parent=series, starts=starts)
        for event in [series, *sub_events]:
            services.event_publish(actor=SYSTEM, event=event)

    def _draft(self, organization: Organization, venue: Venue) -> None:
        if self._existing(organization, DRAFT_SLUG):
            return
        day = timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)) + dt.timedelta(weeks=8)
        services.event_create(
            actor=SYSTEM,
            organization=organization,
            data={
                "title": "Autumn Workshop (draft)",
                "slug": DRAFT_SLUG,
                "description": "Still being planned: not published yet.",
                "category": Category.WORKSHOP,
                "starts_at": self._local(day, 10),
                "ends_at": self._local(day, 16),
                "time_zone": TIME_ZONE,
                "attendance_mode": AttendanceMode.IN_PERSON,
                "venue": venue,
                "capacity": 30,
            },
        )

    # -- output -----------------------------------------------------------------------
    def _print_logins(self, password: str) -> None:
        site = settings.SITE_URL
        lines = [
            'Demo data is ready (organization "Demo Events").',
            "",
            "Logins (email / password):",
        ]
        for email, _, role, staff, superuser in PEOPLE:
            if email == DEVELOPER_EMAIL:
                what = "developer portal, owner of Demo Integrations"
            else:
                what = "platform superuser" if superuser else f"{role}{', admin console' if staff else ''}"
            lines.append(f"  {email} / {password}   ({what})")
        lines += [
            "",
            f"Admin console: {site}/admin/",
            f"API:           {site}/api/v1/",
            f"API docs:      {site}/api/docs/",
            f"Dev portal:    {site}/portal/",
        ]
        self.stdout.write("\n".join(lines))
