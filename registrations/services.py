"""Writes of ticket types and registrations: orders, the waitlist, cancellation, expiry, confirmation.

Seats are counted and taken under the event's row lock (``SELECT ... FOR NO KEY
UPDATE``: it serializes these writes without blocking the foreign-key checks of
rows that merely reference the event), which every write that takes or frees a
seat acquires first; so two parallel orders cannot both take the last seat. A
seat is held by a confirmed registration, or by a pending-payment one until
``expires_at``. An order reads the seats held from ``SeatCount`` (kept by the
database) and counts exactly only when those counters leave no room.

Each service is one transaction, records an audit entry per row it changes, and
publishes ``registration.created`` / ``registration.confirmed`` /
``registration.cancelled`` to the outbox in that transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict
from zoneinfo import ZoneInfo

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import User
from api.payload import check_free_form
from core import audit, locks, outbox, rows
from core import changes as change_log
from core.audit import Actor
from core.errors import VALIDATION_ERROR, DomainError
from core.locks import Precondition
from events.errors import EVENT_NOT_EDITABLE
from events.models import Event, EventStatus
from registrations import errors, selectors
from registrations.models import (
    MAX_ANSWERS_BYTES,
    EventRegistrationSettings,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    TicketType,
    TicketVisibility,
)
from registrations.payloads import publish_registration, registration_data

TICKET_TYPE_FIELDS = (
    "name",
    "description",
    "price",
    "tax_rate",
    "capacity",
    "sales_starts_at",
    "sales_ends_at",
    "max_per_order",
    "visibility",
    "sort_order",
)
ATTENDEE_FIELDS = ("attendee_name", "attendee_email", "answers")
SETTINGS_FIELDS = ("waitlist_enabled", "pending_payment_ttl_minutes")
EXPIRY_REASON = "payment not received in time"
SEAT_HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING_PAYMENT)


class Attendee(TypedDict):
    name: str
    email: str
    answers: NotRequired[dict[str, Any]]
    user: NotRequired[User | None]


def invalid(target: str, message: str, code: str = "INVALID") -> DomainError:
    return DomainError(VALIDATION_ERROR, message, details=[{"target": target, "code": code, "message": message}], target=target)


def answers_check(value: Any) -> dict[str, Any]:
    """The attendee's answers within the API's limits for a free-form object (``api.payload.check_free_form``).

    The API's serializer checks the same before calling a service; the console's form relies on this. Raises
    VALIDATION_ERROR on ``answers`` with one detail per offending key.
    """
    try:
        return dict(check_free_form(value, max_bytes=MAX_ANSWERS_BYTES))
    except ValidationError as exc:
        problems = exc.detail if isinstance(exc.detail, list) else [exc.detail]
        raise DomainError(
            VALIDATION_ERROR,
            "The answers are not valid.",
            details=[
                {"target": "answers", "code": str(getattr(p, "code", "invalid")).upper(), "message": str(p)} for p in problems
            ],
            target="answers",
        ) from None


_LOCK_EVENT_SQL = f"SELECT {rows.columns(Event, 'e')} FROM {Event._meta.db_table} e WHERE e.id = %s"


def _lock_event(event_id: Any, organization_id: Any = None) -> Event:
    """Lock the event's row (``FOR NO KEY UPDATE``), the first lock of every write that takes or frees a seat.

    The wait is bounded (``core.locks``): raises BUSY when another transaction holds the row too long.

    With ``organization_id`` the event must be that organization's: another tenant's
    id is a VALIDATION_ERROR on ``eventId`` like an id that does not exist. Raw SQL:
    every order starts here, and building the query with the ORM cost twice running it.
    """
    connection = transaction.get_connection()
    pk = Event._meta.pk
    assert pk is not None
    sql, params = _LOCK_EVENT_SQL, [pk.get_db_prep_value(event_id, connection)]
    if organization_id is not None:
        organization = Event._meta.get_field("organization").target_field  # type: ignore[union-attr]
        sql += " AND e.organization_id = %s"
        params.append(organization.get_db_prep_value(organization_id, connection))
    if connection.features.has_select_for_update:
        sql += " FOR NO KEY UPDATE"
    with locks.bounded(connection.alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        if organization_id is None:
            raise Event.DoesNotExist(event_id)
        raise invalid("eventId", "No such event.", "DOES_NOT_EXIST")
    return rows.load(Event, row, using=connection.alias)


def _lock_ticket_type(event: Event, ticket_type_id: Any) -> TicketType:
    with locks.bounded():
        ticket_type = TicketType.objects.select_for_update(no_key=True).filter(pk=ticket_type_id, event_id=event.pk).first()
    if ticket_type is None:
        raise invalid("ticketTypeId", "The ticket type belongs to another event.", "DOES_NOT_EXIST")
    return ticket_type


def _lock_registration(registration: Registration) -> Registration:
    with locks.bounded():
        return Registration.objects.select_for_update().select_related("ticket_type").get(pk=registration.pk)


# -- settings -------------------------------------------------------------------------------
def event_registration_settings_update(*, actor: Actor, event: Event, data: dict[str, Any]) -> EventRegistrationSettings:
    """Store the event's waitlist switch and payment window. Locks the event. Raises EVENT_NOT_EDITABLE."""
    with transaction.atomic():
        event = _lock_event(event.pk)
        if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
            raise DomainError(EVENT_NOT_EDITABLE, details=f"The event is {event.status}.")
        current = selectors.settings_for(event=event)
        changes = audit.assign(current, data, SETTINGS_FIELDS)
        current.save()
        audit.record(
            actor=actor,
            action="registration_settings.updated",
            target=current,
            organization_id=event.organization_id,
            changes=changes,
        )
        return current


# -- ticket types ---------------------------------------------------------------------------
def _validate_ticket_type(ticket_type: TicketType) -> None:
    start, end = ticket_type.sales_starts_at, ticket_type.sales_ends_at
    if start is not None and end is not None and end <= start:
        raise invalid("salesEndsAt", "The sales window must end after it starts.")
    clash = TicketType.objects.filter(event_id=ticket_type.event_id, name__iexact=ticket_type.name).exclude(pk=ticket_type.pk)
    if clash.exists():
        raise invalid("name", "The event has a ticket type of that name already.", "UNIQUE")


def _require_editable(event: Event) -> None:
    if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        raise DomainError(EVENT_NOT_EDITABLE, details=f"The event is {event.status}.")


def ticket_type_create(*, actor: Actor, event: Event, data: dict[str, Any]) -> TicketType:
    """Add a ticket type in the event's currency. Locks the event. Raises EVENT_NOT_EDITABLE, VALIDATION_ERROR."""
    with transaction.atomic():
        event = _lock_event(event.pk)
        _require_editable(event)
        ticket_type = TicketType(
            organization_id=event.organization_id,
            event=event,
            currency=event.currency,
            **{k: v for k, v in data.items() if k in TICKET_TYPE_FIELDS},
        )
        _validate_ticket_type(ticket_type)
        ticket_type.save()
        audit.record(
            actor=actor,
            action="ticket_type.created",
            target=ticket_type,
            organization_id=event.organization_id,
            changes=audit.snapshot(ticket_type, [*TICKET_TYPE_FIELDS, "currency"]),
        )
        return ticket_type


def ticket_type_update(
    *,
    actor: Actor,
    ticket_type: TicketType,
    data: dict[str, Any],
    now: dt.datetime | None = None,
    precondition: Precondition | None = None,
) -> TicketType:
    """Change a ticket type. Locks the event, then the ticket type, and checks ``precondition`` on it.

    Raises BUSY, EVENT_NOT_EDITABLE, VALIDATION_ERROR, and TICKET_CAPACITY_TOO_LOW when
    the new capacity is below the seats already held. A raised capacity promotes
    the waitlist (publishing ``registration.confirmed`` for free tickets).
    """
    with transaction.atomic():
        event = _lock_event(ticket_type.event_id)
        ticket_type = _lock_ticket_type(event, ticket_type.pk)
        locks.check(precondition, ticket_type)
        _require_editable(event)
        changes = audit.assign(ticket_type, data, TICKET_TYPE_FIELDS)
        _validate_ticket_type(ticket_type)
        if "capacity" in data and ticket_type.capacity is not None:
            taken = selectors.seats_taken(event=event, ticket_type=ticket_type, now=now)
            if ticket_type.capacity < taken:
                raise DomainError(
                    errors.TICKET_CAPACITY_TOO_LOW,
                    target="capacity",
                    details=f"{taken} seat(s) are taken; the capacity must be at least {taken}.",
                )
        ticket_type.save()
        audit.record(
            actor=actor,
            action="ticket_type.updated",
            target=ticket_type,
            organization_id=event.organization_id,
            changes=changes,
        )
        if "capacity" in data and event.status == EventStatus.PUBLISHED:
            _promote_waitlist(actor, event, now or timezone.now())
        return ticket_type


def ticket_type_delete(*, actor: Actor, ticket_type: TicketType, precondition: Precondition | None = None) -> None:
    """Delete a ticket type nobody registered for. Locks the event and the ticket type, checks ``precondition``
    on it. Raises BUSY, TICKET_TYPE_IN_USE."""
    with transaction.atomic():
        event = _lock_event(ticket_type.event_id)
        ticket_type = _lock_ticket_type(event, ticket_type.pk)
        locks.check(precondition, ticket_type)
        count = ticket_type.registrations.count()
        if count:
            raise DomainError(errors.TICKET_TYPE_IN_USE, details=f"{count} registration(s) use this ticket type.")
        audit.record(
            actor=actor,
            action="ticket_type.deleted",
            target=ticket_type,
            organization_id=event.organization_id,
            changes={"name": ticket_type.name},
        )
        ticket_type.delete()


# -- seats ------------------------------------------------------------------------------------
def _seats_left(event: Event, ticket_type: TicketType, now: dt.datetime) -> int | None:
    """Seats still free for this ticket type: the smaller of the event's and the ticket type's; None = unlimited."""
    limits = []
    if event.capacity is not None:
        limits.append(event.capacity - selectors.seats_taken(event=event, now=now))
    if ticket_type.capacity is not None:
        limits.append(ticket_type.capacity - selectors.seats_taken(event=event, ticket_type=ticket_type, now=now))
    return max(min(limits), 0) if limits else None


def _seats_left_for_order(event: Event, ticket_type: TicketType, requested: int, now: dt.datetime) -> int | None:
    """Seats left for an order of ``requested`` (None = unlimited), on a ticket type from ``ticket_type_for_order``.

    The held counters are upper bounds of the seats taken, so when they leave room
    the order fits; only when they do not are the seats counted exactly (a pending
    registration past ``expires_at`` no longer holds its seat).
    """
    limits = []
    if event.capacity is not None:
        limits.append(event.capacity - ticket_type.event_held)  # type: ignore[attr-defined]
    if ticket_type.capacity is not None:
        limits.append(ticket_type.capacity - ticket_type.type_held)  # type: ignore[attr-defined]
    if not limits:
        return None
    if min(limits) >= requested:
        return min(limits)
    return _seats_left(event, ticket_type, now)


def _hold_seat(registration: Registration, ticket_type: TicketType, payment_ttl_minutes: int, now: dt.datetime) -> None:
    """Free tickets are confirmed at once; paid ones wait for payment until ``expires_at``."""
    if ticket_type.is_free:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.expires_at = None
    else:
        registration.status = RegistrationStatus.PENDING_PAYMENT
        registration.expires_at = now + dt.timedelta(minutes=payment_ttl_minutes)


def _record(actor: Actor, action: str, registration: Registration, changes: dict[str, Any]) -> None:
    audit.record(actor=actor, action=action, target=registration, organization_id=registration.organization_id, changes=changes)


# -- registrations ----------------------------------------------------------------------------
def registration_create(
    *,
    actor: Actor,
    organization_id: Any,
    event_id: Any,
    ticket_type_id: Any,
    attendees: Sequence[Attendee],
    source: str = RegistrationSource.USER,
    allow_hidden: bool = True,
    now: dt.datetime | None = None,
) -> list[Registration]:
    """Register ``attendees`` for an event of the organization with one of its ticket types, as one order.

    Locks the event, then reads the ticket type, the event's settings and its seat
    counters under that lock. The order is all or nothing: every attendee gets a
    seat (confirmed for a free ticket, pending payment with ``expires_at`` for a
    paid one), or, when the seats left do not cover the order and the event has a
    waitlist, every attendee is waitlisted. ``allow_hidden`` is false on public
    sign-up channels. Each registration gets ``rendered``: the API's document.

    Publishes ``registration.created`` for each registration, and
    ``registration.confirmed`` for each one confirmed at once.

    Raises VALIDATION_ERROR (also for an event or ticket type not found in the
    organization), EVENT_NOT_OPEN, TICKET_TYPE_NOT_AVAILABLE, TICKET_SALES_CLOSED,
    ORDER_LIMIT_EXCEEDED and SOLD_OUT.
    """
    now = now or timezone.now()
    if not attendees:
        raise invalid("attendees", "Give at least one attendee.", "REQUIRED")
    with transaction.atomic():
        desk = _OrderDesk(_lock_event(event_id, organization_id))
        return _place_order(actor, desk, desk.ticket_type(ticket_type_id), attendees, source, allow_hidden, now)


class _OrderDesk:
    """The event locked, and its ticket types read under that lock, for one order or for many in one transaction.

    A ticket type is read once (``selectors.ticket_type_for_order``) and kept while its
    seat counters can be followed here: an order that took seats without the waitlist adds
    them to the kept counters (the database's triggers add them to the stored ones). An
    order that met the waitlist (promotions, waitlisted rows) drops what is kept: the next
    order reads again.
    """

    def __init__(self, event: Event) -> None:
        self.event = event
        self._types: dict[str, TicketType] = {}

    def ticket_type(self, ticket_type_id: Any) -> TicketType:
        key = str(ticket_type_id)
        ticket_type = self._types.get(key)
        if ticket_type is None:
            ticket_type = selectors.ticket_type_for_order(event=self.event, ticket_type_id=ticket_type_id)
            if ticket_type is None:
                raise invalid("ticketTypeId", "The event has no such ticket type.", "DOES_NOT_EXIST")
            self._types[key] = ticket_type
        return ticket_type

    def placed(self, ticket_type: TicketType, held: int, waitlist_met: bool) -> None:
        """After an order: ``held`` seats taken on ``ticket_type``; ``waitlist_met`` when it went near the waitlist."""
        if waitlist_met:
            self._types.clear()
            return
        for kept in self._types.values():
            kept.event_held += held  # type: ignore[attr-defined]
        ticket_type.type_held += held  # type: ignore[attr-defined]


def _place_order(
    actor: Actor,
    desk: _OrderDesk,
    ticket_type: TicketType,
    attendees: Sequence[Attendee],
    source: str,
    allow_hidden: bool,
    now: dt.datetime,
) -> list[Registration]:
    """One order under the event's lock held by ``desk``: the rules of ``registration_create`` and its writes.

    Raises before it writes anything, except after promoting the waitlist (an event
    with waitlisted registrations): the caller runs such an order in a savepoint.
    """
    event = desk.event
    _check_order(event, ticket_type, len(attendees), allow_hidden, now)
    ttl: int = ticket_type.payment_ttl_minutes  # type: ignore[attr-defined]
    if ticket_type.event_waitlisted:  # type: ignore[attr-defined]
        # Seats freed since the last promotion (a capacity raised, a payment window
        # passed) go to the waitlist first: a new order never jumps the queue.
        _promote_waitlist(actor, event, now, ttl)
        left = _seats_left(event, ticket_type, now)
    else:
        left = _seats_left_for_order(event, ticket_type, len(attendees), now)
    waitlist = left is not None and left < len(attendees)
    if waitlist and not ticket_type.waitlist_enabled:  # type: ignore[attr-defined]
        raise DomainError(
            errors.SOLD_OUT,
            f"Only {left} seat(s) left." if left else "Sold out.",
            details={"seatsLeft": left, "requested": len(attendees)},
        )
    order_id = uuid.uuid4()
    created = []
    # Timestamps are set here, not by the INSERT: the rows are rendered (API answer, outbox) before it.
    # Each a microsecond after the one before, so created_at keeps the order's order.
    stamp = timezone.now()
    for i, attendee in enumerate(attendees):
        registration = Registration(
            created_at=stamp + dt.timedelta(microseconds=i),
            updated_at=stamp + dt.timedelta(microseconds=i),
            organization_id=event.organization_id,
            event=event,
            ticket_type=ticket_type,
            order_id=order_id,
            attendee_name=attendee["name"].strip(),
            attendee_email=attendee["email"].strip(),
            answers=attendee.get("answers") or {},
            user=attendee.get("user"),
            source=source,
            created_by=str(actor.audit_label)[:255],
        )
        if waitlist:
            registration.status = RegistrationStatus.WAITLISTED
        else:
            _hold_seat(registration, ticket_type, ttl, now)
        created.append(registration)
    if waitlist:
        # A waitlisted registration's document tells its place in line, counted from the stored rows.
        rows.insert(created)
    entries, published = [], []
    for registration in created:
        entries.append(
            audit.entry(
                actor=actor,
                action="registration.created",
                target=registration,
                organization_id=registration.organization_id,
                changes={
                    **audit.snapshot(registration, ("attendee_name", "attendee_email", "status", "source", "expires_at")),
                    "ticket_type": str(ticket_type.pk),
                    "order_id": str(order_id),
                },
            )
        )
        data = registration_data(registration)
        registration.rendered = data  # the API's answer is the same document
        published.append(("registration.created", data))
        if registration.status == RegistrationStatus.CONFIRMED:
            published.append(("registration.confirmed", data))
    # The order's registrations (the seat counters' triggers run per row), their audit entries and
    # outbox rows: one statement, so the event's lock is held for as few round trips as can be.
    outbox.publish_many(
        event.organization_id, published, together_with=[[] if waitlist else created, entries, change_log.rows_for(created)]
    )
    desk.placed(ticket_type, 0 if waitlist else len(created), waitlist_met=waitlist or bool(ticket_type.event_waitlisted))  # type: ignore[attr-defined]
    return created


@dataclass(frozen=True)
class Order:
    """One order of ``registrations_create_many``: a ticket type and its attendees."""

    ticket_type_id: Any
    attendees: Sequence[Attendee]


def registrations_create_many(
    *,
    actor: Actor,
    organization_id: Any,
    event_id: Any,
    orders: Sequence[Order],
    source: str = RegistrationSource.USER,
    allow_hidden: bool = True,
    now: dt.datetime | None = None,
) -> list[list[Registration] | DomainError]:
    """Many orders for one event, each as ``registration_create`` places it, under one lock of the event.

    For a caller that writes many orders in one transaction (an import's chunk): the
    event is locked once and each ticket type read once (``_OrderDesk``), so an order
    costs one statement when it takes seats. Each order's outcome is its registrations
    or the DomainError that refused it (it wrote nothing). Must run in the caller's
    transaction; raises BUSY (locks) like ``registration_create``.
    """
    outcomes: list[list[Registration] | DomainError] = []
    try:
        desk = _OrderDesk(_lock_event(event_id, organization_id))
    except DomainError as exc:
        return [exc for _ in orders]
    for order in orders:
        when = now or timezone.now()
        try:
            if not order.attendees:
                raise invalid("attendees", "Give at least one attendee.", "REQUIRED")
            ticket_type = desk.ticket_type(order.ticket_type_id)
            if ticket_type.event_waitlisted:  # type: ignore[attr-defined]
                with transaction.atomic():  # the waitlist's promotions stay only with the order that made them
                    created = _place_order(actor, desk, ticket_type, order.attendees, source, allow_hidden, when)
            else:
                created = _place_order(actor, desk, ticket_type, order.attendees, source, allow_hidden, when)
        except DomainError as exc:
            outcomes.append(exc)
        else:
            outcomes.append(created)
    return outcomes


def _check_order(event: Event, ticket_type: TicketType, requested: int, allow_hidden: bool, now: dt.datetime) -> None:
    """What an order must meet before seats are counted: an open event, a ticket type on sale, the order limit."""
    if event.status != EventStatus.PUBLISHED:
        raise DomainError(errors.EVENT_NOT_OPEN, details=f"The event is {event.status}.")
    if ticket_type.visibility == TicketVisibility.HIDDEN and not allow_hidden:
        raise DomainError(errors.TICKET_TYPE_NOT_AVAILABLE, target="ticketTypeId")
    if (ticket_type.sales_starts_at is not None and now < ticket_type.sales_starts_at) or (
        ticket_type.sales_ends_at is not None and now >= ticket_type.sales_ends_at
    ):
        raise DomainError(
            errors.TICKET_SALES_CLOSED,
            target="ticketTypeId",
            details={"salesStartsAt": _iso(ticket_type.sales_starts_at), "salesEndsAt": _iso(ticket_type.sales_ends_at)},
        )
    if requested > ticket_type.max_per_order:
        raise DomainError(
            errors.ORDER_LIMIT_EXCEEDED,
            target="attendees",
            details=f"This ticket type allows {ticket_type.max_per_order} attendee(s) per order; {requested} were given.",
        )


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def registration_update(
    *, actor: Actor, registration: Registration, data: dict[str, Any], precondition: Precondition | None = None
) -> Registration:
    """Change the attendee's name, email or answers. Locks the registration, checks ``precondition`` on it.

    Raises BUSY, REGISTRATION_NOT_EDITABLE, VALIDATION_ERROR (answers beyond the API's limits). Publishes nothing: the
    event catalog has no ``registration.updated``.
    """
    if "answers" in data:
        data = {**data, "answers": answers_check(data["answers"])}
    with transaction.atomic():
        registration = _lock_registration(registration)
        locks.check(precondition, registration)
        if registration.status == RegistrationStatus.CANCELLED:
            raise DomainError(errors.REGISTRATION_NOT_EDITABLE)
        clean = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        changes = audit.assign(registration, clean, ATTENDEE_FIELDS)
        registration.save()
        _record(actor, "registration.updated", registration, changes)
        return registration


def _cancel(actor: Actor, registration: Registration, reason: str, now: dt.datetime, action: str) -> None:
    old = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.cancellation_reason = reason
    registration.expires_at = None
    registration.save()
    _record(actor, action, registration, {"status": {"from": old, "to": RegistrationStatus.CANCELLED}, "reason": reason})
    publish_registration("registration.cancelled", registration)


def _promote_waitlist(actor: Actor, event: Event, now: dt.datetime, payment_ttl_minutes: int | None = None) -> list[Registration]:
    """Give free seats to waitlisted registrations, first come first served (call under the event lock).

    Walks the waitlist in order and promotes every registration whose ticket type
    and event still have a seat; one that does not fit is skipped, not blocking
    those behind it with another ticket type. Registrations waitlisted while the
    waitlist was on are promoted even if it has been switched off since.
    """
    if event.status != EventStatus.PUBLISHED:
        return []
    # Most orders meet an empty waitlist: one cheap query instead of counting seats.
    if not Registration.objects.filter(event_id=event.pk, status=RegistrationStatus.WAITLISTED).exists():
        return []
    event_left = None if event.capacity is None else event.capacity - selectors.seats_taken(event=event, now=now)
    if event_left is not None and event_left <= 0:
        return []
    if payment_ttl_minutes is None:
        payment_ttl_minutes = selectors.settings_for(event=event).pending_payment_ttl_minutes
    type_left: dict[Any, int | None] = {}
    promoted: list[Registration] = []
    with locks.bounded():
        waiting = list(
            Registration.objects.select_for_update()
            .filter(event_id=event.pk, status=RegistrationStatus.WAITLISTED)
            .select_related("ticket_type")
            .order_by("created_at", "id")
        )
    for registration in waiting:
        if event_left is not None and event_left <= 0:
            break
        ticket_type = registration.ticket_type
        if ticket_type.pk not in type_left:
            type_left[ticket_type.pk] = (
                None
                if ticket_type.capacity is None
                else ticket_type.capacity - selectors.seats_taken(event=event, ticket_type=ticket_type, now=now)
            )
        left = type_left[ticket_type.pk]
        if left is not None and left <= 0:
            continue
        _hold_seat(registration, ticket_type, payment_ttl_minutes, now)
        registration.save()
        _record(
            actor,
            "registration.promoted",
            registration,
            {
                "status": {"from": RegistrationStatus.WAITLISTED, "to": registration.status},
                "expires_at": _iso(registration.expires_at),
            },
        )
        if registration.status == RegistrationStatus.CONFIRMED:
            publish_registration("registration.confirmed", registration)
        promoted.append(registration)
        if left is not None:
            type_left[ticket_type.pk] = left - 1
        if event_left is not None:
            event_left -= 1
    return promoted


def registration_cancel(
    *,
    actor: Actor,
    registration: Registration,
    reason: str,
    now: dt.datetime | None = None,
    precondition: Precondition | None = None,
) -> Registration:
    """Cancel a registration with a reason, freeing its seat for the waitlist.

    Locks the event, then the registration (and the waitlisted rows it promotes);
    checks ``precondition`` on the registration once both are held. Raises BUSY. Publishes ``registration.cancelled``, and ``registration.confirmed`` for each
    free-ticket registration promoted from the waitlist (paid ones move to pending
    payment with a fresh ``expires_at``). Raises VALIDATION_ERROR (no reason) and
    REGISTRATION_INVALID_TRANSITION (already cancelled).
    """
    if not reason or not reason.strip():
        raise invalid("reason", "A cancellation reason is required.", "REQUIRED")
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        registration = _lock_registration(registration)
        locks.check(precondition, registration)
        if registration.status == RegistrationStatus.CANCELLED:
            raise _transition_error(
                registration.status, RegistrationStatus.CANCELLED, (*SEAT_HOLDING, RegistrationStatus.WAITLISTED)
            )
        held_seat = registration.status in SEAT_HOLDING
        _cancel(actor, registration, reason.strip(), now, "registration.cancelled")
        if held_seat:
            _promote_waitlist(actor, event, now)
        return registration


def _transition_error(current: str, to: str, allowed_from: Sequence[str]) -> DomainError:
    return DomainError(
        errors.REGISTRATION_INVALID_TRANSITION,
        f"A {current.replace('_', ' ')} registration cannot become {to.replace('_', ' ')}.",
        details={"from": current, "to": to, "allowedFrom": list(allowed_from)},
        target="status",
    )


def registration_confirm(*, actor: Actor, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """pending_payment -> confirmed (payments call this once the money is in).

    Locks the event, then the registration. A registration past ``expires_at``
    that the expiry job has not cancelled yet is confirmed only if a seat is still
    free. Publishes ``registration.confirmed``. Raises REGISTRATION_INVALID_TRANSITION
    and REGISTRATION_EXPIRED.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        registration = _lock_registration(registration)
        if registration.status != RegistrationStatus.PENDING_PAYMENT:
            raise _transition_error(registration.status, RegistrationStatus.CONFIRMED, (RegistrationStatus.PENDING_PAYMENT,))
        if registration.expires_at is not None and registration.expires_at <= now:
            left = _seats_left(event, registration.ticket_type, now)
            if left is not None and left < 1:
                raise DomainError(
                    errors.REGISTRATION_EXPIRED, details=f"The payment window closed at {_iso(registration.expires_at)}."
                )
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.expires_at = None
        registration.save()
        _record(
            actor,
            "registration.confirmed",
            registration,
            {"status": {"from": RegistrationStatus.PENDING_PAYMENT, "to": RegistrationStatus.CONFIRMED}},
        )
        publish_registration("registration.confirmed", registration)
        return registration


def registrations_expire_pending(*, actor: Actor = audit.SYSTEM, now: dt.datetime | None = None) -> int:
    """Cancel pending-payment registrations past ``expires_at`` and give their seats to the waitlist.

    One transaction per event: locks the event, re-reads its expired registrations
    under lock (a payment may have confirmed one meanwhile), cancels them with
    reason "payment not received in time" (publishing ``registration.cancelled``),
    then promotes the waitlist. Returns how many were cancelled.
    """
    now = now or timezone.now()
    expired = Registration.objects.filter(status=RegistrationStatus.PENDING_PAYMENT, expires_at__lte=now)
    event_ids = sorted(set(expired.values_list("event_id", flat=True)), key=str)
    done = 0
    for event_id in event_ids:
        with transaction.atomic():
            event = _lock_event(event_id)
            with locks.bounded():
                rows = list(
                    Registration.objects.select_for_update()
                    .filter(event_id=event.pk, status=RegistrationStatus.PENDING_PAYMENT, expires_at__lte=now)
                    .order_by("created_at", "id")
                )
            for registration in rows:
                _cancel(actor, registration, EXPIRY_REASON, now, "registration.expired")
            if rows:
                _promote_waitlist(actor, event, now)
            done += len(rows)
    return done


# -- batch ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BatchItem:
    index: int
    event: Event
    ticket_type: TicketType
    attendee: Attendee


@dataclass(frozen=True)
class BatchOutcome:
    index: int
    registration: Registration | None = None
    error: DomainError | None = None


def batch_item_error(index: int, exc: DomainError) -> DomainError:
    """The error of a whole atomic batch: the failing item's code, with its index in ``details``."""
    target = f"items[{index}]" + (f".{exc.target}" if exc.target else "")
    return DomainError(
        exc.error,
        f"Item {index}: {exc.message}",
        details={"index": index, "details": exc.details},
        target=target,
        extra=exc.extra,
    )


def registrations_batch(
    *, actor: Actor, items: Sequence[BatchItem], atomic: bool, now: dt.datetime | None = None
) -> list[BatchOutcome]:
    """Create one registration per item (each its own order of one, source "batch").

    Runs in one transaction, each item in its own savepoint (``registration_create``
    nests). ``atomic``: the first failing item raises ``batch_item_error`` and
    nothing is kept; otherwise a failing item is rolled back to its savepoint
    and reported in its outcome. Locks and publishes as ``registration_create``.
    """
    outcomes: list[BatchOutcome] = []
    with transaction.atomic():
        for item in items:
            try:
                [registration] = registration_create(
                    actor=actor,
                    organization_id=item.event.organization_id,
                    event_id=item.event.pk,
                    ticket_type_id=item.ticket_type.pk,
                    attendees=[item.attendee],
                    source=RegistrationSource.BATCH,
                    now=now,
                )
            except locks.Busy:
                # A lock wait that ran out fails the whole batch (nothing kept): the caller retries it.
                raise
            except DomainError as exc:
                if atomic:
                    raise batch_item_error(item.index, exc) from exc
                outcomes.append(BatchOutcome(index=item.index, error=exc))
            else:
                outcomes.append(BatchOutcome(index=item.index, registration=registration))
    return outcomes


# Check-in and session feedback services live in ``registrations.checkins`` (module size);
# callers use them from here, like every other write of this app.
from registrations.checkins import (  # noqa: E402
    BulkCheckIn,
    ScanResult,
    checkin_scan,
    checkin_undo,
    checkins_bulk,
    session_feedback_create,
)
from registrations.checkins import error_of as checkin_error  # noqa: E402
from registrations.tickets import document_branding_update, ticket_key_rotate  # noqa: E402

__all__ = [
    "BulkCheckIn",
    "ScanResult",
    "checkin_error",
    "checkin_scan",
    "checkin_undo",
    "checkins_bulk",
    "document_branding_update",
    "session_feedback_create",
    "ticket_key_rotate",
]


# -- the organizer console's actions ------------------------------------------------------------
def registration_comp(*, actor: Actor, registration: Registration, reason: str, now: dt.datetime | None = None) -> Registration:
    """Confirm a pending-payment registration free of charge (a complimentary ticket): no payment, no expiry.

    Locks as ``registration_confirm`` does (the event, then the registration) in
    one transaction and records ``registration.comped`` with the reason beside
    its ``registration.confirmed``. Publishes ``registration.confirmed``. Raises
    VALIDATION_ERROR (no reason), REGISTRATION_INVALID_TRANSITION, REGISTRATION_EXPIRED.
    """
    if not reason or not reason.strip():
        raise invalid("reason", "Say why the ticket is complimentary.", "REQUIRED")
    with transaction.atomic():
        confirmed = registration_confirm(actor=actor, registration=registration, now=now)
        _record(actor, "registration.comped", confirmed, {"reason": reason.strip()[:500]})
        return confirmed


TICKET_EMAIL_KINDS = {"confirmation": "Registration confirmation", "ticket": "Ticket"}


def registration_send_ticket(*, actor: Actor, registration: Registration, kind: str = "ticket") -> None:
    """Email the attendee their confirmation or their ticket (its code) again, after the transaction commits.

    Records ``registration.email_sent`` (what, to whom): the registration page lists
    these as the emails sent. Raises VALIDATION_ERROR for an unknown kind and
    REGISTRATION_INVALID_TRANSITION for a registration that has no ticket to send
    (cancelled or waitlisted).
    """
    if kind not in TICKET_EMAIL_KINDS:
        raise invalid("kind", f"One of: {', '.join(TICKET_EMAIL_KINDS)}.", "INVALID_CHOICE")
    with transaction.atomic():
        registration = Registration.objects.select_related("event", "ticket_type").get(pk=registration.pk)
        if registration.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING_PAYMENT):
            raise _transition_error(
                registration.status, "sent", (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING_PAYMENT)
            )
        _record(actor, "registration.email_sent", registration, {"kind": kind, "to": registration.attendee_email})
        message = _ticket_email(registration, kind)
        transaction.on_commit(lambda: send_mail(**message))


def _ticket_email(registration: Registration, kind: str) -> dict[str, Any]:
    event = registration.event
    zone = ZoneInfo(event.time_zone)
    starts = event.starts_at.astimezone(zone)
    lines = [
        f"Hello {registration.attendee_name},",
        "",
        f"{TICKET_EMAIL_KINDS[kind]} for {event.title}: {registration.ticket_type.name}.",
        f"Starts {starts:%A %d %B %Y, %H:%M} ({event.time_zone}).",
        f"Status: {registration.get_status_display()}.",
    ]
    if registration.status == RegistrationStatus.CONFIRMED:
        lines += ["", f"Your ticket code (show it at the entrance): {registration.ticket_code}"]
    return {
        "subject": f"{TICKET_EMAIL_KINDS[kind]}: {event.title}",
        "message": "\n".join(lines),
        "from_email": None,
        "recipient_list": [registration.attendee_email],
    }
