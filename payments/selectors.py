"""Tenant-scoped reads of payments and invoices, the revenue report and the event revenue figures.

Sums are computed in SQL; amounts come back as Decimal and are rounded to cents
(ROUND_HALF_UP) only at the end.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate

from accounts.models import Organization
from events.models import Event
from payments.models import COLLECTED, Dispute, Invoice, Payment, PaymentItem, Refund, Subscription
from payments.money import cents
from registrations.models import TicketType

ZERO = Decimal("0.00")


def _payment_base(organization: Organization) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(organization=organization)
        .select_related("invoice")
        .prefetch_related(
            Prefetch("items", queryset=PaymentItem.objects.order_by("id")),
            Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "id")),
            Prefetch("disputes", queryset=Dispute.objects.order_by("created_at", "id")),
        )
    )


@dataclass(frozen=True, kw_only=True)
class PaymentFilter:
    """What ``payment_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    event: uuid.UUID | None = None
    status: list[str] | None = None
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None


def payment_list(*, organization: Organization, filters: PaymentFilter = PaymentFilter()) -> QuerySet[Payment]:
    """The transaction history, newest first."""
    qs = _payment_base(organization)
    if filters.event:
        qs = qs.filter(event_id=filters.event)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.created_after:
        qs = qs.filter(created_at__gte=filters.created_after)
    if filters.created_before:
        qs = qs.filter(created_at__lt=filters.created_before)
    return qs.order_by("-created_at", "-id")


def payment_get(*, organization: Organization, payment_id: uuid.UUID | str) -> Payment | None:
    return _payment_base(organization).filter(pk=payment_id).first()


def subscription_list(*, organization: Organization) -> QuerySet[Subscription]:
    """The organization's series passes, newest first, with their series."""
    return Subscription.objects.filter(organization=organization).select_related("series").order_by("-created_at", "-id")


def subscription_get(*, organization: Organization, subscription_id: uuid.UUID | str) -> Subscription | None:
    return subscription_list(organization=organization).select_related("connection").filter(pk=subscription_id).first()


@dataclass(frozen=True, kw_only=True)
class InvoiceFilter:
    """What ``invoice_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    event: uuid.UUID | None = None
    payment: uuid.UUID | None = None


def invoice_list(*, organization: Organization, filters: InvoiceFilter = InvoiceFilter()) -> QuerySet[Invoice]:
    qs = Invoice.objects.filter(organization=organization)
    if filters.event:
        qs = qs.filter(payment__event_id=filters.event)
    if filters.payment:
        qs = qs.filter(payment_id=filters.payment)
    return qs.order_by("-issued_at", "-id")


def invoice_get(*, organization: Organization, invoice_id: uuid.UUID | str) -> Invoice | None:
    return Invoice.objects.filter(organization=organization, pk=invoice_id).select_related("payment").first()


# -- revenue ----------------------------------------------------------------------------------
def _bucket() -> dict[str, Any]:
    return {"gross": ZERO, "refunds": ZERO, "count": 0, "tickets": 0}


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of a UTC day: reports filter on it as a range the (organization, status, succeeded_at) index
    serves, where ``__date`` would convert every row's time first."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def revenue_report(
    *,
    organization: Organization,
    group_by: str = "day",
    event_id: uuid.UUID | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    with_tickets: bool = True,
) -> dict[str, Any]:
    """Collected money per day / event / ticket type and currency: gross, refunds, net, count, tickets.

    ``with_tickets=False`` skips counting tickets by day or event (a join of every payment's items; ``tickets`` is
    then 0), for a caller that does not show them.

    Gross counts payments that succeeded (also those refunded since) on the day
    they succeeded; refunds count on the day they were made. ``from``/``to`` are
    inclusive UTC days. For ``ticketType``, a payment's refunds are shared
    among its tickets in proportion to their price.
    """
    payments = Payment.objects.filter(organization=organization, status__in=COLLECTED)
    refunds = Refund.objects.filter(organization=organization)
    items = PaymentItem.objects.filter(payment__organization=organization, payment__status__in=COLLECTED)
    if event_id:
        payments = payments.filter(event_id=event_id)
        refunds = refunds.filter(payment__event_id=event_id)
        items = items.filter(payment__event_id=event_id)
    if date_from:
        since = day_start(date_from)
        payments = payments.filter(succeeded_at__gte=since)
        refunds = refunds.filter(created_at__gte=since)
        items = items.filter(payment__succeeded_at__gte=since)
    if date_to:
        before = day_start(date_to + dt.timedelta(days=1))
        payments = payments.filter(succeeded_at__lt=before)
        refunds = refunds.filter(created_at__lt=before)
        items = items.filter(payment__succeeded_at__lt=before)

    rows: dict[tuple[str, str], dict[str, Any]] = defaultdict(_bucket)
    labels: dict[str, str] = {}
    if group_by == "ticketType":
        sold = (
            items.values("ticket_type_id", "payment__currency")
            .annotate(gross=Sum("amount"), count=Count("payment_id", distinct=True), tickets=Count("id"))
            .order_by()
        )
        for row in sold:
            bucket = rows[(str(row["ticket_type_id"]), row["payment__currency"])]
            bucket.update(gross=row["gross"], count=row["count"], tickets=row["tickets"])
        share = ExpressionWrapper(
            F("amount") * F("payment__items__amount") / F("payment__amount"),
            output_field=DecimalField(max_digits=24, decimal_places=10),
        )
        refunded = refunds.values("payment__items__ticket_type_id", "payment__currency").annotate(refunds=Sum(share)).order_by()
        for share_row in refunded:
            share_key = (str(share_row["payment__items__ticket_type_id"]), share_row["payment__currency"])
            rows[share_key]["refunds"] += Decimal(share_row["refunds"] or 0)
        labels = {str(pk): name for pk, name in TicketType.objects.filter(pk__in={k for k, _ in rows}).values_list("pk", "name")}
    else:
        key_field = "event_id" if group_by == "event" else "day"
        if group_by == "day":
            payments = payments.annotate(day=TruncDate("succeeded_at"))
            refunds = refunds.annotate(day=TruncDate("created_at"))
            items = items.annotate(day=TruncDate("payment__succeeded_at"))
        else:
            refunds = refunds.annotate(event_id=F("payment__event_id"))
            items = items.annotate(event_id=F("payment__event_id"))
        collected = payments.values(key_field, "currency").annotate(gross=Sum("amount"), count=Count("id")).order_by()
        for row in collected:
            bucket = rows[(str(row[key_field]), row["currency"])]
            bucket.update(gross=row["gross"], count=row["count"])
        for row in items.values(key_field, "payment__currency").annotate(n=Count("id")).order_by() if with_tickets else ():
            rows[(str(row[key_field]), row["payment__currency"])]["tickets"] = row["n"]
        for row in refunds.values(key_field, "payment__currency").annotate(total=Sum("amount")).order_by():
            rows[(str(row[key_field]), row["payment__currency"])]["refunds"] += row["total"]
        if group_by == "event":
            labels = {
                str(pk): title for pk, title in Event.objects.filter(pk__in={k for k, _ in rows}).values_list("pk", "title")
            }

    data = []
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"gross": ZERO, "refunds": ZERO})
    for (row_key, currency), bucket in sorted(rows.items()):
        gross, refunded_total = cents(Decimal(bucket["gross"])), cents(Decimal(bucket["refunds"]))
        data.append(
            {
                "key": row_key,
                "name": labels.get(row_key, row_key),
                "currency": currency,
                "gross": str(gross),
                "refunds": str(refunded_total),
                "net": str(gross - refunded_total),
                "count": bucket["count"],
                "tickets": bucket["tickets"],
            }
        )
        totals[currency]["gross"] += gross
        totals[currency]["refunds"] += refunded_total
    return {
        "group_by": group_by,
        "data": data,
        "totals": [
            {"currency": c, "gross": str(t["gross"]), "refunds": str(t["refunds"]), "net": str(t["gross"] - t["refunds"])}
            for c, t in sorted(totals.items())
        ],
    }


def event_revenue(*, event: Event) -> list[dict[str, str]]:
    """Gross collected, refunded and net per currency for one event (two aggregate queries)."""
    sums = (
        Payment.objects.filter(event_id=event.pk, status__in=COLLECTED)
        .values("currency")
        .annotate(gross=Sum("amount"), refunded=Sum("refunded_amount"))
        .order_by("currency")
    )
    return [
        {
            "currency": row["currency"],
            "gross": str(cents(row["gross"])),
            "refunded": str(cents(row["refunded"])),
            "net": str(cents(row["gross"] - row["refunded"])),
        }
        for row in sums
    ]


def revenue_by_event(*, organization: Organization, event_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Net collected (gross minus refunds) per event and currency: one grouped query."""
    rows = (
        Payment.objects.filter(organization=organization, event_id__in=event_ids, status__in=COLLECTED)
        .order_by()
        .values("event_id", "currency")
        .annotate(gross=Sum("amount"), refunded=Sum("refunded_amount"))
        .order_by("event_id", "currency")
    )
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row["event_id"]].append({"currency": row["currency"], "net": cents(row["gross"] - row["refunded"])})
    return dict(out)


def revenue_by_method(*, organization: Organization, date_from: dt.date | None = None) -> list[dict[str, Any]]:
    """Collected money per payment provider (the payment method) and currency, since ``date_from`` (UTC days)."""
    qs = Payment.objects.filter(organization=organization, status__in=COLLECTED)
    if date_from:
        qs = qs.filter(succeeded_at__gte=day_start(date_from))
    rows = (
        qs.order_by()
        .values("provider", "currency")
        .annotate(gross=Sum("amount"), refunded=Sum("refunded_amount"), count=Count("id"))
        .order_by("provider", "currency")
    )
    return [
        {
            "provider": row["provider"],
            "currency": row["currency"],
            "gross": cents(row["gross"]),
            "refunded": cents(row["refunded"]),
            "net": cents(row["gross"] - row["refunded"]),
            "count": row["count"],
        }
        for row in rows
    ]


def payments_of_registration(*, organization: Organization, registration_id: uuid.UUID) -> list[Payment]:
    """The payments that include the registration, newest first, with their refunds."""
    return list(
        Payment.objects.filter(organization=organization, items__registration_id=registration_id)
        .prefetch_related(Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "id")))
        .order_by("-created_at", "-id")
        .distinct()
    )


def paid_registrations_only(queryset: QuerySet[Any], *, paid: bool) -> QuerySet[Any]:
    """``queryset`` of registrations narrowed to those with (``paid``) or without a payment whose money came in."""
    collected = PaymentItem.objects.filter(registration_id=OuterRef("pk"), payment__status__in=COLLECTED)
    return queryset.filter(Exists(collected)) if paid else queryset.exclude(Exists(collected))


def paid_registration_ids(*, organization: Organization, registration_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of the registrations have a payment whose money came in (one query)."""
    return set(
        PaymentItem.objects.filter(
            registration_id__in=registration_ids, payment__organization=organization, payment__status__in=COLLECTED
        ).values_list("registration_id", flat=True)
    )


def net_sales_per_day(*, organization: Organization, date_from: dt.date) -> dict[tuple[str, str], Decimal]:
    """{(UTC day, currency): collected minus refunded} since ``date_from``: the home's chart, in two grouped queries
    (``revenue_report`` also counts tickets, which the chart does not show)."""
    out: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    collected = (
        Payment.objects.filter(organization=organization, status__in=COLLECTED, succeeded_at__gte=day_start(date_from))
        .annotate(day=TruncDate("succeeded_at"))
        .order_by()
        .values("day", "currency")
        .annotate(total=Sum("amount"))
    )
    for row in collected:
        out[(row["day"].isoformat(), row["currency"])] += row["total"]
    refunded = (
        Refund.objects.filter(organization=organization, created_at__gte=day_start(date_from))
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values("day", "payment__currency")
        .annotate(total=Sum("amount"))
    )
    for day, currency, total in refunded.values_list("day", "payment__currency", "total"):
        out[(day.isoformat(), currency)] -= total
    return {key: cents(value) for key, value in out.items()}
