"""Demo activity for the organizer console: ticket types, registrations, payments over the last 30 days, check-ins
and session feedback, so every console page shows figures on a fresh ``make run``.

Written through the services (registrations, payments, check-ins), as the system. Idempotent: an event that has
ticket types already is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Organization
from core.audit import SYSTEM
from core.errors import DomainError
from events import services as event_services
from events.models import AttendanceMode, Category, Event, Venue
from payments import services as payment_services
from payments.providers.sandbox import SUCCEEDS
from registrations import checkins
from registrations import services as registration_services
from registrations.models import Registration, TicketType

EVENING_SLUG = "demo-evening"
FIRST_NAMES = (
    "Ada",
    "Ben",
    "Chloé",
    "Dmitri",
    "Emma",
    "Farid",
    "Greta",
    "Hiro",
    "Inès",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
)
LAST_NAMES = ("Keller", "Nguyen", "Okafor", "Schmidt", "Rossi", "Haddad", "Larsen", "Kowalski", "Dubois", "Tanaka")
COMMENTS = ("Clear and practical.", "Too short, wanted more.", "Best talk of the day!", "", "Good examples.", "")


def _people(prefix: str, count: int, rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        out.append((f"{first} {last}", f"{prefix}{i}.{last.lower()}@attendees.example"))
    return out


def _types(event: Event, rows: list[tuple[str, str, int | None]]) -> list[TicketType]:
    return [
        registration_services.ticket_type_create(
            actor=SYSTEM,
            event=event,
            data={"name": name, "price": Decimal(price), "tax_rate": Decimal("19.00"), "capacity": capacity, "sort_order": i},
        )
        for i, (name, price, capacity) in enumerate(rows)
    ]


def _register(event: Event, ticket_type: TicketType, name: str, email: str, now: dt.datetime) -> Registration:
    [registration] = registration_services.registration_create(
        actor=SYSTEM,
        organization_id=event.organization_id,
        event_id=event.pk,
        ticket_type_id=ticket_type.pk,
        attendees=[{"name": name, "email": email, "answers": {"company": "Acme GmbH", "diet": "vegetarian"}}],
        now=now,
    )
    return registration


def _pay(registration: Registration, when: dt.datetime, offline: bool = False) -> None:
    if offline:
        payment_services.payment_record_offline(actor=SYSTEM, registrations=[registration], method="cash", now=when)
        return
    payment = payment_services.payment_create(actor=SYSTEM, registrations=[registration], now=when)
    payment_services.payment_confirm(actor=SYSTEM, payment=payment, card_number=SUCCEEDS, now=when)


def conference_sales(conference: Event, rng: random.Random) -> None:
    """Ticket types and 120 orders over the last 30 days: card payments, a few paid at the door, pending ones, a refund."""
    if conference.ticket_types.exists():
        return
    standard, student, speaker = _types(
        conference, [("Standard", "149.00", 400), ("Student", "49.00", 80), ("Speaker", "0.00", None)]
    )
    now = timezone.now()
    for i, (name, email) in enumerate(_people("conf", 120, rng)):
        when = now - dt.timedelta(days=rng.randint(0, 29), hours=rng.randint(0, 20), minutes=rng.randint(0, 59))
        ticket_type = speaker if i % 30 == 0 else (student if i % 4 == 0 else standard)
        pending = i % 17 == 0 and ticket_type.price > 0
        # A pending one is registered now, so its payment window is open when the demo starts.
        registration = _register(conference, ticket_type, name, email, now if pending else when)
        if ticket_type.price > 0 and not pending:
            _pay(registration, when, offline=(i % 11 == 0))
    paid = Registration.objects.filter(event=conference, status="confirmed", ticket_type=standard).order_by("created_at").first()
    if paid is not None:
        payment_services.registration_cancel_and_refund(actor=SYSTEM, registration=paid, reason="Cannot travel")


def evening(organization: Organization, venue: Venue, time_zone: str, rng: random.Random) -> Event:
    """A workshop evening running now: 60 confirmed attendees, two thirds checked in, a session rated."""
    zone = ZoneInfo(time_zone)
    now = timezone.now().astimezone(zone).replace(minute=0, second=0, microsecond=0)
    event = event_services.event_create(
        actor=SYSTEM,
        organization=organization,
        data={
            "title": "Demo Evening: Hands-on Workshops",
            "slug": EVENING_SLUG,
            "description": "Workshops tonight; check-in is open.",
            "category": Category.WORKSHOP,
            "starts_at": now - dt.timedelta(hours=1),
            "ends_at": now + dt.timedelta(hours=4),
            "time_zone": time_zone,
            "attendance_mode": AttendanceMode.IN_PERSON,
            "venue": venue,
            "capacity": 80,
            "currency": "EUR",
        },
    )
    session = event_services.session_create(
        actor=SYSTEM,
        event=event,
        data={
            "title": "Workshop: Check-in Without Queues",
            "starts_at": now - dt.timedelta(minutes=30),
            "ends_at": now + dt.timedelta(hours=1),
            "room": "Lab 1",
        },
    )
    event = event_services.event_publish(actor=SYSTEM, event=event)
    early, regular = _types(event, [("Early bird", "15.00", 30), ("Regular", "25.00", None)])
    started = timezone.now()
    registrations = []
    for i, (name, email) in enumerate(_people("eve", 60, rng)):
        when = started - dt.timedelta(days=rng.randint(1, 20))
        registration = _register(event, early if i < 30 else regular, name, email, started)
        _pay(registration, when if i % 3 else started, offline=(i % 9 == 0))
        registrations.append(registration)
    for registration in registrations[:40]:
        checkins.checkin_scan(
            actor=SYSTEM, organization=organization, event=event, code=registration.ticket_code, device="demo door"
        )
    for registration in registrations[:25]:
        checkins.checkin_scan(
            actor=SYSTEM,
            organization=organization,
            event=event,
            session=session,
            code=registration.ticket_code,
            device="demo room",
        )
        try:
            checkins.session_feedback_create(
                actor=SYSTEM,
                organization=organization,
                session=session,
                code=registration.ticket_code,
                rating=rng.choice((3, 4, 4, 5, 5)),
                comment=rng.choice(COMMENTS),
            )
        except DomainError:
            continue
    return event


def seed(*, organization: Organization, venue: Venue, conference: Event | None, time_zone: str) -> None:
    rng = random.Random(17)
    if conference is not None:
        conference_sales(conference, rng)
    if not Event.objects.filter(organization=organization, slug=EVENING_SLUG).exists():
        evening(organization, venue, time_zone, rng)
