"""A developer organization's sandbox: its sample data, its reset, and the trigger-event actions (ADR 0010).

The sandbox organization itself is made by ``accounts.services.sandbox_create``; this module (the
lowest app that reaches events, registrations and payments) fills it through
the real services: the demo events of ``events.demo``, ticket types,
registrations, payments through the sandbox provider and a check-in. Seeding
is silent: the outbox rows it writes are marked dispatched in its own
transaction, so a reset does not flood the partner's receivers. A trigger
performs the action an event type reports (``registration.created`` registers
an attendee, ``payment.completed`` pays through the sandbox provider...), and
its outbox rows reach the sandbox's webhook subscriptions through the normal
pipeline after the commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Organization, OrganizationKind
from connectors.models import CallLog, Connection, ConnectorJob, InboundEvent
from core import audit, locks, outbox
from core.audit import SYSTEM, Actor
from core.errors import VALIDATION_ERROR, DomainError
from core.models import AuditEntry, Change, ChangeSequence, OutboxEvent
from events import demo
from events import services as event_services
from events.models import (
    AttendanceMode,
    Category,
    Event,
    EventStatus,
    Session,
    SessionMaterial,
    SessionStatus,
    Speaker,
    Tag,
    Venue,
)
from integrations import catalog, errors
from integrations.models import (
    CalendarFeed,
    CalendarLink,
    CalendarWatch,
    ExportJob,
    ExportRun,
    ExportSchedule,
    WebhookDelivery,
    WebhookSubscription,
)
from payments import services as payment_services
from payments.models import Dispute, Invoice, InvoiceSequence, Payment, Refund, Subscription, VendorReference
from payments.providers import sandbox as provider
from registrations import checkins
from registrations import services as registration_services
from registrations.models import (
    CheckIn,
    DocumentBranding,
    EventRegistrationSettings,
    ImportJob,
    Registration,
    SessionFeedback,
    TicketSigningKey,
    TicketType,
)
from sso.models import EmailDomain, IdentityProvider, ScimGroup, ScimToken, ScimUser

SEED_TIME_ZONE = "Europe/Berlin"
# (name, price, tax rate): the conference's ticket types; the first is free.
TICKET_TYPES = (
    ("Community pass", Decimal("0.00"), Decimal("0.00")),
    ("Standard", Decimal("49.00"), Decimal("19.00")),
    ("Supporter", Decimal("149.00"), Decimal("19.00")),
)
# (name, email, ticket type index, card number or None): what each seeded registration went through.
ATTENDEES = (
    ("Mia Muster", "mia.muster@example.com", 0, None),
    ("Jonas Beispiel", "jonas.beispiel@example.com", 0, None),
    ("Lea Probe", "lea.probe@example.org", 0, None),
    ("Noah Test", "noah.test@example.org", 1, provider.SUCCEEDS),
    ("Emma Sample", "emma.sample@example.net", 2, provider.SUCCEEDS),
    ("Paul Decline", "paul.decline@example.net", 2, provider.DECLINED),
    ("Sofia Pending", "sofia.pending@example.com", 1, ""),  # a payment created, not confirmed yet
)
TRIGGER_ORIGIN = "Sandbox trigger"


# -- provisioning and reset ----------------------------------------------------------------------
def sandbox_provision(*, actor: Actor, organization: Organization) -> Organization:
    """The organization's sandbox; created and seeded in one transaction when it has none.

    Locks the organization's row (``accounts.services.sandbox_create``), so two
    parallel calls make one sandbox. The seed publishes nothing deliverable (its
    outbox rows are marked dispatched). Raises ValueError for a sandbox.
    """
    with transaction.atomic():
        sandbox, created = account_services.sandbox_create(actor=actor, organization=organization)
        if created:
            _seed(sandbox)
    return sandbox


def sandboxes_provision(*, actor: Actor = SYSTEM) -> list[Organization]:
    """A seeded sandbox for every developer organization that has none (``manage.py create_sandboxes``)."""
    missing = Organization.objects.filter(kind=OrganizationKind.DEVELOPER, sandbox__isnull=True).order_by("created_at")
    return [sandbox_provision(actor=actor, organization=organization) for organization in missing]


def _seed(sandbox: Organization) -> None:
    started = timezone.now()
    venue = demo.venue(actor=SYSTEM, organization=sandbox)
    # Its check-in window opens at seeding, so the seed and the trigger form check tickets in now.
    conference = demo.conference(
        actor=SYSTEM, organization=sandbox, venue=venue, time_zone=SEED_TIME_ZONE, check_in_from_seeding=True
    )
    demo.meetup(actor=SYSTEM, organization=sandbox, venue=venue, time_zone=SEED_TIME_ZONE)
    demo.draft(actor=SYSTEM, organization=sandbox, venue=venue, time_zone=SEED_TIME_ZONE)
    ticket_types = [
        registration_services.ticket_type_create(
            actor=SYSTEM,
            event=conference,
            data={"name": name, "price": price, "tax_rate": tax_rate, "sort_order": index},
        )
        for index, (name, price, tax_rate) in enumerate(TICKET_TYPES)
    ]
    first = None
    for name, email, index, card in ATTENDEES:
        registration = _register(sandbox, conference, ticket_types[index], name, email)
        first = first or registration
        if card is not None:
            payment = payment_services.payment_create(actor=SYSTEM, registrations=[registration])
            if card:
                payment_services.payment_confirm(actor=SYSTEM, payment=payment, card_number=card)
    assert first is not None
    _check_in(sandbox, conference, first)
    # Silent: the seed's outbox rows are not delivered (a reset must not flood the partner's receivers).
    OutboxEvent.objects.filter(organization_id=sandbox.pk, dispatched_at__isnull=True, created_at__gte=started).update(
        dispatched_at=timezone.now()
    )


def _register(sandbox: Organization, event: Event, ticket_type: TicketType, name: str, email: str) -> Registration:
    [registration] = registration_services.registration_create(
        actor=SYSTEM,
        organization_id=sandbox.pk,
        event_id=event.pk,
        ticket_type_id=ticket_type.pk,
        attendees=[{"name": name, "email": email}],
    )
    return registration


def _check_in(sandbox: Organization, event: Event, registration: Registration) -> None:
    result = checkins.checkin_scan(
        actor=SYSTEM, organization=sandbox, event=event, code=registration.ticket_code, device=TRIGGER_ORIGIN
    )
    if result.error is not None:
        raise result.error


# Deleted in this order (rows protected by a foreign key go before what they protect). What a reset keeps:
# communications sits beside integrations in the import layers: its models are named by label.
_COMMUNICATIONS = ("MessageEvent", "Suppression", "Message", "MessageBatch", "Preference")

RESET_ORDER: tuple[type[Model], ...] = (
    WebhookDelivery,  # with its attempts
    OutboxEvent,
    ExportRun,  # a schedule's history; the schedule is configuration
    ExportJob,
    CalendarLink,  # which remote calendar entry holds which sandbox event
    CalendarFeed,  # attendees' feed addresses
    ImportJob,  # with its rows' outcomes
    *(apps.get_model("communications", name) for name in _COMMUNICATIONS),
    CallLog,
    InboundEvent,
    ConnectorJob,
    ScimUser,
    ScimGroup,
    Dispute,
    VendorReference,
    Subscription,
    Invoice,
    Refund,
    Payment,  # with its items
    InvoiceSequence,
    CheckIn,
    SessionFeedback,
    Registration,
    TicketType,  # with its seat counters
    EventRegistrationSettings,
    SessionMaterial,
    Event,  # with sub-events, sessions and speakers
    Speaker,
    Session,
    Venue,
    Tag,
    AuditEntry,
)
# Configuration, not data: subscriptions, vendor connections, templates, branding, ticket keys, identity providers.
KEPT: tuple[type[Model], ...] = (
    WebhookSubscription,
    Connection,
    ExportSchedule,
    CalendarWatch,  # a connected calendar's notification channel
    apps.get_model("communications", "MessageTemplate"),
    apps.get_model("communications", "EmailSettings"),
    DocumentBranding,
    TicketSigningKey,
    IdentityProvider,
    EmailDomain,
    ScimToken,
    # The change feed is kept: a partner copying the sandbox reads the reset's deletions and the new seed from it.
    Change,
    ChangeSequence,
)


def sandbox_reset(*, actor: Actor, sandbox: Organization) -> None:
    """Delete the sandbox's data and seed it again, in one transaction.

    Deleted: events and everything under them, registrations, check-ins,
    payments, invoices, webhook deliveries, outbox rows, emails, connector logs, exports and the audit log (the
    models of ``RESET_ORDER``). Kept: the configuration of ``KEPT`` (webhook subscriptions with their
    secrets, connections, templates, branding, ticket keys, identity providers), and everything of the developer organization (its API keys and
    OAuth applications). Locks the sandbox's row. Audits
    ``organization.sandbox_reset`` in the developer organization. Uploaded
    material files are removed after the commit. Raises ValueError for an
    organization that is not a sandbox.
    """
    if not sandbox.is_sandbox or sandbox.sandbox_of_id is None:
        raise ValueError("only a sandbox can be reset")
    with transaction.atomic():
        with locks.bounded():
            Organization.objects.select_for_update().filter(pk=sandbox.pk).first()
        files = [str(m.file.name) for m in SessionMaterial.objects.filter(organization=sandbox).exclude(file="")]
        for model in RESET_ORDER:
            _of(model, sandbox).delete()
        _seed(sandbox)
        audit.record(
            actor=actor,
            action="organization.sandbox_reset",
            target=sandbox,
            organization_id=sandbox.sandbox_of_id,
        )
        if files:
            transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    storage = SessionMaterial._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        storage.delete(name)


def _of(model: type[Model], sandbox: Organization) -> QuerySet[Any]:
    return model._default_manager.filter(organization_id=sandbox.pk)  # type: ignore[no-any-return]


# -- what the sandbox holds ----------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    events: list[Event]
    registrations: list[Registration]
    payments: list[Payment]
    deliveries: list[WebhookDelivery]


# Events are counted as the page lists them: top-level events (single events and series) apart from sub-events.
SUMMARY_COUNTS: dict[str, type[Model]] = {
    "sessions": Session,
    "ticket types": TicketType,
    "registrations": Registration,
    "payments": Payment,
    "webhook subscriptions": WebhookSubscription,
    "webhook deliveries": WebhookDelivery,
}


def sandbox_summary(*, sandbox: Organization, rows: int = 5) -> Summary:
    """Counts of the sandbox's data and its first events (each with ``sub_event_count``), latest registrations,
    payments and deliveries. ``counts["events"]`` counts what ``events`` lists (top-level events); sub-events apart."""
    events = _of(Event, sandbox).aggregate(
        top=Count("pk", filter=Q(parent__isnull=True)), sub=Count("pk", filter=Q(parent__isnull=False))
    )
    counts = {"events": events["top"], "sub-events": events["sub"]}
    counts.update({label: _of(model, sandbox).count() for label, model in SUMMARY_COUNTS.items()})
    return Summary(
        counts=counts,
        events=list(
            _of(Event, sandbox)
            .filter(parent__isnull=True)
            .annotate(sub_event_count=Count("sub_events"))
            .order_by("starts_at", "id")[:rows]
        ),
        registrations=list(_of(Registration, sandbox).select_related("ticket_type").order_by("-created_at", "-id")[:rows]),
        payments=list(_of(Payment, sandbox).order_by("-created_at", "-id")[:rows]),
        deliveries=list(_of(WebhookDelivery, sandbox).select_related("subscription").order_by("-created_at", "-id")[:rows]),
    )


# -- trigger an event type -----------------------------------------------------------------------
def _conference(sandbox: Organization) -> Event:
    event = _of(Event, sandbox).filter(slug=demo.CONFERENCE_SLUG, status=EventStatus.PUBLISHED).first()
    if event is None or event.ends_at <= timezone.now():
        raise DomainError(errors.SANDBOX_SEED_MISSING)
    return event


def _ticket_type(event: Event, *, paid: bool) -> TicketType:
    qs = TicketType.objects.filter(event=event).order_by("sort_order", "id")
    found = qs.filter(price__gt=0).first() if paid else qs.filter(price=0).first()
    if found is None:
        raise DomainError(errors.SANDBOX_SEED_MISSING, details="The sample conference has lost its ticket types.")
    return found


def _attendee(sandbox: Organization, *, paid: bool) -> Registration:
    event = _conference(sandbox)
    stamp = uuid.uuid4().hex[:8]
    return _register(sandbox, event, _ticket_type(event, paid=paid), f"Test Attendee {stamp}", f"attendee-{stamp}@example.com")


def _paid(actor: Actor, sandbox: Organization, card: str) -> Payment:
    payment = payment_services.payment_create(actor=actor, registrations=[_attendee(sandbox, paid=True)])
    return payment_services.payment_confirm(actor=actor, payment=payment, card_number=card)


def _new_event(actor: Actor, sandbox: Organization) -> Event:
    starts = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=21)
    stamp = uuid.uuid4().hex[:6]
    return event_services.event_create(
        actor=actor,
        organization=sandbox,
        data={
            "title": f"Sandbox webinar {stamp}",
            "description": f"Created by the {TRIGGER_ORIGIN.lower()} form.",
            "category": Category.WEBINAR,
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=1),
            "time_zone": SEED_TIME_ZONE,
            "attendance_mode": AttendanceMode.ONLINE,
            "online_url": "https://meet.example.com/sandbox",
            "capacity": 100,
        },
    )


def _new_session(actor: Actor, sandbox: Organization) -> Session:
    event = _conference(sandbox)
    starts = event.starts_at + dt.timedelta(hours=7)
    return event_services.session_create(
        actor=actor,
        event=event,
        data={
            "title": "Sandbox session",
            "abstract": f"Created by the {TRIGGER_ORIGIN.lower()} form.",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(minutes=30),
            "room": f"Room {uuid.uuid4().hex[:6]}",
        },
    )


def _scheduled_session(sandbox: Organization) -> Session:
    session = Session.objects.filter(event=_conference(sandbox), status=SessionStatus.SCHEDULED).order_by("starts_at").first()
    if session is None:
        raise DomainError(errors.SANDBOX_SEED_MISSING, details="The sample conference has no scheduled session left.")
    return session


def _checked_in(actor: Actor, sandbox: Organization) -> None:
    registration = _attendee(sandbox, paid=False)
    result = checkins.checkin_scan(
        actor=actor, organization=sandbox, event=registration.event, code=registration.ticket_code, device=TRIGGER_ORIGIN
    )
    if result.error is not None:
        raise result.error


# What firing each type does, for real, in the sandbox. Some actions publish other types too (creating and
# publishing an event publishes event.created before event.published).
ACTIONS: dict[str, Callable[[Actor, Organization], object]] = {
    "event.created": _new_event,
    "event.updated": lambda actor, sandbox: event_services.event_update(
        actor=actor,
        event=_conference(sandbox),
        data={"description": f"Updated by the {TRIGGER_ORIGIN.lower()} form at {timezone.now():%H:%M:%S}."},
    ),
    "event.published": lambda actor, sandbox: event_services.event_publish(actor=actor, event=_new_event(actor, sandbox)),
    "event.cancelled": lambda actor, sandbox: event_services.event_cancel(
        actor=actor, event=_new_event(actor, sandbox), reason=f"Cancelled by the {TRIGGER_ORIGIN.lower()} form."
    ),
    "session.created": _new_session,
    "session.updated": lambda actor, sandbox: event_services.session_update(
        actor=actor, session=_scheduled_session(sandbox), data={"track": f"Updated {timezone.now():%H:%M:%S}"}
    ),
    "session.cancelled": lambda actor, sandbox: event_services.session_cancel(
        actor=actor, session=_new_session(actor, sandbox), reason=f"Cancelled by the {TRIGGER_ORIGIN.lower()} form."
    ),
    "registration.created": lambda actor, sandbox: _attendee(sandbox, paid=True),
    "registration.confirmed": lambda actor, sandbox: _attendee(sandbox, paid=False),
    "registration.cancelled": lambda actor, sandbox: registration_services.registration_cancel(
        actor=actor, registration=_attendee(sandbox, paid=False), reason=f"Cancelled by the {TRIGGER_ORIGIN.lower()} form."
    ),
    "payment.completed": lambda actor, sandbox: _paid(actor, sandbox, provider.SUCCEEDS),
    "payment.failed": lambda actor, sandbox: _paid(actor, sandbox, provider.DECLINED),
    "payment.refunded": lambda actor, sandbox: payment_services.payment_refund(
        actor=actor, payment=_paid(actor, sandbox, provider.SUCCEEDS), reason=f"Refunded by the {TRIGGER_ORIGIN.lower()} form."
    ),
    "checkin.completed": _checked_in,
}


def sandbox_trigger(*, actor: Actor, sandbox: Organization, event_type: str) -> list[OutboxEvent]:
    """Fire ``event_type`` in the sandbox and return the outbox rows written, oldest first.

    Performs the action the type reports through the services (``ACTIONS``),
    with their locks, audit entries and outbox rows, in one transaction; a type
    without an action publishes the catalog's example ``data``. The rows are
    delivered to the sandbox's subscriptions after the commit, like any other.
    Raises VALIDATION_ERROR (a type outside the catalog, an organization that is
    not a sandbox), SANDBOX_SEED_MISSING (the sample conference is gone, has
    ended or has no ticket types: reset), and whatever the action's services
    raise (SOLD_OUT after very many triggers...).
    """
    if event_type not in catalog.CATALOG:
        raise DomainError(VALIDATION_ERROR, f"{event_type!r} is not in the event catalog.", target="eventType")
    if not sandbox.is_sandbox:
        raise DomainError(VALIDATION_ERROR, "Events are triggered in a sandbox only.")
    with transaction.atomic():
        started = timezone.now()
        action = ACTIONS.get(event_type)
        if action is not None:
            action(actor, sandbox)
        else:
            outbox.publish(event_type, sandbox.pk, catalog.example_data(event_type))
        return list(OutboxEvent.objects.filter(organization_id=sandbox.pk, created_at__gte=started).order_by("created_at", "id"))
