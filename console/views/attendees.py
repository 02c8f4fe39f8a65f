"""An event's attendees: search, filters, sorting, keyset pages, CSV and XLSX of the current filter, bulk actions."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import slugify

from accounts.roles import Perm
from console import exports, paging
from console.forms import AttendeeFilterForm
from console.pages import page
from console.tenancy import Scope, console_page
from console.views.events import event_or_404
from core.errors import DomainError
from events.models import Event
from payments import selectors as payment_selectors
from payments import services as payment_services
from registrations import checkins as checkin_services
from registrations import selectors as registration_selectors
from registrations import services as registration_services
from registrations.models import Registration

PAGE_SIZE = 50
# Counting stops here: "more than 1000 match" costs a bounded scan whatever the filter (a few ms, not a whole event).
COUNT_CAP = 1_000
EXPORT_CHUNK = 2000
BULK_LIMIT = 500


def filtered(scope: Scope, event: Event, form: AttendeeFilterForm) -> QuerySet[Registration]:
    data = form.cleaned_data if form.is_valid() else {}
    q = (data.get("q") or "").strip() or None
    checked = {"yes": True, "no": False}.get(data.get("checked_in") or "")
    filters = registration_selectors.RegistrationFilter(
        event=event.pk,
        status=[data["status"]] if data.get("status") else None,
        ticket_type=data["ticket_type"].pk if data.get("ticket_type") else None,
        q=q,
        checked_in=checked,
    )
    qs = registration_selectors.registration_list(organization=scope.organization, filters=filters)
    paid = {"yes": True, "no": False}.get(data.get("paid") or "")
    if paid is not None:
        qs = payment_selectors.paid_registrations_only(qs, paid=paid)
    return qs


def _form(request: HttpRequest, event: Event) -> AttendeeFilterForm:
    return AttendeeFilterForm(request.GET, ticket_types=registration_selectors.ticket_type_choices(event=event))


@console_page(Perm.REGISTRATIONS_VIEW)
def attendees(request: HttpRequest, scope: Scope, event_id: uuid.UUID) -> HttpResponse:
    scope.require(Perm.CONSOLE_OPEN)
    event = event_or_404(scope, event_id)
    if request.method == "POST":
        return _bulk(request, scope, event)
    form = _form(request, event)
    qs = filtered(scope, event, form)
    sort = (form.cleaned_data.get("sort") if form.is_valid() else None) or paging.DEFAULT_SORT
    result = paging.keyset_page(qs, sort=sort, cursor=request.GET.get("after"), size=PAGE_SIZE)
    ids = [r.pk for r in result.rows]
    entered = registration_selectors.entered_at(organization=scope.organization, registration_ids=ids)
    paid = payment_selectors.paid_registration_ids(organization=scope.organization, registration_ids=ids)
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "event": event,
        "form": form,
        "rows": [{"registration": r, "entered": entered.get(r.pk), "paid": r.pk in paid} for r in result.rows],
        # Ids only: the count needs none of the list's annotations (the waitlist position is a subquery per row).
        "total": qs.order_by().values("pk")[: COUNT_CAP + 1].count(),
        "count_cap": COUNT_CAP,
        "next_query": _with(query, after=result.next_cursor) if result.next_cursor else "",
        "first_query": query.urlencode(),
        "is_first": not request.GET.get("after"),
        "export_csv": _with(query, format="csv"),
        "export_xlsx": _with(query, format="xlsx"),
    }
    return page(request, scope, "console/attendees.html", context, section="events")


def _with(query: Any, **params: str) -> str:
    copy = query.copy()
    for key, value in params.items():
        copy[key] = value
    return copy.urlencode()


@console_page(Perm.REGISTRATIONS_VIEW)
def export(request: HttpRequest, scope: Scope, event_id: uuid.UUID) -> HttpResponseBase:
    """The list as filtered on the page, every page of it, as CSV or XLSX; times in the event's zone."""
    scope.require(Perm.CONSOLE_OPEN)
    event = event_or_404(scope, event_id)
    form = _form(request, event)
    sort = (form.cleaned_data.get("sort") if form.is_valid() else None) or paging.DEFAULT_SORT
    qs = filtered(scope, event, form).order_by(*paging.order_of(sort))

    def rows() -> Iterator[list[str]]:
        chunk: list[Registration] = []
        for registration in qs.iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(registration)
            if len(chunk) == EXPORT_CHUNK:
                yield from _rows(scope, event, chunk)
                chunk = []
        if chunk:
            yield from _rows(scope, event, chunk)

    filename = f"attendees-{slugify(event.title)[:60]}"
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(rows(), filename)
    return exports.csv_response(rows(), filename)


def _rows(scope: Scope, event: Event, chunk: list[Registration]) -> Iterator[list[str]]:
    ids = [r.pk for r in chunk]
    entered = registration_selectors.entered_at(organization=scope.organization, registration_ids=ids)
    paid = payment_selectors.paid_registration_ids(organization=scope.organization, registration_ids=ids)
    return exports.rows_of(chunk, entered=entered, paid=paid, zone_name=event.time_zone)


BULK_ACTIONS: dict[str, tuple[str, str]] = {
    "resend_confirmation": (Perm.REGISTRATIONS_MANAGE, "Resend the confirmation"),
    "resend_ticket": (Perm.REGISTRATIONS_MANAGE, "Resend the ticket"),
    "check_in": (Perm.CHECKIN_PERFORM, "Check in"),
    "cancel": (Perm.REGISTRATIONS_MANAGE, "Cancel"),
    "cancel_refund": (Perm.PAYMENTS_MANAGE, "Cancel and refund"),
}


def _bulk(request: HttpRequest, scope: Scope, event: Event) -> HttpResponse:
    """One action on the ticked registrations, each through its service; what failed is listed by name."""
    action = request.POST.get("action", "")
    back = HttpResponseRedirect(f"{reverse('console:attendees', args=[event.pk])}?{request.POST.get('query', '')}")
    if action not in BULK_ACTIONS:
        messages.error(request, "Choose an action.")
        return back
    perm, label = BULK_ACTIONS[action]
    scope.require(perm)
    ids = []
    for value in request.POST.getlist("ids")[:BULK_LIMIT]:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    chosen = [
        r for r in registration_selectors.registrations_by_ids(organization=scope.organization, ids=ids) if r.event_id == event.pk
    ]
    if not chosen:
        messages.error(request, "Tick at least one registration.")
        return back
    reason = (request.POST.get("reason") or "").strip() or "Cancelled by the organizer"
    done, failed = 0, []
    if action == "check_in":
        result = checkin_services.checkins_bulk(
            actor=scope.user,
            organization=scope.organization,
            event=event,
            codes=[r.ticket_code for r in chosen],
            device="console",
        )
        done = sum(1 for row in result.rows if row.accepted)
        failed = [
            f"{row.registration.attendee_name if row.registration else row.code}: {row.get_result_display()}"
            for row in result.rows
            if not row.accepted
        ]
    else:
        for registration in chosen:
            try:
                _one(scope, action, registration, reason)
                done += 1
            except DomainError as exc:
                failed.append(f"{registration.attendee_name}: {exc.message}")
    messages.success(request, f"{label}: {done} of {len(chosen)} done.")
    for text in failed[:20]:
        messages.error(request, text)
    return back


def _one(scope: Scope, action: str, registration: Registration, reason: str) -> None:
    if action in ("resend_confirmation", "resend_ticket"):
        kind = "confirmation" if action == "resend_confirmation" else "ticket"
        registration_services.registration_send_ticket(actor=scope.user, registration=registration, kind=kind)
    elif action == "cancel":
        registration_services.registration_cancel(actor=scope.user, registration=registration, reason=reason)
    elif action == "cancel_refund":
        payment_services.registration_cancel_and_refund(actor=scope.user, registration=registration, reason=reason)
