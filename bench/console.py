"""Organizer console pages under load: p95 of every page with an event of 50,000 registrations and a year of payments.

Seeds an organizer organization on PostgreSQL: one large event (50,000 registrations on three ticket types, a
payment for every paid one spread over the last 365 days, 20,000 check-ins, a few hundred refunds), a dozen
smaller events, and their audit entries; rows are bulk-inserted (the seat counters' triggers still run), which is
what the pages read, not how they were written. Starts gunicorn with 2 workers and requests each console page with
the owner's session cookie for a few seconds at a small concurrency, then prints p50/p95/p99 per page.
Target: p95 under 200 ms for every page. Prints figures; not a test.

    .venv/bin/python bench/console.py                  # fresh DB emp_bench_console, then drop it
    .venv/bin/python bench/console.py --registrations 50000 --seconds 5 --concurrency 2 --keep
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import uuid
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# After the standard library: bench/email.py would otherwise shadow its email package (this directory is first on the
# path when a script here runs).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH] + [str(BENCH)]

import api_read  # noqa: E402  (after the path is set)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emp_bench_console"
OWNER_EMAIL = "bench-organizer@example.com"
REGISTRATIONS = 50_000
TARGET_P95_MS = 200.0
BATCH = 5_000


def seed(n_registrations: int) -> dict[str, str]:
    """The organization a large conference leaves after a year of sales. Returns ids for the URLs."""
    from allauth.account.models import EmailAddress
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Organization, User
    from accounts.roles import Role
    from core.audit import SYSTEM
    from core.models import AuditEntry
    from events import services as event_services
    from events.models import Event
    from payments.models import Payment, PaymentItem, PaymentStatus, Refund
    from registrations import services as registration_services
    from registrations.models import CheckIn, CheckInResult, Registration, RegistrationStatus

    rng = random.Random(22)
    now = timezone.now()
    with transaction.atomic():
        org = Organization.objects.create(name="Bench Organizer", slug="bench-organizer", default_time_zone="Europe/Berlin")
        owner = User.objects.create_user(OWNER_EMAIL, "bench-password-123", name="Bench Organizer")
        EmailAddress.objects.create(user=owner, email=OWNER_EMAIL, verified=True, primary=True)
        Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
        venue = event_services.venue_create(
            actor=SYSTEM, organization=org, data={"name": "Messe", "city": "Berlin", "capacity": 100_000}
        )

        def event(title: str, starts: dt.datetime, capacity: int) -> Event:
            created = event_services.event_create(
                actor=SYSTEM,
                organization=org,
                data={
                    "title": title,
                    "starts_at": starts,
                    "ends_at": starts + dt.timedelta(hours=9),
                    "time_zone": "Europe/Berlin",
                    "attendance_mode": "in_person",
                    "venue": venue,
                    "capacity": capacity,
                    # Check-in open a year before the start: the desk accepts scans now.
                    "check_in_opens_minutes_before_start": 365 * 24 * 60,
                },
            )
            return event_services.event_publish(actor=SYSTEM, event=created)

        big = event("Bench Expo", now + dt.timedelta(hours=2), n_registrations + 10_000)
        for n in range(12):
            small = event(f"Meetup {n}", now + dt.timedelta(days=7 * (n + 1)), 200)
            registration_services.ticket_type_create(actor=SYSTEM, event=small, data={"name": "Entry", "price": Decimal("10")})
        types = [
            registration_services.ticket_type_create(actor=SYSTEM, event=big, data={"name": name, "price": Decimal(price)})
            for name, price in (("Standard", "120.00"), ("Student", "40.00"), ("Exhibitor", "0.00"))
        ]
    first_names = ("Ada", "Ben", "Chloé", "Dmitri", "Emma", "Farid", "Greta", "Hiro", "Inès", "Jonas")
    last_names = ("Keller", "Nguyen", "Okafor", "Schmidt", "Rossi", "Haddad", "Larsen", "Kowalski")
    for start in range(0, n_registrations, BATCH):
        with transaction.atomic():
            registrations, payments, items, checkins, refunds, audits = [], [], [], [], [], []
            for i in range(start, min(start + BATCH, n_registrations)):
                ticket_type = types[0] if i % 3 else (types[1] if i % 2 else types[2])
                created = now - dt.timedelta(seconds=rng.randint(0, 365 * 24 * 3600))
                status = RegistrationStatus.CANCELLED if i % 50 == 0 else RegistrationStatus.CONFIRMED
                name = f"{rng.choice(first_names)} {rng.choice(last_names)} {i}"
                registration = Registration(
                    id=uuid.uuid4(),
                    organization=org,
                    event=big,
                    ticket_type=ticket_type,
                    order_id=uuid.uuid4(),
                    attendee_name=name,
                    attendee_email=f"attendee{i}@bench.example",
                    status=status,
                    confirmed_at=created,
                    cancelled_at=now if status == RegistrationStatus.CANCELLED else None,
                    created_by="bench",
                )
                registrations.append(registration)
                audits.append(
                    AuditEntry(
                        organization_id=org.pk,
                        actor_label="bench",
                        action="registration.created",
                        object_type="registration",
                        object_id=str(registration.id),
                        object_label=name,
                    )
                )
                if ticket_type.price > 0:
                    refunded = status == RegistrationStatus.CANCELLED
                    payment = Payment(
                        id=uuid.uuid4(),
                        organization=org,
                        event=big,
                        amount=ticket_type.price,
                        currency="EUR",
                        provider="offline" if i % 13 == 0 else "sandbox",
                        provider_reference=f"bench-{i}",
                        status=PaymentStatus.REFUNDED if refunded else PaymentStatus.SUCCEEDED,
                        refunded_amount=ticket_type.price if refunded else Decimal("0.00"),
                        succeeded_at=created,
                    )
                    payments.append(payment)
                    items.append(
                        PaymentItem(
                            payment=payment,
                            registration=registration,
                            ticket_type=ticket_type,
                            amount=ticket_type.price,
                            tax_rate=Decimal("19.00"),
                        )
                    )
                    if refunded:
                        refunds.append(
                            Refund(
                                organization=org,
                                payment=payment,
                                amount=ticket_type.price,
                                reason="bench",
                                created_at=now,
                                updated_at=now,
                            )
                        )
                if i % 5 < 2 and status == RegistrationStatus.CONFIRMED:
                    checkins.append(
                        CheckIn(
                            organization=org,
                            event=big,
                            registration=registration,
                            code=registration.ticket_code,
                            accepted=True,
                            result=CheckInResult.OK,
                            scanned_by="bench",
                        )
                    )
            Registration.objects.bulk_create(registrations)
            Payment.objects.bulk_create(payments)
            PaymentItem.objects.bulk_create(items)
            Refund.objects.bulk_create(refunds)
            CheckIn.objects.bulk_create(checkins)
            AuditEntry.objects.bulk_create(audits)
        print(f"  seeded {min(start + BATCH, n_registrations)} registrations", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        # created_at is set on insert (auto_now_add): spread the registrations over the year, as their payments are.
        cursor.execute(
            "UPDATE registrations_registration SET created_at = now() - random() * interval '365 days' WHERE event_id = %s",
            [big.pk],
        )
        cursor.execute(
            "UPDATE payments_payment SET created_at = succeeded_at WHERE event_id = %s AND succeeded_at IS NOT NULL", [big.pk]
        )
    with connection.cursor() as cursor:
        # Bulk-loaded rows: set the visibility map (index-only scans) and the statistics, as autovacuum would.
        cursor.execute("VACUUM ANALYZE")
    sample = Registration.objects.filter(event=big).order_by("created_at").first()
    assert sample is not None
    return {"event": str(big.pk), "registration": str(sample.pk), "email": sample.attendee_email}


def pages(ids: dict[str, str]) -> dict[str, str]:
    """Every console page an owner opens, with the seeded objects in its URL."""
    from django.urls import reverse

    event, registration = ids["event"], ids["registration"]
    attendees = reverse("console:attendees", args=[event])
    return {
        "home": reverse("console:home"),
        "events": reverse("console:events"),
        "event: new": reverse("console:event-new"),
        "event": reverse("console:event", args=[event]),
        "attendees": attendees,
        "attendees: by name": attendees + "?sort=name",
        "attendees: search": attendees + "?q=Okafor+4711",
        "attendees: email": attendees + f"?q={ids['email']}",
        "attendees: paid, not in": attendees + "?paid=yes&checked_in=no",
        "attendees: ticket type": attendees + "?status=confirmed&sort=-name",
        "registration": reverse("console:registration", args=[registration]),
        "desk": reverse("console:desk"),
        "desk: event": reverse("console:desk-event", args=[event]),
        "desk: counts": reverse("console:desk-counts", args=[event]),
        "reports (30 days)": reverse("console:reports"),
        "reports (12 months)": reverse("console:reports") + "?period=365",
        "audit log": reverse("console:audit"),
        "audit log: registrations": reverse("console:audit") + "?action=registration.created",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_CONSOLE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--registrations", type=int, default=REGISTRATIONS)
    parser.add_argument("--only", default="", help="measure only pages whose name contains this text")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--skip-seed", action="store_true", help="reuse a kept database")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args()

    if not args.skip_seed:
        api_read.recreate_database(args.database_url)
        api_read.manage(args.database_url, "migrate", "--noinput")
        api_read.manage(args.database_url, "createcachetable")
    api_read.setup_django(args.database_url)
    if args.skip_seed:
        from events.models import Event
        from registrations.models import Registration

        big = Event.objects.get(title="Bench Expo")
        sample = Registration.objects.filter(event=big).order_by("created_at").first()
        assert sample is not None
        ids = {"event": str(big.pk), "registration": str(sample.pk), "email": sample.attendee_email}
    else:
        ids = seed(args.registrations)
    cookie = f"sessionid={api_read.session_for(OWNER_EMAIL)}"
    measured = {name: path for name, path in pages(ids).items() if args.only in name}
    print(
        f"database {args.database_url}, an event of {args.registrations} registrations and a year of payments, "
        f"gunicorn {args.workers} workers, {args.concurrency} connections for {args.seconds:g} s a page"
    )
    print(f"cpu reference (a fixed Python loop; lower is a faster machine): {api_read.cpu_reference_ms():.0f} ms")

    api_read.measure_pages(
        database_url=args.database_url,
        keep=args.keep,
        workers=args.workers,
        concurrency=args.concurrency,
        seconds=args.seconds,
        cookie=cookie,
        pages=measured,
        ready_path=measured.get("home", "/console/home/"),
        target_p95_ms=TARGET_P95_MS,
        as_json=args.json,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
