"""Events in the console: the list, creating one with its ticket types, and the event page (figures, ticket types
and sessions edited in place, publish, cancel, duplicate, a walk-in registration), all in the event's time zone."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Perm
from console import forms
from console import services as console_services
from console.feedback import domain_error, form_errors
from console.pages import page
from console.tenancy import Scope, console_page
from core.errors import DomainError
from events import selectors as event_selectors
from events import services as event_services
from events.models import Event, EventStatus
from payments import selectors as payment_selectors
from registrations import selectors as registration_selectors
from registrations import services as registration_services
from registrations.models import RegistrationSource, RegistrationStatus


def event_or_404(scope: Scope, event_id: uuid.UUID | str) -> Event:
    event = event_selectors.event_get(organization=scope.organization, event_id=event_id)
    if event is None:
        raise Http404("No such event")
    return event


@console_page()
def events(request: HttpRequest, scope: Scope) -> HttpResponse:
    status = request.GET.get("status") or ""
    filters = event_selectors.EventFilter(
        status=[status] if status in EventStatus.values else None, q=request.GET.get("q") or None
    )
    rows = list(event_selectors.event_list(organization=scope.organization, order=["-starts_at", "id"], filters=filters)[:200])
    figures = registration_selectors.event_figures(organization=scope.organization, event_ids=[e.pk for e in rows])
    context = {
        "rows": [{"event": e, "figures": figures[e.pk]} for e in rows],
        "statuses": EventStatus.choices,
        "status": status,
        "q": request.GET.get("q", ""),
    }
    return page(request, scope, "console/events.html", context, section="events")


def _zone_of_post(request: HttpRequest, default: str) -> ZoneInfo:
    name = request.POST.get("time_zone") or default
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo(default)


@console_page(Perm.EVENTS_EDIT)
def event_new(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Create a draft event with its ticket types in one step; times are read in the zone chosen on the form."""
    organization = scope.organization
    venues = event_selectors.venue_list(organization=organization)
    initial = {"time_zone": organization.default_time_zone, "currency": organization.default_currency}
    if request.method == "POST":
        with timezone.override(_zone_of_post(request, organization.default_time_zone)):
            form = forms.EventForm(request.POST, venues=venues)
            tickets = forms.TicketTypeFormSet(request.POST, prefix="tickets")
            valid = form.is_valid() and tickets.is_valid()
        if valid:
            try:
                with transaction.atomic():
                    event = event_services.event_create(actor=scope.user, organization=organization, data=form.data_for_service())
                    for ticket in tickets.cleaned_data:
                        if ticket:
                            registration_services.ticket_type_create(actor=scope.user, event=event, data=ticket)
            except DomainError as exc:
                domain_error(request, exc)
            else:
                messages.success(
                    request, f"{event.title} was created as a draft with {len(tickets.cleaned_data)} ticket type(s)."
                )
                return HttpResponseRedirect(reverse("console:event", args=[event.pk]))
        else:
            form_errors(request, form)
            form_errors(request, tickets)
        zone = request.POST.get("time_zone") or organization.default_time_zone
    else:
        form = forms.EventForm(initial=initial, venues=venues)
        tickets = forms.TicketTypeFormSet(prefix="tickets", initial=[{"name": "Standard", "price": 0}, {"name": "", "price": 0}])
        zone = organization.default_time_zone
    with timezone.override(ZoneInfo(zone)):
        return page(request, scope, "console/event_new.html", {"form": form, "tickets": tickets, "zone": zone}, section="events")


def _kpis(scope: Scope, event: Event) -> dict[str, Any]:
    figures = registration_selectors.event_figures(organization=scope.organization, event_ids=[event.pk])[event.pk]
    since = max(event.created_at, timezone.now() - dt.timedelta(days=30))
    per_day = registration_selectors.registrations_per_day(event=event, since=since)
    types = registration_selectors.ticket_type_figures(event=event)
    return {
        "figures": figures,
        "taken": figures[RegistrationStatus.CONFIRMED] + figures[RegistrationStatus.PENDING_PAYMENT],
        "revenue": payment_selectors.event_revenue(event=event) if scope.can(Perm.PAYMENTS_VIEW) else None,
        "ticket_types": types,
        "registrations_chart": {
            "type": "line",
            "labels": [day.isoformat() for day, _ in per_day],
            "datasets": [{"label": "Registrations", "data": [n for _, n in per_day]}],
        },
        "seats_chart": {
            "type": "bar",
            "labels": [t["ticket_type"].name for t in types],
            "datasets": [
                {"label": "Seats taken", "data": [t["held"] for t in types]},
                {"label": "Waitlisted", "data": [t["waitlisted"] for t in types]},
            ],
        },
    }


@console_page()
def event_page(request: HttpRequest, scope: Scope, event_id: uuid.UUID) -> HttpResponse:
    event = event_or_404(scope, event_id)
    zone = ZoneInfo(event.time_zone)
    if request.method == "POST":
        with timezone.override(zone):
            target = _act(request, scope, event, request.POST.get("action", ""))
        return HttpResponseRedirect(target or reverse("console:event", args=[event.pk]))
    sessions = list(event_selectors.session_list(event=event))
    with timezone.override(zone):
        context = {
            "event": event,
            **_kpis(scope, event),
            "sessions": [
                {"session": s, "form": forms.SessionForm(initial=_session_initial(s), prefix=f"s-{s.pk}")} for s in sessions
            ],
            "session_form": forms.SessionForm(prefix="new-session"),
            "ticket_form": forms.TicketTypeForm(prefix="new-ticket"),
            "event_form": forms.EventForm(
                initial=_event_initial(event), venues=event_selectors.venue_list(organization=scope.organization)
            ),
            "duplicate_form": forms.DuplicateForm(initial={"starts_at": event.starts_at + dt.timedelta(days=7)}),
            "walk_in_form": forms.WalkInForm(ticket_types=registration_selectors.ticket_type_choices(event=event)),
            "reason_form": forms.ReasonForm(),
        }
        for row in context["ticket_types"]:
            ticket_type = row["ticket_type"]
            row["form"] = forms.TicketTypeForm(initial=_ticket_initial(ticket_type), prefix=f"t-{ticket_type.pk}")
        return page(request, scope, "console/event.html", context, section="events")


def _event_initial(event: Event) -> dict[str, Any]:
    names = (
        "title",
        "description",
        "category",
        "time_zone",
        "starts_at",
        "ends_at",
        "attendance_mode",
        "online_url",
        "capacity",
        "currency",
        "check_in_opens_minutes_before_start",
        "check_in_closes_minutes_after_end",
    )
    return {**{n: getattr(event, n) for n in names}, "venue": event.venue_id}


def _session_initial(session: Any) -> dict[str, Any]:
    return {n: getattr(session, n) for n in ("title", "starts_at", "ends_at", "room", "capacity")}


def _ticket_initial(ticket_type: Any) -> dict[str, Any]:
    return {n: getattr(ticket_type, n) for n in ("name", "price", "capacity", "sales_starts_at", "sales_ends_at")}


def _act(request: HttpRequest, scope: Scope, event: Event, action: str) -> str | None:
    """One action of the event page, through the service that owns it; a broken rule becomes a message."""
    handlers = {
        "update": (Perm.EVENTS_EDIT, _update),
        "publish": (Perm.EVENTS_PUBLISH, _publish),
        "cancel": (Perm.EVENTS_PUBLISH, _cancel),
        "duplicate": (Perm.EVENTS_EDIT, _duplicate),
        "ticket-add": (Perm.EVENTS_EDIT, _ticket_add),
        "ticket-edit": (Perm.EVENTS_EDIT, _ticket_edit),
        "session-add": (Perm.EVENTS_EDIT, _session_add),
        "session-edit": (Perm.EVENTS_EDIT, _session_edit),
        "walk-in": (Perm.REGISTRATIONS_MANAGE, _walk_in),
    }
    if action not in handlers:
        raise Http404("No such action")
    perm, handler = handlers[action]
    scope.require(perm)
    try:
        return handler(request, scope, event)
    except DomainError as exc:
        domain_error(request, exc)
        return None


def _update(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    with timezone.override(_zone_of_post(request, event.time_zone)):
        form = forms.EventForm(request.POST, venues=event_selectors.venue_list(organization=scope.organization))
        if not form.is_valid():
            form_errors(request, form)
            return None
    event_services.event_update(actor=scope.user, event=event, data=form.data_for_service())
    messages.success(request, "The event was saved.")
    return None


def _publish(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    event_services.event_publish(actor=scope.user, event=event)
    messages.success(request, f"{event.title} is published: people can register.")
    return None


def _cancel(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return None
    event_services.event_cancel(actor=scope.user, event=event, reason=form.cleaned_data["reason"])
    messages.success(request, f"{event.title} is cancelled.")
    return None


def _duplicate(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    form = forms.DuplicateForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return None
    copy = console_services.event_duplicate(
        actor=scope.user, event=event, starts_at=form.cleaned_data["starts_at"], title=form.cleaned_data["title"]
    )
    messages.success(request, f"{copy.title} was created as a draft.")
    return reverse("console:event", args=[copy.pk])


def _ticket_add(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    form = forms.TicketTypeForm(request.POST, prefix="new-ticket")
    if not form.is_valid():
        form_errors(request, form)
        return None
    ticket_type = registration_services.ticket_type_create(actor=scope.user, event=event, data=form.cleaned_data)
    messages.success(request, f"Ticket type {ticket_type.name} was added.")
    return None


def _ticket_edit(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    ticket_type = registration_selectors.ticket_type_get(event=event, ticket_type_id=_uuid(request.POST.get("id")))
    if ticket_type is None:
        raise Http404("No such ticket type")
    form = forms.TicketTypeForm(request.POST, prefix=f"t-{ticket_type.pk}")
    if not form.is_valid():
        form_errors(request, form)
        return None
    registration_services.ticket_type_update(actor=scope.user, ticket_type=ticket_type, data=form.cleaned_data)
    messages.success(request, f"Ticket type {form.cleaned_data['name']} was saved.")
    return None


def _session_add(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    form = forms.SessionForm(request.POST, prefix="new-session")
    if not form.is_valid():
        form_errors(request, form)
        return None
    session = event_services.session_create(actor=scope.user, event=event, data=form.cleaned_data)
    messages.success(request, f"Session {session.title} was added.")
    return None


def _session_edit(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    session = event_selectors.session_get(event=event, session_id=_uuid(request.POST.get("id")))
    if session is None:
        raise Http404("No such session")
    form = forms.SessionForm(request.POST, prefix=f"s-{session.pk}")
    if not form.is_valid():
        form_errors(request, form)
        return None
    event_services.session_update(actor=scope.user, session=session, data=form.cleaned_data)
    messages.success(request, f"Session {form.cleaned_data['title']} was saved.")
    return None


def _walk_in(request: HttpRequest, scope: Scope, event: Event) -> str | None:
    """Register someone at the door: a free ticket is confirmed at once, a paid one waits for "mark paid" on its page."""
    form = forms.WalkInForm(request.POST, ticket_types=registration_selectors.ticket_type_choices(event=event))
    if not form.is_valid():
        form_errors(request, form)
        return None
    created = registration_services.registration_create(
        actor=scope.user,
        organization_id=scope.organization.pk,
        event_id=event.pk,
        ticket_type_id=form.cleaned_data["ticket_type"].pk,
        attendees=[{"name": form.cleaned_data["name"], "email": form.cleaned_data["email"]}],
        source=RegistrationSource.USER,
    )
    registration = created[0]
    messages.success(request, f"{registration.attendee_name} is registered ({registration.get_status_display().lower()}).")
    return reverse("console:registration", args=[registration.pk])


def _uuid(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such object") from None
