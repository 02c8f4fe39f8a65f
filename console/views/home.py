"""The console's home: the organization's upcoming and running events with their figures, 30 days of sales, what needs attention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import Perm, role_has
from accounts.signin import sign_in_url
from console import tenancy
from console.pages import page
from console.tenancy import Scope, console_page
from events import selectors as event_selectors
from events.models import EventStatus
from integrations import selectors as integration_selectors
from payments import selectors as payment_selectors
from registrations import selectors as registration_selectors
from registrations.models import RegistrationStatus

UPCOMING_LIMIT = 20
SALES_DAYS = 30
EXPIRING_WITHIN = dt.timedelta(hours=2)


def sales_chart(scope: Scope, days: int = SALES_DAYS) -> dict[str, Any]:
    """Net sales per day for the last ``days`` days (UTC days), one dataset per currency."""
    today = timezone.now().date()
    first = today - dt.timedelta(days=days - 1)
    net = payment_selectors.net_sales_per_day(organization=scope.organization, date_from=first)
    labels = [(first + dt.timedelta(days=i)).isoformat() for i in range(days)]
    series: dict[str, dict[str, float]] = {}
    for (day, currency), amount in net.items():
        series.setdefault(currency, {})[day] = float(amount)
    datasets = [
        {"label": f"Net sales ({currency})", "data": [values.get(day, 0) for day in labels]}
        for currency, values in sorted(series.items())
    ]
    return {"type": "bar", "labels": labels, "datasets": datasets or [{"label": "Net sales", "data": [0] * days}]}


@console_page()
def home(request: HttpRequest, scope: Scope) -> HttpResponse:
    organization = scope.organization
    now = timezone.now()
    events = list(
        event_selectors.event_list(
            organization=organization,
            filters=event_selectors.EventFilter(ends_after=now, status=[EventStatus.DRAFT, EventStatus.PUBLISHED]),
        )[:UPCOMING_LIMIT]
    )
    ids = [e.pk for e in events]
    figures = registration_selectors.event_figures(organization=organization, event_ids=ids)
    revenue = (
        payment_selectors.revenue_by_event(organization=organization, event_ids=ids) if scope.can(Perm.PAYMENTS_VIEW) else {}
    )
    rows = []
    for event in events:
        f = figures[event.pk]
        taken = f[RegistrationStatus.CONFIRMED] + f[RegistrationStatus.PENDING_PAYMENT]
        rows.append(
            {
                "event": event,
                "running": event.starts_at <= now,
                "registrations": taken,
                "confirmed": f[RegistrationStatus.CONFIRMED],
                "waitlisted": f[RegistrationStatus.WAITLISTED],
                "checked_in": f["checked_in"],
                "revenue": revenue.get(event.pk, []),
            }
        )
    attention: list[dict[str, str]] = []
    for event_id in registration_selectors.event_ids_without_ticket_types(organization=organization, event_ids=ids):
        event = next(e for e in events if e.pk == event_id)
        attention.append(
            {"text": f"{event.title} has no ticket types: nobody can register.", "url": reverse("console:event", args=[event.pk])}
        )
    expiring = registration_selectors.pending_expiring(organization=organization, now=now, within=EXPIRING_WITHIN)
    expiring_count = expiring.count()
    if expiring_count:
        first = expiring.first()
        assert first is not None
        attention.append(
            {
                "text": f"{expiring_count} pending payment(s) expire within two hours (the first: {first.attendee_name}, {first.event.title}).",
                "url": reverse("console:registration", args=[first.pk]),
            }
        )
    if scope.can(Perm.INTEGRATIONS_MANAGE):
        for subscription in (
            integration_selectors.subscription_list(organization=organization).filter(enabled=False).exclude(disabled_reason="")
        ):
            attention.append(
                {
                    "text": f"The webhook to {subscription.url} was switched off: its endpoint kept failing ({subscription.disabled_reason}).",
                    "url": "",
                }
            )
    context = {
        "rows": rows,
        "attention": attention,
        "chart": sales_chart(scope) if scope.can(Perm.PAYMENTS_VIEW) else None,
    }
    return page(request, scope, "console/home.html", context, section="home")


@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's organizations (a 404 for any other); back to the console's home."""
    if not isinstance(request.user, User) or not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("account_login"))
    membership = tenancy.switch(request, request.POST.get("organization", ""))
    messages.success(request, f"You are working in {membership.organization.name}.")
    return HttpResponseRedirect(reverse("console:index"))


def index(request: HttpRequest) -> HttpResponseBase:
    """/console/: the home for organizers, the check-in desk for check-in staff."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(sign_in_url(request.get_full_path()))
    membership = tenancy.current_membership(request)
    if membership is not None and not role_has(membership.role, Perm.CONSOLE_OPEN):
        return HttpResponseRedirect(reverse("console:desk"))
    return home(request)
