"""The check-in desk: for check-in staff (and owners and admins) on a phone or a laptop at the door.

A ticket code is typed or read from the camera (jsQR on getUserMedia frames,
``static/console/desk.js``); the scan goes through ``registrations.checkins.checkin_scan``,
the API's service, and the answer is one large unmistakable result: valid,
already checked in at HH:MM, wrong event, cancelled, outside the window.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Perm
from console.pages import page
from console.tenancy import Scope, console_page
from console.views.events import event_or_404
from core.errors import DomainError
from events import selectors as event_selectors
from events.models import Event, EventStatus
from registrations import checkins as checkin_services
from registrations import selectors as registration_selectors
from registrations.models import CheckIn, CheckInResult, RegistrationStatus

# result -> (tone, headline); the tone colours the panel: valid (green), warn (amber), invalid (red).
RESULTS: dict[str, tuple[str, str]] = {
    CheckInResult.OK: ("valid", "Valid: checked in"),
    CheckInResult.ALREADY_CHECKED_IN: ("warn", "Already checked in"),
    CheckInResult.WRONG_EVENT: ("invalid", "Wrong event"),
    CheckInResult.TICKET_CANCELLED: ("invalid", "Cancelled ticket"),
    CheckInResult.TICKET_NOT_PAID: ("invalid", "Not paid"),
    CheckInResult.TICKET_WAITLISTED: ("invalid", "Waitlisted, no seat"),
    CheckInResult.TICKET_NOT_FOUND: ("invalid", "Unknown code"),
    CheckInResult.CHECKIN_CLOSED: ("invalid", "Check-in closed"),
    CheckInResult.CHECKIN_NOT_OPEN: ("invalid", "Outside the check-in window"),
    CheckInResult.CHECKIN_WINDOW_CLOSED: ("invalid", "Outside the check-in window"),
}


@console_page(Perm.CHECKIN_PERFORM)
def desk(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Choose the event: those whose check-in window is open now first, then the other upcoming ones."""
    now = timezone.now()
    events = list(
        event_selectors.event_list(
            organization=scope.organization,
            filters=event_selectors.EventFilter(status=[EventStatus.PUBLISHED], ends_after=now - dt.timedelta(days=1)),
        )[:50]
    )
    open_now = [e for e in events if e.check_in_opens_at <= now <= e.check_in_closes_at]
    later = [e for e in events if e not in open_now]
    return page(request, scope, "console/desk_choose.html", {"open_now": open_now, "later": later}, section="desk")


def _counts(scope: Scope, event: Event) -> dict[str, int]:
    figures = registration_selectors.event_figures(organization=scope.organization, event_ids=[event.pk])[event.pk]
    confirmed = figures[RegistrationStatus.CONFIRMED]
    return {"checked_in": figures["checked_in"], "expected": confirmed, "remaining": max(confirmed - figures["checked_in"], 0)}


@console_page(Perm.CHECKIN_PERFORM)
def desk_event(request: HttpRequest, scope: Scope, event_id: uuid.UUID) -> HttpResponse:
    event = event_or_404(scope, event_id)
    context = {"event": event, "counts": _counts(scope, event)}
    return page(request, scope, "console/desk.html", context, section="desk")


def describe(checkin: CheckIn, event: Event, scope: Scope) -> dict[str, Any]:
    """The result as the desk shows it: tone, headline, a detail line, and the check-in to undo when accepted."""
    tone, headline = RESULTS.get(checkin.result, ("invalid", checkin.get_result_display()))
    zone = ZoneInfo(event.time_zone)
    registration = checkin.registration
    detail = ""
    if registration is not None and registration.event_id == event.pk:
        detail = f"{registration.attendee_name} · {registration.ticket_type.name}"
    if checkin.result == CheckInResult.ALREADY_CHECKED_IN:
        first = (checkin.details or {}).get("checkedInAt")
        if first:
            headline = f"Already checked in at {dt.datetime.fromisoformat(first).astimezone(zone):%H:%M}"
    elif checkin.result == CheckInResult.WRONG_EVENT and registration is not None:
        other = event_selectors.event_get(organization=scope.organization, event_id=registration.event_id)
        detail = f"The ticket is for {other.title if other else 'another event'}."
    elif checkin.result in (CheckInResult.CHECKIN_NOT_OPEN, CheckInResult.CHECKIN_WINDOW_CLOSED):
        detail = f"Check-in is open {event.check_in_opens_at.astimezone(zone):%d %b %H:%M} – {event.check_in_closes_at.astimezone(zone):%d %b %H:%M} ({event.time_zone})."
    return {
        "result": checkin.result,
        "tone": tone,
        "headline": headline,
        "detail": detail,
        "checkinId": str(checkin.pk) if checkin.accepted else None,
        "at": f"{checkin.created_at.astimezone(zone):%H:%M}",
    }


@require_POST
@console_page(Perm.CHECKIN_PERFORM)
def desk_scan(request: HttpRequest, scope: Scope, event_id: uuid.UUID) -> JsonResponse:
    event = event_or_404(scope, event_id)
    code = (request.POST.get("code") or "").strip()
    if not code:
        return JsonResponse(
            {"tone": "invalid", "headline": "Type or scan a ticket code", "detail": "", "checkinId": None}, status=400
        )
    scanned = checkin_services.checkin_scan(
        actor=scope.user,
        organization=scope.organization,
        event=event,
        code=code,
        device=f"console desk ({request.POST.get('via') or 'typed'})"[:200],
        nonce=(request.POST.get("nonce") or None),
    )
    return JsonResponse({**describe(scanned.checkin, event, scope), "counts": _counts(scope, event)})


@require_POST
@console_page(Perm.CHECKIN_PERFORM)
def desk_undo(request: HttpRequest, scope: Scope, event_id: uuid.UUID, checkin_id: uuid.UUID) -> JsonResponse:
    event = event_or_404(scope, event_id)
    checkin = registration_selectors.checkin_get(organization=scope.organization, checkin_id=checkin_id)
    if checkin is None or checkin.event_id != event.pk:
        raise Http404("No such check-in")
    try:
        checkin_services.checkin_undo(actor=scope.user, checkin=checkin)
    except DomainError as exc:
        return JsonResponse({"tone": "invalid", "headline": "Cannot undo", "detail": exc.message, "checkinId": None}, status=409)
    name = checkin.registration.attendee_name if checkin.registration else ""
    return JsonResponse(
        {"tone": "idle", "headline": "Check-in undone", "detail": name, "checkinId": None, "counts": _counts(scope, event)}
    )


@require_GET
@console_page(Perm.CHECKIN_PERFORM)
def desk_counts(request: HttpRequest, scope: Scope, event_id: uuid.UUID) -> JsonResponse:
    return JsonResponse(_counts(scope, event_or_404(scope, event_id)))
