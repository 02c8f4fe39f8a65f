"""Tenant-scoped reads of ticket types, registrations and attendee lists, and seat counts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Avg, Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Organization
from core.documents import Branding
from events.models import Event, Session
from registrations.models import (
    CheckIn,
    DocumentBranding,
    EventRegistrationSettings,
    ImportJob,
    Registration,
    RegistrationStatus,
    SeatCount,
    SessionFeedback,
    TicketType,
    default_pending_ttl,
)


def active_q(now: dt.datetime, prefix: str = "") -> Q:
    """Registrations that hold a seat: confirmed, or pending payment and not yet expired."""
    return Q(**{f"{prefix}status": RegistrationStatus.CONFIRMED}) | Q(
        **{f"{prefix}status": RegistrationStatus.PENDING_PAYMENT, f"{prefix}expires_at__gt": now}
    )


def seats_taken(*, event: Event, ticket_type: TicketType | None = None, now: dt.datetime | None = None) -> int:
    qs = Registration.objects.filter(event_id=event.pk).filter(active_q(now or timezone.now()))
    if ticket_type is not None:
        qs = qs.filter(ticket_type_id=ticket_type.pk)
    return qs.count()


# SQL by hand: this runs on every order, and the ORM takes 4 ms to compile it with
# its subqueries, against under 1 ms for the whole raw query.
_SEATS, _SETTINGS = SeatCount._meta.db_table, EventRegistrationSettings._meta.db_table
_ORDER_TICKET_TYPE_SQL = f"""
SELECT t.*,
       (SELECT s.held FROM {_SEATS} s WHERE s.ticket_type_id = t.id) AS type_held,
       (SELECT SUM(s.held) FROM {_SEATS} s WHERE s.event_id = t.event_id) AS event_held,
       (SELECT SUM(s.waitlisted) FROM {_SEATS} s WHERE s.event_id = t.event_id) AS event_waitlisted,
       (SELECT r.waitlist_enabled FROM {_SETTINGS} r WHERE r.event_id = t.event_id) AS waitlist_enabled,
       (SELECT r.pending_payment_ttl_minutes FROM {_SETTINGS} r WHERE r.event_id = t.event_id) AS payment_ttl_minutes
  FROM {TicketType._meta.db_table} t
 WHERE t.id = %s AND t.event_id = %s
"""


def ticket_type_for_order(*, event: Event, ticket_type_id: Any) -> TicketType | None:
    """The event's ticket type with what an order checks, in one query (read it after locking the event).

    Annotated: ``type_held`` and ``event_held`` (seats held by the ticket type and by
    the whole event, from ``SeatCount``: upper bounds, see there), ``event_waitlisted``,
    ``waitlist_enabled`` and ``payment_ttl_minutes`` (the event's settings or their defaults).
    """
    connection = connections[TicketType.objects.db]
    pk = TicketType._meta.pk
    assert pk is not None
    params = [pk.get_db_prep_value(ticket_type_id, connection), pk.get_db_prep_value(event.pk, connection)]
    found = list(TicketType.objects.raw(_ORDER_TICKET_TYPE_SQL, params))
    if not found:
        return None
    ticket_type = found[0]
    ticket_type.event = event
    for name in ("type_held", "event_held", "event_waitlisted"):
        setattr(ticket_type, name, int(getattr(ticket_type, name) or 0))
    ticket_type.waitlist_enabled = bool(ticket_type.waitlist_enabled)  # type: ignore[attr-defined]
    if ticket_type.payment_ttl_minutes is None:  # type: ignore[attr-defined]
        ticket_type.payment_ttl_minutes = default_pending_ttl()  # type: ignore[attr-defined]
    return ticket_type


def settings_for(*, event: Event) -> EventRegistrationSettings:
    """The event's registration settings; an unsaved row with the defaults when none were stored."""
    found = EventRegistrationSettings.objects.filter(event_id=event.pk).first()
    return found or EventRegistrationSettings(organization_id=event.organization_id, event=event)


# -- ticket types ---------------------------------------------------------------------------
def _seats_subquery(now: dt.datetime) -> Any:
    taken = (
        Registration.objects.filter(ticket_type_id=OuterRef("pk"))
        .filter(active_q(now))
        .order_by()
        .values("ticket_type_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


@dataclass(frozen=True, kw_only=True)
class TicketTypeFilter:
    """What ``ticket_type_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    q: str | None = None
    visibility: list[str] | None = None


def ticket_type_list(*, event: Event, filters: TicketTypeFilter = TicketTypeFilter()) -> QuerySet[TicketType]:
    """The event's ticket types, each annotated with ``seats_taken`` (one query for the whole page)."""
    qs = TicketType.objects.filter(event_id=event.pk, organization_id=event.organization_id).annotate(
        seats_taken=_seats_subquery(timezone.now())
    )
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.visibility:
        qs = qs.filter(visibility__in=filters.visibility)
    return qs.order_by("sort_order", "name", "id")


def ticket_type_get(*, event: Event, ticket_type_id: uuid.UUID | str) -> TicketType | None:
    return ticket_type_list(event=event).filter(pk=ticket_type_id).first()


def ticket_types_by_ids(*, organization: Organization, ids: list[uuid.UUID]) -> dict[uuid.UUID, TicketType]:
    return {t.pk: t for t in TicketType.objects.filter(organization=organization, pk__in=ids)}


# -- registrations --------------------------------------------------------------------------
def _waitlist_position() -> Any:
    ahead = (
        Registration.objects.filter(event_id=OuterRef("event_id"), status=RegistrationStatus.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__lt=OuterRef("id")))
        .order_by()
        .values("event_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Case(
        When(
            status=RegistrationStatus.WAITLISTED,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1),
        ),
        default=None,
        output_field=IntegerField(),
    )


def _registration_base(organization: Organization) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(organization=organization)
        .select_related("ticket_type")
        .annotate(waitlist_position=_waitlist_position())
    )


@dataclass(frozen=True, kw_only=True)
class RegistrationFilter:
    """What ``registration_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    event: uuid.UUID | None = None
    status: list[str] | None = None
    ticket_type: uuid.UUID | None = None
    email: str | None = None
    order_id: uuid.UUID | None = None
    q: str | None = None
    checked_in: bool | None = None


def registration_list(
    *, organization: Organization, order: list[str] | None = None, filters: RegistrationFilter = RegistrationFilter()
) -> QuerySet[Registration]:
    qs = _registration_base(organization)
    if filters.checked_in is not None:
        entered = Exists(active_checkins().filter(registration_id=OuterRef("pk"), session__isnull=True))
        qs = qs.filter(entered) if filters.checked_in else qs.exclude(entered)
    if filters.event:
        qs = qs.filter(event_id=filters.event)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.ticket_type:
        qs = qs.filter(ticket_type_id=filters.ticket_type)
    if filters.email:
        qs = qs.filter(attendee_email__iexact=filters.email)
    if filters.order_id:
        qs = qs.filter(order_id=filters.order_id)
    if filters.q:
        qs = qs.filter(Q(attendee_name__icontains=filters.q) | Q(attendee_email__icontains=filters.q) | Q(ticket_code=filters.q))
    return qs.order_by(*(order or ["created_at", "id"]))


def registration_get(*, organization: Organization, registration_id: uuid.UUID | str) -> Registration | None:
    return _registration_base(organization).filter(pk=registration_id).first()


def registrations_by_ids(*, organization: Organization, ids: list[uuid.UUID]) -> list[Registration]:
    return list(_registration_base(organization).filter(pk__in=ids).order_by("created_at", "id"))


def registration_for_ticket(*, organization: Organization, registration_id: uuid.UUID | str) -> Registration | None:
    """A registration with what its ticket shows: event and venue."""
    return (
        Registration.objects.filter(organization=organization, pk=registration_id)
        .select_related("ticket_type", "event", "event__venue", "event__organization")
        .first()
    )


def registration_by_code(*, organization: Organization, code: str) -> Registration | None:
    return Registration.objects.filter(organization=organization, ticket_code=code).select_related("ticket_type", "event").first()


@dataclass(frozen=True, kw_only=True)
class AttendeeFilter:
    """What ``attendee_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    ticket_type: uuid.UUID | None = None
    q: str | None = None


def attendee_list(
    *, event: Event, order: list[str] | None = None, filters: AttendeeFilter = AttendeeFilter()
) -> QuerySet[Registration]:
    """Confirmed registrations of the event: who is coming."""
    qs = Registration.objects.filter(
        event_id=event.pk, organization_id=event.organization_id, status=RegistrationStatus.CONFIRMED
    ).select_related("ticket_type")
    if filters.ticket_type:
        qs = qs.filter(ticket_type_id=filters.ticket_type)
    if filters.q:
        qs = qs.filter(Q(attendee_name__icontains=filters.q) | Q(attendee_email__icontains=filters.q))
    return qs.order_by(*(order or ["attendee_name", "id"]))


def status_counts(*, event: Event) -> dict[str, int]:
    rows = Registration.objects.filter(event_id=event.pk).order_by().values("status").annotate(n=Count("id"))
    counts = {status.value: 0 for status in RegistrationStatus}
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


# -- check-ins ------------------------------------------------------------------------------
def active_checkins() -> QuerySet[CheckIn]:
    """Accepted scans that have not been undone: who is in."""
    return CheckIn.objects.filter(accepted=True, undone_at__isnull=True)


@dataclass(frozen=True, kw_only=True)
class CheckInFilter:
    """What ``checkin_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    event: uuid.UUID | None = None
    session: uuid.UUID | None = None
    accepted: bool | None = None
    registration: uuid.UUID | None = None


def checkin_list(*, organization: Organization, filters: CheckInFilter = CheckInFilter()) -> QuerySet[CheckIn]:
    qs = CheckIn.objects.filter(organization=organization).select_related("registration", "registration__ticket_type")
    if filters.event:
        qs = qs.filter(event_id=filters.event)
    if filters.session:
        qs = qs.filter(session_id=filters.session)
    if filters.accepted is not None:
        qs = qs.filter(accepted=filters.accepted)
    if filters.registration:
        qs = qs.filter(registration_id=filters.registration)
    return qs.order_by("-created_at", "-id")


def checkin_get(*, organization: Organization, checkin_id: uuid.UUID | str) -> CheckIn | None:
    return checkin_list(organization=organization).filter(pk=checkin_id).first()


def checkin_stats(*, event: Event) -> dict[str, Any]:
    """Confirmed registrations with an active event-entry check-in, and their share of all confirmed."""
    confirmed = Registration.objects.filter(event_id=event.pk, status=RegistrationStatus.CONFIRMED)
    counts = confirmed.aggregate(
        total=Count("id"),
        checked_in=Count("id", filter=Q(Exists(active_checkins().filter(registration_id=OuterRef("pk"), session__isnull=True)))),
    )
    total, checked_in = counts["total"] or 0, counts["checked_in"] or 0
    return {"checked_in": checked_in, "check_in_rate": round(checked_in / total, 4) if total else 0}


# -- session feedback -----------------------------------------------------------------------
FEEDBACK_COMMENTS = 50


def session_feedback_summary(*, session: Session) -> dict[str, Any]:
    """Count, average and distribution of ratings, and the latest 50 comments."""
    qs = SessionFeedback.objects.filter(session_id=session.pk, organization_id=session.organization_id)
    agg = qs.aggregate(count=Count("id"), average=Avg("rating"))
    distribution = {str(r): 0 for r in range(1, 6)}
    for row in qs.order_by().values("rating").annotate(n=Count("id")):
        distribution[str(row["rating"])] = row["n"]
    latest = qs.exclude(comment="").order_by("-created_at", "-id")[:FEEDBACK_COMMENTS]
    return {
        "session_id": str(session.pk),
        "count": agg["count"],
        "average": None if agg["average"] is None else round(float(agg["average"]), 2),
        "distribution": distribution,
        "comments": [{"id": str(f.pk), "rating": f.rating, "comment": f.comment, "created_at": f.created_at} for f in latest],
    }


# -- figures for the organizer console -----------------------------------------------------------
def event_figures(*, organization: Organization, event_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """Per event of the organization: registrations per status, and confirmed ones checked in at the entrance.

    One grouped query over the (event, status) index and one over the check-ins of the events.
    """
    figures: dict[uuid.UUID, dict[str, int]] = {
        pk: {**{status.value: 0 for status in RegistrationStatus}, "checked_in": 0} for pk in event_ids
    }
    rows = (
        Registration.objects.filter(organization=organization, event_id__in=event_ids)
        .order_by()
        .values("event_id", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        figures[row["event_id"]][row["status"]] = row["n"]
    entered = (
        active_checkins()
        .filter(organization=organization, event_id__in=event_ids, session__isnull=True)
        .order_by()
        .values("event_id")
        .annotate(n=Count("id"))
    )
    for event_id, n in entered.values_list("event_id", "n"):
        figures[event_id]["checked_in"] = n
    return figures


def ticket_type_figures(*, event: Event) -> list[dict[str, Any]]:
    """The event's ticket types with seats held (confirmed and pending) and waitlisted, from the seat counters."""
    types = list(
        TicketType.objects.filter(event_id=event.pk, organization_id=event.organization_id)
        .select_related("seat_count")
        .order_by("sort_order", "name", "id")
    )
    out = []
    for ticket_type in types:
        count = getattr(ticket_type, "seat_count", None)
        out.append(
            {
                "ticket_type": ticket_type,
                "held": count.held if count else 0,
                "waitlisted": count.waitlisted if count else 0,
            }
        )
    return out


def event_ids_without_ticket_types(*, organization: Organization, event_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    with_types = set(
        TicketType.objects.filter(organization=organization, event_id__in=event_ids).values_list("event_id", flat=True)
    )
    return set(event_ids) - with_types


def pending_expiring(*, organization: Organization, now: dt.datetime, within: dt.timedelta) -> QuerySet[Registration]:
    """Pending-payment registrations whose payment window closes within ``within`` (the soonest first)."""
    return (
        Registration.objects.filter(
            organization=organization,
            status=RegistrationStatus.PENDING_PAYMENT,
            expires_at__gt=now,
            expires_at__lte=now + within,
        )
        .select_related("event")
        .order_by("expires_at", "id")
    )


def registrations_per_day(*, event: Event, since: dt.datetime) -> list[tuple[dt.date, int]]:
    """New registrations of the event per UTC day since ``since`` (days without any are left out)."""
    rows = (
        # Every status named, so the (event, status, created_at) index serves the range.
        Registration.objects.filter(
            event_id=event.pk, organization_id=event.organization_id, status__in=RegistrationStatus.values, created_at__gte=since
        )
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return [(row["day"], row["n"]) for row in rows]


def attendance(*, organization: Organization, event_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """Confirmed registrations per event, how many checked in and how many did not show (the rest)."""
    figures = event_figures(organization=organization, event_ids=event_ids)
    return {
        pk: {
            "confirmed": f[RegistrationStatus.CONFIRMED],
            "checked_in": f["checked_in"],
            "no_shows": max(f[RegistrationStatus.CONFIRMED] - f["checked_in"], 0),
        }
        for pk, f in figures.items()
    }


def feedback_by_session(*, organization: Organization, event: Event | None = None) -> list[dict[str, Any]]:
    """Count and average rating of each session with feedback, best first."""
    qs = SessionFeedback.objects.filter(organization=organization)
    if event is not None:
        qs = qs.filter(session__event_id=event.pk)
    rows = (
        qs.order_by()
        .values("session_id", "session__title", "session__event__title")
        .annotate(count=Count("id"), average=Avg("rating"))
        .order_by("-average", "session__title")
    )
    return [
        {
            "session_id": row["session_id"],
            "session": row["session__title"],
            "event": row["session__event__title"],
            "count": row["count"],
            "average": round(float(row["average"]), 2),
        }
        for row in rows
    ]


def entered_at(*, organization: Organization, registration_ids: list[uuid.UUID]) -> dict[uuid.UUID, dt.datetime]:
    """When each of the registrations was checked in at the entrance (its active check-in), one query."""
    rows = (
        active_checkins()
        .filter(organization=organization, registration_id__in=registration_ids, session__isnull=True)
        .values_list("registration_id", "created_at")
    )
    return {registration_id: created_at for registration_id, created_at in rows}


def ticket_type_choices(*, event: Event) -> QuerySet[TicketType]:
    """The event's ticket types for a form's choices: no seat figures (``ticket_type_list`` counts them)."""
    return TicketType.objects.filter(event_id=event.pk, organization_id=event.organization_id).order_by(
        "sort_order", "name", "id"
    )


def document_branding_row(*, organization: Organization) -> DocumentBranding:
    """The organization's branding settings (unsaved defaults when it has none)."""
    return DocumentBranding.objects.filter(organization=organization).first() or DocumentBranding(organization=organization)


def document_branding(*, organization: Organization) -> Branding:
    """How the organization's PDF documents look: its ``DocumentBranding``, else the platform's defaults."""
    row = DocumentBranding.objects.filter(organization=organization).first()
    if row is None:
        return Branding(name=organization.name)
    defaults = Branding(name=organization.name)
    return Branding(
        name=organization.name,
        primary=Branding.colour(row.primary_colour, defaults.primary),
        accent=Branding.colour(row.accent_colour, defaults.accent),
        footer=row.footer,
        logo=bytes(row.logo) if row.logo else None,
    )


def attended_at(*, registration: Registration) -> dt.datetime | None:
    """When the registration's attendee was checked in at the event's entrance (the active check-in), if ever."""
    found = (
        CheckIn.objects.filter(registration=registration, session__isnull=True, accepted=True, undone_at__isnull=True)
        .values_list("created_at", flat=True)
        .first()
    )
    return found


def order_tickets(*, organization: Organization, order_id: uuid.UUID) -> list[Registration]:
    """The confirmed registrations of an order, with what their tickets show, in the order they were made."""
    return list(
        Registration.objects.filter(organization=organization, order_id=order_id, status=RegistrationStatus.CONFIRMED)
        .select_related("ticket_type", "event", "event__venue", "event__organization")
        .order_by("created_at", "id")
    )


# -- imports ---------------------------------------------------------------------------------------------
def import_list(*, organization: Organization, event: Event | None = None) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.filter(organization=organization).defer("report")
    if event is not None:
        qs = qs.filter(event=event)
    return qs.order_by("-created_at", "-id")


def import_get(*, organization: Organization, job_id: uuid.UUID | str) -> ImportJob | None:
    return ImportJob.objects.filter(organization=organization, pk=job_id).select_related("event").first()
