"""Writes of webhooks: subscriptions and their secrets, dispatch of outbox rows, delivery attempts, replay, purge.

Subscription services each run in one transaction and record an audit entry.
Delivery is at least once: ``outbox_dispatch`` turns committed outbox rows into
one delivery per matching subscription (unique per row and subscription, so a
second dispatcher adds nothing), and ``deliveries_attempt`` claims a batch of due
deliveries under their row locks (SKIP LOCKED on PostgreSQL) with a lease before
it sends, so two workers never send the same attempt, then records the batch's
outcomes in one transaction (ADR 0015). The schedule lives in
``next_attempt_at``; the sweep sends whatever is due.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import os
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Organization
from accounts.roles import Role
from core import audit, jobs, locks, metrics, outbox, rows, secrets
from core.audit import SYSTEM, Actor
from core.errors import DomainError
from core.models import OutboxEvent
from integrations import catalog, errors, network, signals, signing
from integrations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)

# Delay before attempt n+1 after attempt n failed: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h,
# 20 h, 24 h (ten attempts over about three days). Each delay is stretched or shrunk by up to JITTER.
RETRY_DELAYS = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.1
ROTATION_OVERLAP = dt.timedelta(hours=24)
DISABLE_AFTER_FAILING = dt.timedelta(days=5)
RETENTION = dt.timedelta(days=30)
MAX_RETRY_AFTER = 86400
# Rows a multi-row INSERT writes at most: well under the 65,535 parameters of a server-side-bound statement.
INSERT_CHUNK = 500
_EDITABLE = ("url", "description", "event_types", "event_id", "enabled", "rate_limit")


# -- subscriptions --------------------------------------------------------------------------------
def _check_url(url: str) -> str:
    """An absolute https URL (http only where ``WEBHOOK_ALLOW_HTTP``), without credentials or fragment."""
    url = url.strip()
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        raise DomainError(errors.WEBHOOK_URL_NOT_ALLOWED, "The URL must start with https://.", target="url")
    if not parts.hostname or parts.username or parts.password or parts.fragment:
        raise DomainError(
            errors.WEBHOOK_URL_NOT_ALLOWED, "Give a host, and no credentials or fragment, in the URL.", target="url"
        )
    _check_literal_address(parts.hostname)
    return url


def _check_literal_address(host: str) -> None:
    """Refuse at once a host written as a non-public IP address (``https://10.0.0.7/``).

    Only a courtesy to the subscriber: names, and the odd spellings ``getaddrinfo`` accepts,
    are checked where it matters, when each request is made (``network.checked_address``).
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return
    reason = network.refusal(str(address), allow_loopback=settings.WEBHOOK_ALLOW_LOOPBACK)
    if reason:
        raise DomainError(
            errors.WEBHOOK_URL_NOT_ALLOWED,
            f"{host} is not a public address ({reason}): webhooks are sent to public addresses only.",
            target="url",
        )


def _check_event_types(event_types: Sequence[str]) -> list[str]:
    unknown = catalog.unknown_patterns(list(event_types))
    if unknown:
        raise DomainError(errors.WEBHOOK_EVENT_TYPE_UNKNOWN, details={"unknown": unknown}, target="eventTypes")
    return list(dict.fromkeys(event_types))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: data[key] for key in _EDITABLE if key in data}
    if "url" in clean:
        clean["url"] = _check_url(clean["url"])
    if "event_types" in clean:
        clean["event_types"] = _check_event_types(clean["event_types"])
    if "event_id" in clean and clean["event_id"] is not None:
        clean["event_id"] = getattr(clean["event_id"], "pk", clean["event_id"])
    return clean


def subscription_create(*, actor: Actor, organization: Organization, data: dict[str, Any]) -> tuple[WebhookSubscription, str]:
    """A subscription and its new signing secret (returned once, stored encrypted).

    Raises WEBHOOK_URL_NOT_ALLOWED and WEBHOOK_EVENT_TYPE_UNKNOWN. Publishes nothing.
    """
    clean = _clean(data)
    secret = signing.new_secret()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            organization=organization, secret=secrets.encrypt(secret), created_by=actor.audit_label, **clean
        )
        audit.record(
            actor=actor,
            action="webhook.created",
            target=subscription,
            organization_id=organization.pk,
            changes=audit.snapshot(subscription, _EDITABLE),
        )
    return subscription, secret


def subscription_update(
    *, actor: Actor, subscription: WebhookSubscription, data: dict[str, Any], precondition: locks.Precondition | None = None
) -> WebhookSubscription:
    """Change the editable fields; enabling again clears the failure record.

    Locks the subscription row, then checks ``precondition`` on it. Raises BUSY.
    """
    clean = _clean(data)
    with transaction.atomic():
        with locks.bounded():
            locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        locks.check(precondition, locked)
        changes = audit.assign(locked, clean, _EDITABLE)
        if changes.get("enabled", {}).get("to") is True:
            locked.disabled_reason, locked.failing_since = "", None
        if changes:
            locked.save()
            audit.record(
                actor=actor, action="webhook.updated", target=locked, organization_id=locked.organization_id, changes=changes
            )
    return locked


def subscription_delete(*, actor: Actor, subscription: WebhookSubscription) -> None:
    """Delete the subscription with its deliveries and their attempts."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="webhook.deleted",
            target=subscription,
            organization_id=subscription.organization_id,
            changes={"url": {"from": subscription.url, "to": None}},
        )
        subscription.delete()


def subscription_secrets(subscription: WebhookSubscription, *, now: dt.datetime | None = None) -> list[str]:
    """The secrets that sign a request now: the current one, and the previous one during its 24 hours of overlap."""
    now = now or timezone.now()
    valid = [secrets.decrypt(subscription.secret)]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires is not None and expires > now:
        valid.append(secrets.decrypt(subscription.previous_secret))
    return valid


def subscription_reveal_secret(*, actor: Actor, subscription: WebhookSubscription) -> str:
    """The current signing secret; the reveal is audited."""
    with transaction.atomic():
        audit.record(
            actor=actor, action="webhook.secret_revealed", target=subscription, organization_id=subscription.organization_id
        )
    return secrets.decrypt(subscription.secret)


def subscription_rotate_secret(
    *, actor: Actor, subscription: WebhookSubscription, now: dt.datetime | None = None
) -> tuple[WebhookSubscription, str]:
    """A new secret; the old one keeps signing alongside it for 24 hours. Locks the subscription row."""
    now = now or timezone.now()
    secret = signing.new_secret()
    with transaction.atomic():
        with locks.bounded():
            locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        locked.previous_secret = locked.secret
        locked.previous_secret_expires_at = now + ROTATION_OVERLAP
        locked.secret = secrets.encrypt(secret)
        locked.save()
        audit.record(
            actor=actor,
            action="webhook.secret_rotated",
            target=locked,
            organization_id=locked.organization_id,
            changes={"previousSecretExpiresAt": {"from": None, "to": locked.previous_secret_expires_at.isoformat()}},
        )
    return locked, secret


def secrets_reencrypt() -> int:
    """Encrypt every stored signing secret again under the first configured key (``core.secrets``); rows locked."""
    count = 0
    with transaction.atomic(), locks.bounded():
        for subscription in WebhookSubscription.objects.select_for_update().order_by("pk"):
            subscription.secret = secrets.reencrypt(subscription.secret)
            if subscription.previous_secret:
                subscription.previous_secret = secrets.reencrypt(subscription.previous_secret)
            subscription.save(update_fields=["secret", "previous_secret"])
            count += 1
    return count


# -- the message ---------------------------------------------------------------------------------
def _iso(value: dt.datetime) -> str:
    text = value.astimezone(dt.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def render_body(message_id: str, event_type: str, occurred_at: dt.datetime, data: dict[str, Any]) -> str:
    """The envelope exactly as sent and signed: ``{"id", "event", "timestamp", "version", "data"}``."""
    envelope = {
        "id": message_id,
        "event": event_type,
        "timestamp": _iso(occurred_at),
        "version": catalog.ENVELOPE_VERSION,
        "data": data,
    }
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def _wants(subscription: WebhookSubscription, row: OutboxEvent) -> bool:
    if not catalog.matches(subscription.event_types, row.event_type):
        return False
    return subscription.event_id is None or catalog.event_id_of(row.event_type, row.data) == str(subscription.event_id)


def outbox_dispatch(
    *, outbox_ids: Sequence[uuid.UUID | str] | None = None, limit: int = 500, now: dt.datetime | None = None
) -> list[uuid.UUID]:
    """One delivery per undispatched outbox row (``outbox_ids``, else the oldest) and matching enabled subscription.

    Locks the rows FOR UPDATE SKIP LOCKED (PostgreSQL), so parallel dispatchers
    take disjoint rows; the unique (row, subscription) constraint makes a repeat a
    no-op. Rows nobody subscribed to are just marked dispatched. Returns the ids
    of the deliveries, due at once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        qs = OutboxEvent.objects.filter(dispatched_at__isnull=True)
        if outbox_ids is not None:
            qs = qs.filter(pk__in=list(outbox_ids))
        taken = list(qs.order_by("created_at", "id").select_for_update(skip_locked=True)[:limit])
        if not taken:
            return []
        by_org: dict[uuid.UUID, list[WebhookSubscription]] = defaultdict(list)
        subscriptions = WebhookSubscription.objects.filter(
            enabled=True, organization_id__in={row.organization_id for row in taken}
        ).order_by("created_at", "id")
        for subscription in subscriptions:
            by_org[subscription.organization_id].append(subscription)
        deliveries = []
        for row in taken:
            for subscription in by_org.get(row.organization_id, []):
                if _wants(subscription, row):
                    delivery = WebhookDelivery(
                        id=uuid.uuid4(),
                        organization_id=row.organization_id,
                        subscription=subscription,
                        outbox_event_id=row.id,
                        event_type=row.event_type,
                        next_attempt_at=now,
                    )
                    delivery.body = render_body(delivery.message_id, row.event_type, row.created_at, row.data)
                    deliveries.append(delivery)
        # Multi-row VALUES (core.rows): bulk_create's UNNEST arrays escape every quote of the JSON bodies in Python.
        for start in range(0, len(deliveries), INSERT_CHUNK):
            rows.insert(deliveries[start : start + INSERT_CHUNK], ignore_conflicts=True)
        OutboxEvent.objects.filter(pk__in=[row.pk for row in taken]).update(dispatched_at=now)
        signals.announce_deliveries(delivery.id for delivery in deliveries)
    return [delivery.id for delivery in deliveries]


def subscription_test(*, actor: Actor, subscription: WebhookSubscription, event_type: str) -> WebhookDelivery:
    """A test delivery of a sample ``event_type`` message (the catalog's example), due at once.

    Raises WEBHOOK_SUBSCRIPTION_DISABLED.
    """
    if not subscription.enabled:
        raise DomainError(errors.WEBHOOK_SUBSCRIPTION_DISABLED)
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery(
            id=uuid.uuid4(),
            organization_id=subscription.organization_id,
            subscription=subscription,
            event_type=event_type,
            next_attempt_at=now,
            is_test=True,
        )
        delivery.body = render_body(delivery.message_id, event_type, now, catalog.example_data(event_type))
        delivery.save(force_insert=True)
        audit.record(
            actor=actor,
            action="webhook.tested",
            target=subscription,
            organization_id=subscription.organization_id,
            changes={"eventType": {"from": None, "to": event_type}},
        )
        _send_after_commit(delivery.id)
        signals.announce_deliveries([delivery.id])
    return delivery


def delivery_replay(*, actor: Actor, delivery: WebhookDelivery, now: dt.datetime | None = None) -> WebhookDelivery:
    """Send a finished delivery again (same ``webhook-id``, a fresh retry schedule), due at once.

    Raises WEBHOOK_DELIVERY_IN_PROGRESS for a pending delivery and WEBHOOK_SUBSCRIPTION_DISABLED.
    """
    now = now or timezone.now()
    with transaction.atomic():
        with locks.bounded():
            locked = WebhookDelivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
        if locked.status == DeliveryStatus.PENDING:
            raise DomainError(errors.WEBHOOK_DELIVERY_IN_PROGRESS, details={"nextAttemptAt": locked.next_attempt_at})
        if not locked.subscription.enabled:
            raise DomainError(errors.WEBHOOK_SUBSCRIPTION_DISABLED)
        previous = locked.status
        _restart(locked, now)
        locked.save()
        audit.record(
            actor=actor,
            action="webhook_delivery.replayed",
            target=locked,
            organization_id=locked.organization_id,
            changes={"status": {"from": previous, "to": locked.status}},
        )
        _send_after_commit(locked.id)
        signals.announce_deliveries([locked.id])
    return locked


def _send_after_commit(delivery_id: uuid.UUID) -> None:
    from integrations.tasks import deliver

    jobs.enqueue(deliver, str(delivery_id))


def _restart(delivery: WebhookDelivery, now: dt.datetime) -> None:
    delivery.status = DeliveryStatus.PENDING
    delivery.attempt_count = 0
    delivery.next_attempt_at = now


def subscription_recover_request(*, actor: Actor, subscription: WebhookSubscription, since: dt.datetime) -> None:
    """Ask for every failed delivery since ``since`` to be sent again, by a background job after the commit.

    Raises WEBHOOK_SUBSCRIPTION_DISABLED (enable it first: its deliveries would fail unsent).
    """
    from integrations.tasks import recover

    if not subscription.enabled:
        raise DomainError(errors.WEBHOOK_SUBSCRIPTION_DISABLED)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="webhook.recover_requested",
            target=subscription,
            organization_id=subscription.organization_id,
            changes={"since": {"from": None, "to": since.isoformat()}},
        )
        jobs.enqueue(recover, str(subscription.pk), since.isoformat())


def subscription_recover(
    *, subscription_id: uuid.UUID | str, since: dt.datetime, now: dt.datetime | None = None
) -> list[uuid.UUID]:
    """Every failed delivery of the subscription created since ``since``, pending again with a fresh schedule.

    The job behind ``subscription_recover_request``; locks those deliveries. Returns their ids.
    """
    now = now or timezone.now()
    with transaction.atomic(), locks.bounded():
        failed = list(
            WebhookDelivery.objects.select_for_update()
            .filter(subscription_id=uuid.UUID(str(subscription_id)), status=DeliveryStatus.FAILED, created_at__gte=since)
            .values_list("id", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=failed).update(
            status=DeliveryStatus.PENDING, attempt_count=0, next_attempt_at=now, updated_at=now
        )
    return failed


# -- attempts -----------------------------------------------------------------------------------
@dataclass
class _Claim:
    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    number: int
    url: str
    message_id: str
    body: bytes
    secrets: list[str]
    wait: float


@dataclass
class Outcome:
    """What an attempt came to: ``retry_at`` is the next attempt (None when the delivery is finished)."""

    status: str
    retry_at: dt.datetime | None = None
    attempted: bool = True


def _lease() -> dt.timedelta:
    # A claimed delivery is not due again until its attempt has had time to end (a worker that dies
    # mid-request leaves it to the sweep after this). The requests of a batch go out side by side, so
    # one attempt's timeout bounds the whole batch.
    return dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + settings.WEBHOOK_LEASE_GRACE_SECONDS)


def _claim(delivery_ids: Sequence[uuid.UUID | str], now: dt.datetime) -> tuple[list[_Claim], dict[uuid.UUID, Outcome]]:
    """Claim every due delivery of ``delivery_ids`` that no other worker holds, in one transaction.

    Locks the deliveries FOR UPDATE SKIP LOCKED (a delivery another worker is claiming is
    skipped, not waited for) and moves their ``next_attempt_at`` by the lease in one UPDATE.
    A rate-limited subscription's row is locked to take its next slot. Returns the claims,
    and the outcomes of deliveries that were finished or deferred instead.
    """
    claims: list[_Claim] = []
    others: dict[uuid.UUID, Outcome] = {}
    # The deliveries are taken SKIP LOCKED (never waited for): only a rate slot's lock is waited for, bounded there.
    with transaction.atomic():
        due = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk__in=list(delivery_ids), status=DeliveryStatus.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("created_at", "id")
        )
        valid: dict[uuid.UUID, list[str]] = {}
        for delivery in due:
            subscription = delivery.subscription
            if not subscription.enabled:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
                delivery.last_error = "The subscription is disabled."
                delivery.save()
                others[delivery.id] = Outcome(status=delivery.status, attempted=False)
                continue
            wait = 0.0
            rate = subscription.rate_limit
            if rate:
                # The subscription's next free slot, claimed under its row lock: at most ``rate`` starts a second.
                with locks.bounded():
                    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
                slot = max(now, locked.rate_next_at or now)
                if slot - now > dt.timedelta(seconds=1):
                    delivery.next_attempt_at = slot
                    delivery.save(update_fields=["next_attempt_at", "updated_at"])
                    others[delivery.id] = Outcome(status=delivery.status, retry_at=slot, attempted=False)
                    continue
                locked.rate_next_at = slot + dt.timedelta(seconds=1 / rate)
                locked.save(update_fields=["rate_next_at"])
                wait = (slot - now).total_seconds()
            if subscription.pk not in valid:  # decrypted once a batch
                valid[subscription.pk] = subscription_secrets(subscription, now=now)
            claims.append(
                _Claim(
                    delivery_id=delivery.id,
                    subscription_id=subscription.pk,
                    number=delivery.attempt_count + 1,
                    url=subscription.url,
                    message_id=delivery.message_id,
                    body=delivery.body.encode(),
                    secrets=valid[subscription.pk],
                    wait=wait,
                )
            )
        if claims:
            WebhookDelivery.objects.filter(pk__in=[c.delivery_id for c in claims]).update(
                attempt_count=F("attempt_count") + 1, last_attempt_at=now, next_attempt_at=now + _lease(), updated_at=now
            )
    return claims, others


def _retry_after(headers: dict[str, str], now: dt.datetime) -> float | None:
    """Seconds from a ``Retry-After`` header (delay-seconds or HTTP-date, RFC 9110 section 10.2.3)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP-date is GMT (RFC 9110 section 5.6.7)
        when = when.replace(tzinfo=dt.UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER)


def retry_delay(attempt_number: int, retry_after: float | None = None) -> float:
    """Seconds before the next attempt after attempt ``attempt_number`` failed (the schedule, jittered)."""
    delay = RETRY_DELAYS[attempt_number - 1] * random.uniform(1 - JITTER, 1 + JITTER)
    return max(delay, retry_after or 0.0)


def delivery_attempt(*, delivery_id: uuid.UUID | str, now: dt.datetime | None = None) -> Outcome | None:
    """Send the delivery if it is due; record the attempt and what comes next (``deliveries_attempt`` of one).

    Returns None when there was nothing to do.
    """
    return deliveries_attempt(delivery_ids=[delivery_id], now=now).get(uuid.UUID(str(delivery_id)))


def deliveries_attempt(*, delivery_ids: Sequence[uuid.UUID | str], now: dt.datetime | None = None) -> dict[uuid.UUID, Outcome]:
    """Send each delivery of ``delivery_ids`` that is due; record the attempts and what comes next.

    Claims them in one transaction (``_claim``: row locks, SKIP LOCKED, a lease), sends
    the requests side by side outside any transaction, and records every outcome in one
    more transaction. 2xx succeeds; 410 disables the subscription; anything else, a
    timeout or a refused destination is retried on the schedule (``Retry-After`` of a
    429 or 503 honoured) until attempt ten fails. A subscription whose attempts have
    all failed for five days is disabled and its organization's owners are emailed.
    Returns the outcome of each delivery something was done with (absent: nothing to do,
    or another worker holds it).
    """
    now = now or timezone.now()
    claims, outcomes = _claim(delivery_ids, now)
    if len(claims) == 1:  # no thread for a single request
        sent = [_send(claims[0], now)]
    elif claims:
        sent = list(_sender().map(lambda claim: _send(claim, now), claims))
    else:
        return outcomes
    outcomes.update(_record(claims, sent, now))
    signals.announce_deliveries(claim.delivery_id for claim in claims)
    return outcomes


_pool: tuple[int, ThreadPoolExecutor] | None = None


def _sender() -> ThreadPoolExecutor:
    """This process's threads for the requests of a batch (made after a fork, never inherited)."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=settings.WEBHOOK_BATCH_SIZE, thread_name_prefix="webhook"))
    return _pool[1]


def _send(claim: _Claim, now: dt.datetime) -> tuple[dict[str, str], network.Result]:
    """The signed request of ``claim`` and what came back (no database access: it runs in a sender thread)."""
    if claim.wait > 0:
        time.sleep(claim.wait)
    timestamp = int(now.timestamp())
    headers = {
        "webhook-id": claim.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(claim.secrets, claim.message_id, timestamp, claim.body),
        "Content-Type": "application/json",
        "User-Agent": settings.WEBHOOK_USER_AGENT,
    }
    result = network.post(claim.url, headers, claim.body, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    metrics.webhook_attempt(result.status, result.duration_ms / 1000)
    return headers, result


def _record(
    claims: list[_Claim], sent: list[tuple[dict[str, str], network.Result]], now: dt.datetime
) -> dict[uuid.UUID, Outcome]:
    """Record every attempt of a batch and what comes next, in one transaction.

    Successes take one UPDATE per status code (its row lock is the only one: nothing else
    changes a claimed delivery while its lease runs, and a delete waits for it), one INSERT
    of every attempt and one conditional UPDATE ending their subscriptions' failing runs.
    A failure locks its delivery and subscription (the failing run, disabling).
    """
    outcomes: dict[uuid.UUID, Outcome] = {}
    logged: list[WebhookAttempt] = []
    with transaction.atomic(), locks.bounded():
        succeeded = [(claim, result) for claim, (_, result) in zip(claims, sent, strict=True) if _is_success(result)]
        by_status: dict[int | None, list[uuid.UUID]] = defaultdict(list)
        for claim, result in succeeded:
            by_status[result.status].append(claim.delivery_id)
        updated = sum(
            WebhookDelivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.SUCCEEDED,
                delivered_at=now,
                next_attempt_at=None,
                last_status_code=status,
                last_error="",
                updated_at=now,
            )
            for status, ids in by_status.items()
        )
        present = {claim.delivery_id for claim, _ in succeeded}
        if updated < len(present):  # deleted with its subscription while the request was out
            present = set(WebhookDelivery.objects.filter(pk__in=present).values_list("pk", flat=True))
        if present:
            # A conditional UPDATE, no row lock: workers delivering to a healthy endpoint never queue on its row.
            WebhookSubscription.objects.filter(
                pk__in={claim.subscription_id for claim, _ in succeeded if claim.delivery_id in present},
                failing_since__isnull=False,
            ).update(failing_since=None)
        for claim, (headers, result) in zip(claims, sent, strict=True):
            if _is_success(result):
                exists = claim.delivery_id in present
                outcome = Outcome(status=DeliveryStatus.SUCCEEDED if exists else DeliveryStatus.FAILED)
            else:
                failure = _record_failure(claim, result, now)
                exists, outcome = failure is not None, failure or Outcome(status=DeliveryStatus.FAILED)
            outcomes[claim.delivery_id] = outcome
            if exists:
                logged.append(_attempt_log(claim, headers, result, now))
        for start in range(0, len(logged), INSERT_CHUNK):
            rows.insert(logged[start : start + INSERT_CHUNK])
    return outcomes


def _is_success(result: network.Result) -> bool:
    return result.status is not None and 200 <= result.status < 300


def _attempt_log(claim: _Claim, headers: dict[str, str], result: network.Result, now: dt.datetime) -> WebhookAttempt:
    return WebhookAttempt(
        delivery_id=claim.delivery_id,
        number=claim.number,
        attempted_at=now,
        url=claim.url,
        request_headers=headers,
        request_body=claim.body.decode(),
        response_status=result.status,
        response_headers=result.headers,
        response_body=result.body.decode(errors="replace"),
        duration_ms=result.duration_ms,
        error=result.error,
    )


def _record_failure(claim: _Claim, result: network.Result, now: dt.datetime) -> Outcome | None:
    """Schedule the next attempt of a failed one (inside ``_record``'s transaction); None when the delivery is gone."""
    delivery = WebhookDelivery.objects.select_for_update().filter(pk=claim.delivery_id).first()
    if delivery is None:  # its subscription was deleted while the request was out
        return None
    delivery.last_status_code = result.status
    delivery.last_error = result.error
    subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
    if result.status == 410:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        _disable(subscription, "gone", f"{claim.url} answered 410 Gone.")
    else:
        if delivery.attempt_count >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            retry_after = _retry_after(result.headers, now) if result.status in (429, 503) else None
            delay = retry_delay(delivery.attempt_count, retry_after)
            delivery.next_attempt_at = now + dt.timedelta(seconds=delay)
        if subscription.failing_since is None:
            subscription.failing_since = now
            subscription.save(update_fields=["failing_since"])
        elif now - subscription.failing_since >= DISABLE_AFTER_FAILING and subscription.enabled:
            _disable(subscription, "failing", f"Every attempt to {claim.url} failed since {_iso(subscription.failing_since)}.")
    delivery.save()
    return Outcome(status=delivery.status, retry_at=delivery.next_attempt_at)


def _disable(subscription: WebhookSubscription, reason: str, why: str) -> None:
    """Disable ``subscription`` (inside the caller's transaction), audit it and email the owners after the commit."""
    if not subscription.enabled:
        return
    subscription.enabled, subscription.disabled_reason = False, reason
    subscription.save(update_fields=["enabled", "disabled_reason", "updated_at"])
    audit.record(
        actor=SYSTEM,
        action="webhook.disabled",
        target=subscription,
        organization_id=subscription.organization_id,
        changes={"enabled": {"from": True, "to": False}, "disabledReason": {"from": "", "to": reason}},
    )
    if reason == "failing":
        transaction.on_commit(lambda: _email_owners(subscription, why))


def _email_owners(subscription: WebhookSubscription, why: str) -> None:
    owners = account_selectors.member_list(
        organization=subscription.organization, filters=account_selectors.MemberFilter(role=Role.OWNER)
    )
    recipients = sorted({m.user.email for m in owners.select_related("user") if m.user.email})
    if not recipients:
        return
    send_mail(
        subject="A webhook subscription was disabled",
        message=(
            f"The webhook subscription to {subscription.url} has been disabled: {why}\n\n"
            "Fix the receiver, then enable the subscription again and recover the failed deliveries "
            f"(POST /api/v1/webhooks/{subscription.pk}/recover).\n\n{settings.SITE_URL}/api/docs/"
        ),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )


# -- retention ------------------------------------------------------------------------------------
def attempts_purge(*, now: dt.datetime | None = None) -> int:
    """Delete attempt logs older than 30 days, finished deliveries untouched for as long, and outbox rows
    dispatched before then (``core.outbox.purge_dispatched``). Returns attempts deleted."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _ = WebhookAttempt.objects.filter(attempted_at__lt=cutoff).delete()
    WebhookDelivery.objects.filter(updated_at__lt=cutoff).exclude(status=DeliveryStatus.PENDING).delete()
    outbox.purge_dispatched(before=cutoff)
    return deleted
