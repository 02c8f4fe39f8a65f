"""Tenant-scoped reads of webhook subscriptions and deliveries, and what the dispatcher and the sweep look for."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts.models import Organization
from core.models import OutboxEvent
from integrations.models import DeliveryStatus, ExportJob, WebhookAttempt, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)


def subscription_list(*, organization: Organization) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(organization=organization).order_by("-created_at", "-id")


def subscription_get(*, organization: Organization, subscription_id: uuid.UUID | str) -> WebhookSubscription | None:
    return WebhookSubscription.objects.filter(organization=organization, pk=subscription_id).first()


# How long the flag below may be kept: a bound on a flag set from a read that raced a subscription's change.
SUBSCRIPTION_FLAG_SECONDS = 60


def _flag_key(organization_id: uuid.UUID | str) -> str:
    return f"outbox:listeners:{organization_id}"


def flag_in_cache() -> bool:
    """Whether the flag is kept in the cache: a shared in-memory one (Redis), not the database cache, where
    reading the flag would cost the statement it saves."""
    return "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]


@dataclass(frozen=True)
class Listeners:
    """Who listens to an organization's outbox rows: its enabled webhook subscriptions, its connected calendars."""

    webhooks: bool
    calendars: bool


def outbox_listeners(*, organization_id: uuid.UUID) -> Listeners:
    """Whether the organization has an enabled subscription and a connected calendar: the after-commit check of
    every outbox write, both in one statement.

    A per-organization flag kept in the cache with the subscriptions and calendar connections
    (``forget_subscription_flag`` drops it when one of them is saved or deleted), so a write of an organization
    without listeners runs no statement for it; on a miss, or with the database cache, one statement of two
    EXISTS (the partial index ``webhook_sub_enabled``, the connections of the organization). A cache that cannot
    be reached falls back to the statement.
    """
    if not flag_in_cache():
        return _listeners(organization_id)
    key = _flag_key(organization_id)
    try:
        found = cache.get(key)
    except Exception:  # a cache outage must not cost a dispatch
        logger.warning("outbox listeners flag unreadable; reading the subscriptions", exc_info=True)
        return _listeners(organization_id)
    if found is None:
        found = _listeners(organization_id)
        try:
            cache.set(key, (found.webhooks, found.calendars), timeout=SUBSCRIPTION_FLAG_SECONDS)
        except Exception:
            logger.warning("outbox listeners flag not kept", exc_info=True)
        return found
    return Listeners(*found)


def has_enabled_subscription(*, organization_id: uuid.UUID) -> bool:
    return outbox_listeners(organization_id=organization_id).webhooks


def forget_subscription_flag(organization_id: uuid.UUID | str) -> None:
    """Drop the organization's flag (a subscription of it changed); the next publish reads the subscriptions."""
    if flag_in_cache():
        try:
            cache.delete(_flag_key(organization_id))
        except Exception:
            logger.warning("webhook subscription flag not dropped; it expires within %ss", SUBSCRIPTION_FLAG_SECONDS)


def _listeners(organization_id: uuid.UUID | str) -> Listeners:
    """One statement of two EXISTS, written once (``_LISTENERS_SQL``): with the database cache it runs after every
    outbox write, and the ORM took longer to build it than the database to answer it."""
    from connectors.models import Connection, ConnectionStatus, Kind

    global _LISTENERS_SQL
    if _LISTENERS_SQL is None:
        quote, subscriptions, connections = connection.ops.quote_name, WebhookSubscription._meta, Connection._meta
        _LISTENERS_SQL = (
            f"SELECT EXISTS(SELECT 1 FROM {quote(subscriptions.db_table)} "
            f"WHERE {quote('organization_id')} = %s AND {quote('enabled')}), "
            f"EXISTS(SELECT 1 FROM {quote(connections.db_table)} WHERE {quote('organization_id')} = %s "
            f"AND {quote('kind')} = '{Kind.CALENDAR.value}' AND {quote('user_id')} IS NOT NULL "
            f"AND {quote('status')} <> '{ConnectionStatus.DISCONNECTED.value}')"
        )
    pk = Organization._meta.pk
    assert pk is not None
    value = pk.get_db_prep_value(uuid.UUID(str(organization_id)), connection)
    with connection.cursor() as cursor:
        cursor.execute(_LISTENERS_SQL, [value, value])
        webhooks, calendars = cursor.fetchone()
    return Listeners(bool(webhooks), bool(calendars))


_LISTENERS_SQL: str | None = None


@dataclass(frozen=True, kw_only=True)
class DeliveryFilter:
    """What ``delivery_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    subscription: uuid.UUID | None = None
    status: list[str] | None = None
    event_type: list[str] | None = None


def delivery_list(*, organization: Organization, filters: DeliveryFilter = DeliveryFilter()) -> QuerySet[WebhookDelivery]:
    """Deliveries, newest first."""
    qs = WebhookDelivery.objects.filter(organization=organization)
    if filters.subscription:
        qs = qs.filter(subscription_id=filters.subscription)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.event_type:
        qs = qs.filter(event_type__in=filters.event_type)
    return qs.order_by("-created_at", "-id")


def delivery_get(*, organization: Organization, delivery_id: uuid.UUID | str) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.filter(organization=organization, pk=delivery_id)
        .select_related("subscription")
        .prefetch_related(Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("number", "id")))
        .first()
    )


# -- the developer portal's pages ---------------------------------------------------------------
STATS_WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class SubscriptionRow:
    """A subscription with its latest delivery and its attempts of the last 24 hours."""

    subscription: WebhookSubscription
    last_status: str | None
    last_status_code: int | None
    last_attempt_at: dt.datetime | None
    attempts: int
    succeeded: int

    @property
    def success_rate(self) -> float | None:
        """Percentage of the window's attempts answered 2xx (None without attempts)."""
        return None if not self.attempts else 100.0 * self.succeeded / self.attempts


def subscription_rows(
    *, organization: Organization, subscription_id: uuid.UUID | str | None = None, now: dt.datetime | None = None
) -> list[SubscriptionRow]:
    """The organization's subscriptions (or the one ``subscription_id``), newest first, with their numbers.

    Two queries whatever the count: the subscriptions with their latest delivery (correlated
    subqueries on the ``webhook_delivery_sub_recent`` index), and one aggregate of the attempts
    of the last 24 hours grouped by subscription (the ``attempted_at`` index).
    """
    since = (now or timezone.now()) - STATS_WINDOW
    latest = WebhookDelivery.objects.filter(subscription=OuterRef("pk")).order_by("-created_at", "-id")
    qs = subscription_list(organization=organization).annotate(
        last_status=Subquery(latest.values("status")[:1]),
        last_status_code=Subquery(latest.values("last_status_code")[:1]),
        last_attempt_at=Subquery(latest.values("last_attempt_at")[:1]),
    )
    if subscription_id is not None:
        qs = qs.filter(pk=subscription_id)
    subscriptions = list(qs)
    if not subscriptions:
        return []
    attempts = WebhookAttempt.objects.filter(
        delivery__organization=organization,
        attempted_at__gte=since,
        delivery__subscription_id__in=[s.pk for s in subscriptions],
    )
    counts: dict[uuid.UUID, tuple[int, int]] = {
        row["delivery__subscription_id"]: (row["total"], row["succeeded"])
        for row in attempts.values("delivery__subscription_id")
        .order_by()
        .annotate(total=Count("id"), succeeded=Count("id", filter=Q(response_status__gte=200, response_status__lt=300)))
    }
    return [
        SubscriptionRow(
            subscription=s,
            last_status=s.last_status,  # type: ignore[attr-defined]
            last_status_code=s.last_status_code,  # type: ignore[attr-defined]
            last_attempt_at=s.last_attempt_at,  # type: ignore[attr-defined]
            attempts=counts.get(s.pk, (0, 0))[0],
            succeeded=counts.get(s.pk, (0, 0))[1],
        )
        for s in subscriptions
    ]


class InvalidCursor(ValueError):
    """A page cursor that this list did not hand out."""


@dataclass(frozen=True)
class DeliveryPage:
    """One page of deliveries, newest first; ``older`` and ``newer`` are the cursors of the pages beside it."""

    rows: list[WebhookDelivery]
    older: str | None
    newer: str | None


def _cursor(delivery: WebhookDelivery) -> str:
    raw = f"{delivery.created_at.isoformat()}|{delivery.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _position(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        created, pk = raw.split("|")
        when = dt.datetime.fromisoformat(created)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when, uuid.UUID(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor(cursor) from None


def delivery_page(
    *,
    organization: Organization,
    subscription: uuid.UUID | None = None,
    status: list[str] | None = None,
    event_type: list[str] | None = None,
    older_than: str = "",
    newer_than: str = "",
    size: int = 50,
) -> DeliveryPage:
    """A page of ``delivery_list`` by keyset on (created_at, id): one query at any depth, no count.

    ``older_than`` / ``newer_than`` take a cursor of a previous page; raises InvalidCursor for
    anything else. Rows come with their subscription (for its URL) and without the body.
    """
    qs = (
        delivery_list(
            organization=organization,
            filters=DeliveryFilter(subscription=subscription, status=status, event_type=event_type),
        )
        .select_related("subscription")
        .defer("body", "subscription__secret", "subscription__previous_secret")
    )
    if newer_than:
        when, pk = _position(newer_than)
        found = list(qs.filter(Q(created_at__gt=when) | Q(created_at=when, pk__gt=pk)).order_by("created_at", "id")[: size + 1])
        rows = found[:size][::-1]
        return DeliveryPage(
            rows, older=_cursor(rows[-1]) if rows else None, newer=_cursor(rows[0]) if len(found) > size else None
        )
    if older_than:
        when, pk = _position(older_than)
        qs = qs.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk))
    found = list(qs[: size + 1])
    rows = found[:size]
    return DeliveryPage(
        rows,
        older=_cursor(rows[-1]) if len(found) > size else None,
        newer=_cursor(rows[0]) if older_than and rows else None,
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


def export_list(*, organization: Organization) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(organization=organization).order_by("-created_at", "-id")


def export_get(*, organization: Organization, job_id: uuid.UUID | str) -> ExportJob | None:
    return ExportJob.objects.filter(organization=organization, pk=job_id).first()
