"""Tenant-scoped reads of webhook subscriptions and deliveries, and what the dispatcher and the sweep look for."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum

from accounts.models import Organization
from core.models import OutboxEvent
from integrations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription


def subscription_list(*, organization: Organization) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(organization=organization).order_by("-created_at", "-id")


def subscription_get(*, organization: Organization, subscription_id: uuid.UUID | str) -> WebhookSubscription | None:
    return WebhookSubscription.objects.filter(organization=organization, pk=subscription_id).first()


def has_enabled_subscription(*, organization_id: uuid.UUID) -> bool:
    """One EXISTS on the partial index ``webhook_sub_enabled``: the after-commit check of every outbox write."""
    return WebhookSubscription.objects.filter(organization_id=organization_id, enabled=True).exists()


def delivery_list(
    *,
    organization: Organization,
    subscription: uuid.UUID | None = None,
    status: list[str] | None = None,
    event_type: list[str] | None = None,
    **_: Any,
) -> QuerySet[WebhookDelivery]:
    """Deliveries, newest first."""
    qs = WebhookDelivery.objects.filter(organization=organization)
    if subscription:
        qs = qs.filter(subscription_id=subscription)
    if status:
        qs = qs.filter(status__in=status)
    if event_type:
        qs = qs.filter(event_type__in=event_type)
    return qs.order_by("-created_at", "-id")


def delivery_get(*, organization: Organization, delivery_id: uuid.UUID | str) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.filter(organization=organization, pk=delivery_id)
        .prefetch_related(Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("number", "id")))
        .first()
    )


def outbox_backlog() -> bool:
    """Whether committed outbox rows await dispatch (the partial index ``outbox_undispatched``)."""
    return OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()


def deliveries_due(*, now: dt.datetime, limit: int = 200) -> list[uuid.UUID]:
    """Pending deliveries whose next attempt is due, oldest first (the ``webhook_delivery_due`` index)."""
    qs = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    return list(qs.order_by("next_attempt_at").values_list("id", flat=True)[:limit])


@dataclass(frozen=True)
class WebhookStats:
    """Delivery attempts of one window: how many, how many the receiver answered 2xx, how long they took."""

    attempts: int = 0
    succeeded: int = 0
    latency_ms_avg: float | None = None
    latency_ms_max: int | None = None

    @property
    def success_rate(self) -> float | None:
        """Attempts answered 2xx, in percent; None without attempts."""
        return 100.0 * self.succeeded / self.attempts if self.attempts else None


@dataclass(frozen=True)
class SubscriptionStats:
    subscription: WebhookSubscription
    windows: dict[str, WebhookStats]


def webhook_stats(
    *, organization: Organization, since: dict[str, dt.datetime]
) -> tuple[dict[str, WebhookStats], list[SubscriptionStats]]:
    """Delivery attempts of ``organization``'s subscriptions in each window (``{"24h": since, ...}``): the totals and
    each subscription's (newest subscription first). Two queries: the subscriptions, the attempts grouped by
    subscription with one filtered aggregate per window."""
    subscriptions = list(subscription_list(organization=organization))
    oldest = min(since.values())
    aggregates: dict[str, Any] = {}
    for name, start in since.items():
        window = Q(attempted_at__gte=start)
        aggregates[f"{name}__attempts"] = Count("id", filter=window)
        aggregates[f"{name}__succeeded"] = Count("id", filter=window & Q(response_status__gte=200, response_status__lt=300))
        aggregates[f"{name}__total"] = Sum("duration_ms", filter=window)
        aggregates[f"{name}__max"] = Max("duration_ms", filter=window)
    grouped: dict[uuid.UUID, dict[str, Any]] = {
        row["delivery__subscription_id"]: dict(row)
        for row in WebhookAttempt.objects.filter(delivery__organization=organization, attempted_at__gte=oldest)
        .values("delivery__subscription_id")
        .annotate(**aggregates)
        .order_by()
    }

    def stats(rows: list[dict[str, Any]], name: str) -> WebhookStats:
        attempts = sum(r[f"{name}__attempts"] for r in rows)
        if not attempts:
            return WebhookStats()
        return WebhookStats(
            attempts=attempts,
            succeeded=sum(r[f"{name}__succeeded"] for r in rows),
            latency_ms_avg=sum(r[f"{name}__total"] or 0 for r in rows) / attempts,
            latency_ms_max=max(r[f"{name}__max"] or 0 for r in rows),
        )

    per_subscription = [
        SubscriptionStats(s, {name: stats([grouped[s.pk]] if s.pk in grouped else [], name) for name in since})
        for s in subscriptions
    ]
    totals = {name: stats(list(grouped.values()), name) for name in since}
    return totals, per_subscription
