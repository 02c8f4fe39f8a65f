"""Services of check-in (event entry and session attendance), its undo, bulk check-in, and session feedback.

Every scan is logged as a ``CheckIn`` row, accepted or not. A registration is
checked in at most once per event entry (``session`` null) and once per session
at a time: the registration row is locked (``select_for_update``) before the
active check-ins are read, and two partial unique constraints back that up.

A refused scan is *not* raised from here: the service commits its log row and
returns the error in the ``ScanResult``, and the view raises it afterwards, so
the log survives the error response.

Session check-in does not require the attendee to have entered the event first
(doors and session rooms are scanned independently).

Every path (one scan, bulk, event entry and sessions) takes check-ins only
inside the event's check-in window (``Event.check_in_opens_at`` to
``check_in_closes_at``: by default 24 hours before the start to the end);
outside it the scan is refused (CHECKIN_NOT_OPEN, CHECKIN_WINDOW_CLOSED) and logged.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Organization, User
from api.representation import iso
from core import audit, locks
from core import changes as change_log
from core import rows as core_rows
from core.audit import Actor
from core.correlation import get_correlation_id
from core.errors import DomainError, ErrorCode
from core.models import Change, OutboxEvent
from events.models import Event, EventStatus, Session, SessionStatus
from registrations import errors, tickets
from registrations.models import (
    SCANNED_CODE_MAX,
    CheckIn,
    CheckInResult,
    Registration,
    RegistrationStatus,
    SessionFeedback,
    TicketType,
)
from registrations.payloads import checkin_data, publish_checkin

CHECKIN_EVENT_TYPE = "checkin.completed"
# What a scan reads of a registration (and renders): bulk check-in loads 1,000 at a time.
_SCAN_FIELDS = (
    "id",
    "organization",
    "event",
    "status",
    "ticket_code",
    "attendee_name",
    "attendee_email",
    "ticket_type",
)

_STATUS_RESULTS = {
    RegistrationStatus.CANCELLED: CheckInResult.TICKET_CANCELLED,
    RegistrationStatus.PENDING_PAYMENT: CheckInResult.TICKET_NOT_PAID,
    RegistrationStatus.WAITLISTED: CheckInResult.TICKET_WAITLISTED,
}
_RESULT_ERRORS: dict[str, ErrorCode] = {
    CheckInResult.ALREADY_CHECKED_IN: errors.ALREADY_CHECKED_IN,
    CheckInResult.TICKET_CANCELLED: errors.TICKET_CANCELLED,
    CheckInResult.TICKET_NOT_PAID: errors.TICKET_NOT_PAID,
    CheckInResult.TICKET_WAITLISTED: errors.TICKET_WAITLISTED,
    CheckInResult.TICKET_NOT_FOUND: errors.TICKET_NOT_FOUND,
    CheckInResult.WRONG_EVENT: errors.WRONG_EVENT,
    CheckInResult.CHECKIN_CLOSED: errors.CHECKIN_CLOSED,
    CheckInResult.CHECKIN_NOT_OPEN: errors.CHECKIN_NOT_OPEN,
    CheckInResult.CHECKIN_WINDOW_CLOSED: errors.CHECKIN_WINDOW_CLOSED,
    CheckInResult.TICKET_SIGNATURE_INVALID: errors.TICKET_SIGNATURE_INVALID,
}


@dataclass(frozen=True)
class ScanResult:
    """The logged scan; ``error`` is what the API answers when it was refused; ``replayed`` for a retried nonce."""

    checkin: CheckIn
    error: DomainError | None = None
    replayed: bool = False


@dataclass(frozen=True)
class BulkCheckIn:
    rows: list[CheckIn]
    rendered: list[dict[str, Any]]


def error_of(checkin: CheckIn) -> DomainError | None:
    """The error a refused scan answers with (None when accepted)."""
    if checkin.accepted:
        return None
    return DomainError(_RESULT_ERRORS[checkin.result], details=checkin.details or None, target="code")


def _first_details(first: CheckIn) -> dict[str, Any]:
    return {
        "checkInId": str(first.id),
        "checkedInAt": iso(first.created_at),
        "device": first.device,
        "scannedBy": first.scanned_by,
        "sessionId": None if first.session_id is None else str(first.session_id),
    }


def _verdict(
    registration: Any, event: Any, session: Session | None, first_active: Callable[[Any], Any], now: dt.datetime
) -> tuple[str, dict[str, Any]]:
    """The scan's result: the gate (event, session, the check-in window), the ticket's own state, then whether it is already in."""
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        return CheckInResult.CHECKIN_CLOSED, {"eventStatus": event.status}
    if session is not None and session.status == SessionStatus.CANCELLED:
        return CheckInResult.CHECKIN_CLOSED, {"sessionStatus": session.status}
    opens, closes = event.check_in_opens_at, event.check_in_closes_at
    if not opens <= now <= closes:
        refused = CheckInResult.CHECKIN_NOT_OPEN if now < opens else CheckInResult.CHECKIN_WINDOW_CLOSED
        return refused, {"opensAt": iso(opens), "closesAt": iso(closes)}
    result, details = _judge(registration, event)
    if result == CheckInResult.OK:
        assert registration is not None
        first = first_active(registration.pk)
        if first is not None:
            return CheckInResult.ALREADY_CHECKED_IN, _first_details(first)
    return result, details


def _judge(registration: Registration | None, event: Event) -> tuple[str, dict[str, Any]]:
    """The result of scanning ``registration``'s code at ``event``, before the already-checked-in test."""
    if registration is None:
        return CheckInResult.TICKET_NOT_FOUND, {}
    if registration.event_id != event.pk:
        return CheckInResult.WRONG_EVENT, {"eventId": str(registration.event_id)}
    refused = _STATUS_RESULTS.get(RegistrationStatus(registration.status))
    if refused is not None:
        return refused, {"status": registration.status}
    return CheckInResult.OK, {}


def _unwrap(
    organization: Organization, code: str, now: dt.datetime, keys: dict[str, Any] | None = None
) -> tuple[str, dict[str, Any] | None]:
    """A scanned code as a plain ticket code: a signed QR payload (registrations.tickets) is verified and
    gives the code it carries; one that does not verify gives its reason (and the scan is refused)."""
    if not tickets.is_signed(code):
        return code, None
    try:
        return tickets.verify(organization=organization, token=code, now=now, keys=keys).code, None
    except tickets.InvalidTicket as exc:
        return code, {"reason": exc.reason}


def _new_row(
    *,
    actor: Actor,
    event: Event,
    session: Session | None,
    registration: Registration | None,
    code: str,
    result: str,
    details: dict[str, Any],
    device: str,
    nonce: str | None,
) -> CheckIn:
    # Ids rather than objects where the row is not rendered through them (cheaper, 1,000 rows at a time).
    return CheckIn(
        organization_id=event.organization_id,
        event_id=event.pk,
        session_id=None if session is None else session.pk,
        registration=registration,
        code=code[:SCANNED_CODE_MAX],
        accepted=result == CheckInResult.OK,
        result=result,
        details=details,
        scanned_by=str(actor.audit_label)[:255],
        scanned_by_user_id=actor.pk if isinstance(actor, User) else None,
        device=device[:200],
        nonce=nonce,
    )


def _active(registration_ids: Sequence[Any], session: Session | None) -> Any:
    qs = CheckIn.objects.filter(registration_id__in=registration_ids, accepted=True, undone_at__isnull=True)
    return qs.filter(session__isnull=True) if session is None else qs.filter(session_id=session.pk)


def checkin_scan(
    *,
    actor: Actor,
    organization: Organization,
    event: Event,
    code: str,
    session: Session | None = None,
    device: str = "",
    nonce: str | None = None,
    now: dt.datetime | None = None,
) -> ScanResult:
    """Check the ticket ``code`` in to ``event`` (or to ``session`` of it), once, at ``now`` (default: the time).

    Locks the registration row, then reads its active check-in. Logs the scan as
    a ``CheckIn`` row whatever the result, and commits it; a refused scan comes
    back with ``error`` set (CHECKIN_CLOSED, CHECKIN_NOT_OPEN and
    CHECKIN_WINDOW_CLOSED outside the event's check-in window, TICKET_NOT_FOUND,
    WRONG_EVENT, TICKET_CANCELLED, TICKET_NOT_PAID, TICKET_WAITLISTED,
    ALREADY_CHECKED_IN with the first check-in in ``details``) for the caller to raise. A ``nonce`` the same
    scanner sent before for the same code, event and session replays the
    original result without logging again.

    Publishes ``checkin.completed`` and records an audit entry for accepted scans.

    Statements (ADR 0024): the lock's bound, the registration locked, one read of both the
    nonce's earlier scan and the active check-in, and one write of the scan (with its
    audit entry and outbox row when accepted, in one statement on PostgreSQL).
    """
    now = now or timezone.now()
    code, refusal = _unwrap(organization, code.strip(), now)
    if refusal is not None:
        with transaction.atomic():
            row = _new_row(
                actor=actor,
                event=event,
                session=session,
                registration=None,
                code=code,
                result=CheckInResult.TICKET_SIGNATURE_INVALID,
                details=refusal,
                device=device,
                nonce=None,
            )
            row.save()
            return ScanResult(checkin=row, error=error_of(row))
    scan = functools.partial(
        _scan,
        actor=actor,
        organization=organization,
        event=event,
        code=code,
        session=session,
        device=device,
        nonce=nonce,
        now=now,
    )
    try:
        return scan()
    except IntegrityError:
        # Only reachable if the lock was bypassed (a check-in written outside this service): the partial
        # unique constraint refused the second active check-in and the transaction rolled back. Scanned
        # again, the lock is taken after that check-in committed, so the scan finds it (ALREADY_CHECKED_IN).
        return scan()


def _scan(
    *,
    actor: Actor,
    organization: Organization,
    event: Event,
    code: str,
    session: Session | None,
    device: str,
    nonce: str | None,
    now: dt.datetime,
) -> ScanResult:
    with transaction.atomic():
        with locks.bounded():
            registration = _lock_registration(organization, code)
        # Under the registration lock, so a retry racing its original waits and then replays it, and a
        # scan racing another of the same ticket sees its check-in once that has committed.
        original, first = _recorded(
            organization=organization,
            event=event,
            session=session,
            code=code,
            scanned_by=str(actor.audit_label)[:255],
            nonce=nonce,
            registration=registration,
        )
        if original is not None:
            if registration is not None and original.registration_id == registration.pk:
                original.registration = registration  # rendered with the ticket type locked above
            return ScanResult(checkin=original, error=error_of(original), replayed=True)
        result, details = _verdict(registration, event, session, lambda pk: first, now)
        row = _new_row(
            actor=actor,
            event=event,
            session=session,
            registration=registration,
            code=code,
            result=result,
            details=details,
            device=device,
            nonce=nonce,
        )
        # Set here, not by the INSERT: an accepted scan is rendered (outbox) before it is written.
        row.created_at = row.updated_at = timezone.now()
        if not row.accepted:
            core_rows.insert_together([[row], change_log.rows_for([row])])
            return ScanResult(checkin=row, error=error_of(row))
        entry = audit.entry(
            actor=actor,
            action="checkin.completed",
            target=row,
            organization_id=event.organization_id,
            changes={
                "registration": str(row.registration_id),
                "session": None if session is None else str(session.pk),
                "device": row.device,
            },
        )
        publish_checkin(row, together_with=[[row], [entry], change_log.rows_for([row])])
        return ScanResult(checkin=row)


def _lock_registration(organization: Organization, code: str) -> Registration | None:
    """The registration with ticket ``code``, with its ticket type, locked (``FOR UPDATE OF`` the registration).

    Written once (``core.rows``): what ``select_for_update(of=("self",)).select_related("ticket_type")
    .filter(organization=..., ticket_code=...).first()`` runs, without building it on every scan.
    """
    connection = connections[router.db_for_write(Registration)]
    quote = connection.ops.quote_name
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT {core_rows.columns(Registration, 'r')}, {core_rows.columns(TicketType, 't')} "
        f"FROM {quote(Registration._meta.db_table)} r "
        f"INNER JOIN {quote(TicketType._meta.db_table)} t ON t.{quote('id')} = r.{quote('ticket_type_id')} "
        f"WHERE r.{quote('organization_id')} = %s AND r.{quote('ticket_code')} = %s ORDER BY r.{quote('id')} ASC LIMIT 1{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_key(organization.pk, connection), code])
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(Registration._meta.concrete_fields)
    registration = core_rows.load(Registration, row[:width], using=connection.alias)
    registration.ticket_type = core_rows.load(TicketType, row[width:], using=connection.alias)
    return registration


def _recorded(
    *,
    organization: Organization,
    event: Event,
    session: Session | None,
    code: str,
    scanned_by: str,
    nonce: str | None,
    registration: Registration | None,
) -> tuple[CheckIn | None, CheckIn | None]:
    """The earlier scan with ``nonce`` (same code, event, session and scanner), and the registration's
    active check-in: one statement where the database takes a LIMIT in each part of a UNION (written
    once, ``core.rows``), two elsewhere."""
    connection = connections[router.db_for_read(CheckIn)]
    quote = connection.ops.quote_name
    table, columns = quote(CheckIn._meta.db_table), core_rows.columns(CheckIn, "c")
    in_session = f"c.{quote('session_id')} IS NULL" if session is None else f"c.{quote('session_id')} = %s"
    session_param = [] if session is None else [_key(session.pk, connection)]
    parts: list[tuple[str, list[Any]]] = []
    if nonce:
        parts.append(
            (
                f"SELECT 0, {columns} FROM {table} c WHERE c.{quote('organization_id')} = %s AND c.{quote('nonce')} = %s "
                f"AND c.{quote('code')} = %s AND c.{quote('event_id')} = %s AND {in_session} "
                f"AND c.{quote('scanned_by')} = %s ORDER BY c.{quote('created_at')} ASC LIMIT 1",
                [
                    _key(organization.pk, connection),
                    nonce,
                    code[:SCANNED_CODE_MAX],
                    _key(event.pk, connection),
                    *session_param,
                    scanned_by,
                ],
            )
        )
    if registration is not None:
        parts.append(
            (
                f"SELECT 1, {columns} FROM {table} c WHERE c.{quote('registration_id')} = %s AND c.{quote('accepted')} = %s "
                f"AND c.{quote('undone_at')} IS NULL AND {in_session} ORDER BY c.{quote('created_at')} ASC LIMIT 1",
                [_key(registration.pk, connection), True, *session_param],
            )
        )
    if len(parts) == 2 and connection.features.supports_slicing_ordering_in_compound:
        parts = [(f"({parts[0][0]}) UNION ALL ({parts[1][0]})", parts[0][1] + parts[1][1])]
    found: dict[int, CheckIn] = {}
    with connection.cursor() as cursor:
        for sql, params in parts:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                found[row[0]] = core_rows.load(CheckIn, row[1:], using=connection.alias)
    return found.get(0), found.get(1)


def _key(value: Any, connection: Any) -> Any:
    """A primary or foreign key (a UUID) as the database takes it: itself on PostgreSQL, its hex text on SQLite."""
    return _UUID_FIELD.get_db_prep_value(value, connection)


_UUID_FIELD = models.UUIDField()


def checkins_bulk(
    *,
    actor: Actor,
    organization: Organization,
    event: Event,
    codes: Sequence[str],
    session: Session | None = None,
    device: str = "",
    now: dt.datetime | None = None,
) -> BulkCheckIn:
    """Check in many codes at once, at ``now`` (default: the time); returns one logged ``CheckIn`` per
    code, in input order (with each one as the API renders it, camelCase, so the answer need not
    render them again). Refusals are those of ``checkin_scan``, the check-in window's among them.

    Set-based: one query loads and locks the registrations of all the codes
    (ordered by id, so parallel bulk requests cannot deadlock), one reads their
    active check-ins, one ``bulk_create`` logs every scan and one writes the
    ``checkin.completed`` outbox rows (built as ``core.outbox.publish`` builds
    them). Within one request the first occurrence of a code wins; repeats are
    ALREADY_CHECKED_IN. Records one audit entry for the batch, on the event.
    """
    now = now or timezone.now()
    keys: dict[str, Any] = {}
    unwrapped = [_unwrap(organization, c.strip(), now, keys) for c in codes]
    cleaned = [code for code, _ in unwrapped]
    with transaction.atomic(), locks.bounded():
        registrations = {
            r.ticket_code: r
            for r in Registration.objects.select_for_update(of=("self",))
            .only(*_SCAN_FIELDS)
            # The name alone, not a TicketType object per row (CheckInSerializer reads either).
            .annotate(ticket_type_name=F("ticket_type__name"))
            .filter(organization=organization, ticket_code__in=set(cleaned))
            .order_by("id")
        }
        # The active check-in of each registration; its details are built only if a scan repeats it.
        first_by_registration: dict[Any, CheckIn] = {
            c.registration_id: c for c in _active([r.pk for r in registrations.values()], session).order_by("created_at")
        }
        rows: list[CheckIn] = []
        for code, refusal in unwrapped:
            registration = None if refusal is not None else registrations.get(code)
            result: str
            if refusal is not None:
                result, details = CheckInResult.TICKET_SIGNATURE_INVALID.value, refusal
            else:
                result, details = _verdict(registration, event, session, first_by_registration.get, now)
            row = _new_row(
                actor=actor,
                event=event,
                session=session,
                registration=registration,
                code=code,
                result=result,
                details=details,
                device=device,
                nonce=None,
            )
            row.created_at = row.updated_at = now  # one timestamp for the batch
            if row.accepted:
                assert registration is not None
                first_by_registration[registration.pk] = row
            rows.append(row)
        _bulk_insert(CheckIn, rows, now)
        Change.objects.bulk_create(change_log.rows_for(rows, now=now))
        rendered = [checkin_data(row) for row in rows]
        accepted = [r for r in rows if r.accepted]
        correlation_id = get_correlation_id()
        _bulk_insert(
            OutboxEvent,
            [
                OutboxEvent(
                    organization_id=event.organization_id,
                    event_type=CHECKIN_EVENT_TYPE,
                    data=data,
                    correlation_id=correlation_id,
                )
                for row, data in zip(rows, rendered, strict=True)
                if row.accepted
            ],
            now,
        )
        audit.record(
            actor=actor,
            action="checkin.bulk",
            target=event,
            organization_id=event.organization_id,
            changes={
                "accepted": len(accepted),
                "rejected": len(rows) - len(accepted),
                "session": None if session is None else str(session.pk),
                "device": device[:200],
            },
        )
        return BulkCheckIn(rows=rows, rendered=rendered)


def _bulk_insert(model: type[models.Model], objs: Sequence[models.Model], now: dt.datetime) -> None:
    """Insert ``objs`` as they are, timestamped ``now``; with PostgreSQL's COPY when available.

    ``bulk_create`` spends most of a 1,000-row bulk check-in preparing parameters
    (per-field conversion, then psycopg quoting the UNNEST arrays in Python); COPY
    streams the rows through psycopg's C dumpers at a fraction of the cost. Rows are
    written exactly as ``bulk_create`` would write them: every concrete field,
    ``auto_now``/``auto_now_add`` fields set to ``now``, JSON fields as ``jsonb``.
    """
    fields = model._meta.concrete_fields
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs)
        return
    from psycopg.types.json import Jsonb

    quote = connection.ops.quote_name
    json_at = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
    attnames = [field.attname for field in fields]
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            row = [getattr(obj, name) for name in attnames]
            for i in json_at:
                row[i] = Jsonb(row[i])
            copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def checkin_undo(*, actor: Actor, checkin: CheckIn, now: dt.datetime | None = None) -> CheckIn:
    """Undo an accepted check-in: the attendee may be checked in again.

    Locks the check-in row. Publishes nothing (the catalog has no undo type);
    records an audit entry. Raises CHECKIN_NOT_UNDOABLE for a refused scan or
    one already undone.
    """
    now = now or timezone.now()
    with transaction.atomic():
        with locks.bounded():
            locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if not locked.accepted or locked.undone_at is not None:
            raise DomainError(
                errors.CHECKIN_NOT_UNDOABLE,
                details={"accepted": locked.accepted, "undoneAt": iso(locked.undone_at)},
            )
        locked.undone_at = now
        locked.undone_by = str(actor.audit_label)[:255]
        locked.save(update_fields=["undone_at", "undone_by", "updated_at"])
        audit.record(
            actor=actor,
            action="checkin.undone",
            target=locked,
            organization_id=locked.organization_id,
            changes={"undone_at": {"from": None, "to": now}},
        )
        return locked


def session_feedback_create(
    *, actor: Actor, organization: Organization, session: Session, code: str, rating: int, comment: str = ""
) -> SessionFeedback:
    """Record an attendee's rating of ``session``, given their ticket ``code``.

    Locks the registration. Raises TICKET_NOT_FOUND (no such code in the
    organization), NOT_ATTENDED (no active check-in to this session) and
    FEEDBACK_EXISTS (rated already). Records an audit entry; publishes nothing.
    """
    with transaction.atomic():
        with locks.bounded():
            registration = (
                Registration.objects.select_for_update().filter(organization=organization, ticket_code=code.strip()).first()
            )
        if registration is None:
            raise DomainError(errors.TICKET_NOT_FOUND, target="code")
        if not _active([registration.pk], session).exists():
            raise DomainError(errors.NOT_ATTENDED, target="code")
        if SessionFeedback.objects.filter(session_id=session.pk, registration_id=registration.pk).exists():
            raise DomainError(errors.FEEDBACK_EXISTS, target="code")
        feedback = SessionFeedback(
            organization_id=organization.pk, session=session, registration=registration, rating=rating, comment=comment.strip()
        )
        try:
            with transaction.atomic():
                feedback.save()
        except IntegrityError:
            raise DomainError(errors.FEEDBACK_EXISTS, target="code") from None
        audit.record(
            actor=actor,
            action="session_feedback.created",
            target=feedback,
            organization_id=organization.pk,
            changes={"session": str(session.pk), "registration": str(registration.pk), "rating": rating},
        )
        return feedback
