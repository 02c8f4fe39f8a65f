"""Reports: revenue by day, ticket type and payment method; attendance and no-shows; session feedback. Each with a
chart and a CSV download of the same figures."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.roles import Perm
from console.pages import page
from console.tenancy import Scope, console_page
from events import selectors as event_selectors
from payments import selectors as payment_selectors
from registrations import selectors as registration_selectors

PERIODS = {"30": "Last 30 days", "90": "Last 90 days", "365": "Last 12 months"}
METHOD_LABELS = {"offline": "Paid offline", "sandbox": "Sandbox card", "stripe": "Card (Stripe)", "paypal": "PayPal"}
ATTENDANCE_EVENTS = 50


def _tables(scope: Scope, first: dt.date) -> dict[str, dict[str, Any]]:
    organization = scope.organization
    # The day table shows no ticket counts: skip counting them.
    by_day = payment_selectors.revenue_report(organization=organization, group_by="day", date_from=first, with_tickets=False)
    by_type = payment_selectors.revenue_report(organization=organization, group_by="ticketType", date_from=first)
    by_method = payment_selectors.revenue_by_method(organization=organization, date_from=first)
    events = list(
        event_selectors.event_list(
            organization=organization,
            order=["-starts_at", "id"],
            filters=event_selectors.EventFilter(
                starts_before=timezone.now(), starts_after=timezone.now() - dt.timedelta(days=400)
            ),
        )[:ATTENDANCE_EVENTS]
    )
    attendance = registration_selectors.attendance(organization=organization, event_ids=[e.pk for e in events])
    feedback = registration_selectors.feedback_by_session(organization=organization)
    return {
        "day": {
            "title": "Revenue by day",
            "header": ["Day (UTC)", "Currency", "Gross", "Refunds", "Net", "Payments"],
            "rows": [[r["key"], r["currency"], r["gross"], r["refunds"], r["net"], r["count"]] for r in by_day["data"]],
            "chart": {
                "type": "bar",
                "labels": [r["key"] for r in by_day["data"]],
                "datasets": [{"label": "Net", "data": [float(r["net"]) for r in by_day["data"]]}],
            },
        },
        "ticket_type": {
            "title": "Revenue by ticket type",
            "header": ["Ticket type", "Currency", "Gross", "Refunds", "Net", "Tickets"],
            "rows": [[r["name"], r["currency"], r["gross"], r["refunds"], r["net"], r["tickets"]] for r in by_type["data"]],
            "chart": {
                "type": "bar",
                "labels": [r["name"] for r in by_type["data"]],
                "datasets": [{"label": "Net", "data": [float(r["net"]) for r in by_type["data"]]}],
            },
        },
        "method": {
            "title": "Revenue by payment method",
            "header": ["Method", "Currency", "Gross", "Refunded", "Net", "Payments"],
            "rows": [
                [METHOD_LABELS.get(r["provider"], r["provider"]), r["currency"], r["gross"], r["refunded"], r["net"], r["count"]]
                for r in by_method
            ],
            "chart": {
                "type": "doughnut",
                "labels": [METHOD_LABELS.get(r["provider"], r["provider"]) for r in by_method],
                "datasets": [{"label": "Net", "data": [float(r["net"]) for r in by_method]}],
            },
        },
        "attendance": {
            "title": "Attendance and no-shows (past events)",
            "header": ["Event", "Confirmed", "Checked in", "No-shows"],
            "rows": [
                [e.title, attendance[e.pk]["confirmed"], attendance[e.pk]["checked_in"], attendance[e.pk]["no_shows"]]
                for e in events
            ],
            "chart": {
                "type": "bar",
                "labels": [e.title for e in events],
                "datasets": [
                    {"label": "Checked in", "data": [attendance[e.pk]["checked_in"] for e in events]},
                    {"label": "No-shows", "data": [attendance[e.pk]["no_shows"] for e in events]},
                ],
            },
        },
        "feedback": {
            "title": "Session feedback",
            "header": ["Session", "Event", "Ratings", "Average (1–5)"],
            "rows": [[f["session"], f["event"], f["count"], f["average"]] for f in feedback],
            "chart": {
                "type": "bar",
                "labels": [f["session"] for f in feedback],
                "datasets": [{"label": "Average rating", "data": [f["average"] for f in feedback]}],
            },
        },
    }


@console_page(Perm.PAYMENTS_VIEW)
def reports(request: HttpRequest, scope: Scope) -> HttpResponse:
    scope.require(Perm.CONSOLE_OPEN)
    period = request.GET.get("period") or "30"
    if period not in PERIODS:
        period = "30"
    first = timezone.now().date() - dt.timedelta(days=int(period) - 1)
    tables = _tables(scope, first)
    wanted = request.GET.get("download")
    if wanted in tables:
        table = tables[wanted]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="report-{wanted}-{period}d.csv"'
        writer = csv.writer(response)
        writer.writerow(table["header"])
        writer.writerows(table["rows"])
        return response
    context = {"tables": tables, "period": period, "periods": PERIODS}
    return page(request, scope, "console/reports.html", context, section="reports")
