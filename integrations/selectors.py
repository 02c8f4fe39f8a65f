"""Tenant-scoped reads of webhook subscriptions and deliveries, and what the dispatcher and the sweep look for."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet

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
