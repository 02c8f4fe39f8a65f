"""Series passes sold as gateway subscriptions (Stripe, PayPal): start, first payment, renewals, cancellation.

The rules of one-off gateway payments hold (docs/payments.md): no gateway call inside a transaction that holds a
lock (``subscription_start`` records the pass and commits, ``subscription_checkout`` then opens it at the gateway
with the key ``subscription-<id>`` and records the gateway's ids in a second transaction); a notification is a
trigger: the subscription is fetched from the gateway and its current state applied by ``subscription_apply_state``,
the one service that moves a pass, so duplicates and notifications out of order change nothing more. Cancelling
from the platform is a connector job (``payments.subscription_cancel``) whose key goes to the gateway.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from connectors import errors as connector_errors
from connectors import jobs as connector_jobs
from connectors.exceptions import VendorError
from connectors.models import Connection, ConnectorJob
from connectors.selectors import connection_active
from core import audit, locks
from core.audit import SYSTEM, Actor
from core.errors import VALIDATION_ERROR, DomainError
from events.models import Event
from payments import errors
from payments.models import ReferenceKind, Subscription, SubscriptionStatus, VendorReference
from payments.money import cents
from payments.providers import get_gateway, is_gateway
from payments.providers.base import SubscriptionCheckout, SubscriptionState
from registrations.models import TicketType

INTERVALS = ("month", "year")
CANCEL_OPERATION = "payments.subscription_cancel"


def _lock(subscription: Subscription) -> Subscription:
    with locks.bounded():
        return Subscription.objects.select_for_update().get(pk=subscription.pk)


def _invalid(message: str, target: str) -> DomainError:
    return DomainError(
        VALIDATION_ERROR, message, target=target, details=[{"target": target, "code": "INVALID", "message": message}]
    )


def subscription_start(
    *,
    actor: Actor,
    ticket_type: TicketType,
    buyer_name: str,
    buyer_email: str,
    provider: str,
    interval: str = "month",
) -> Subscription:
    """Record a series pass bought with ``ticket_type`` of a series (an event with sub-events), to be paid every
    ``interval`` at its price through the organization's connection to ``provider``; ``incomplete`` until the first
    cycle is paid. One transaction, no gateway call (``subscription_checkout`` opens it). Audited
    (``subscription.created``); publishes nothing. Raises VALIDATION_ERROR (not a series, no price, interval),
    PAYMENT_PROVIDER_NOT_ALLOWED (not a gateway, or a sandbox organization) and CONNECTION_NOT_CONFIGURED.
    """
    if interval not in INTERVALS:
        raise _invalid(f"One of: {', '.join(INTERVALS)}.", "interval")
    event = ticket_type.event
    if event.parent_id is not None or not Event.objects.filter(parent_id=event.pk).exists():
        raise _invalid("A series pass is a ticket type of a series (an event with sub-events).", "ticketTypeId")
    if ticket_type.price <= 0:
        raise _invalid("A series pass has a price.", "ticketTypeId")
    if not is_gateway(provider) or event.organization.is_sandbox:
        raise DomainError(errors.PAYMENT_PROVIDER_NOT_ALLOWED, target="provider", details={"allowed": ["stripe", "paypal"]})
    connection = connection_active(organization_id=event.organization_id, kind="payment", vendor=provider)
    if connection is None:
        raise DomainError(
            connector_errors.CONNECTION_NOT_CONFIGURED, target="provider", details={"kind": "payment", "vendor": provider}
        )
    with transaction.atomic():
        subscription = Subscription.objects.create(
            organization_id=event.organization_id,
            connection=connection,
            provider=provider,
            series=event,
            ticket_type=ticket_type,
            buyer_name=buyer_name[:200],
            buyer_email=buyer_email,
            amount=cents(ticket_type.price),
            currency=ticket_type.currency,
            interval=interval,
            created_by=str(actor.audit_label)[:255],
        )
        audit.record(
            actor=actor,
            action="subscription.created",
            target=subscription,
            organization_id=subscription.organization_id,
            changes={"amount": str(subscription.amount), "currency": subscription.currency, "interval": interval},
        )
        return subscription


def subscription_checkout(
    *, actor: Actor, subscription: Subscription, return_url: str = "", cancel_url: str = ""
) -> SubscriptionCheckout:
    """What the buyer needs to pay the first cycle (Stripe's client secret, PayPal's approval URL); opens the
    subscription at the gateway the first time. Runs OUTSIDE any transaction: the gateway is called with the key
    ``subscription-<id>`` (a retry gets the same subscription back), the answer recorded in its own transaction.
    Raises VENDOR_UNAVAILABLE, VENDOR_REJECTED."""
    from payments.services import vendor_domain_error

    gateway = get_gateway(subscription.provider)
    assert gateway is not None
    try:
        if subscription.provider_reference:
            return gateway.subscription_checkout(
                subscription.connection, provider_subscription_id=subscription.provider_reference
            )
        series = subscription.series.title if subscription.series else "Membership"
        checkout = gateway.create_subscription(
            subscription.connection,
            name=f"{series}: series pass",
            amount=subscription.amount,
            currency=subscription.currency,
            interval=subscription.interval,
            reference=str(subscription.pk),
            buyer_name=subscription.buyer_name,
            buyer_email=subscription.buyer_email,
            idempotency_key=f"subscription-{subscription.pk}",
            return_url=return_url,
            cancel_url=cancel_url,
        )
    except VendorError as exc:
        raise vendor_domain_error(exc) from exc
    _record_checkout(actor, subscription, checkout)
    return checkout


def _file(subscription: Subscription, kind: str, value: str) -> bool:
    """File a gateway id under the subscription; True when it is new."""
    _, created = VendorReference.objects.get_or_create(
        provider=subscription.provider,
        value=value,
        defaults={"organization_id": subscription.organization_id, "subscription": subscription, "kind": kind},
    )
    return created


def _record_checkout(actor: Actor, subscription: Subscription, checkout: SubscriptionCheckout) -> None:
    with transaction.atomic():
        subscription = _lock(subscription)
        for kind, value in checkout.references.items():
            if value and kind in ReferenceKind.values:
                _file(subscription, kind, value)
        if not subscription.provider_reference:
            subscription.provider_reference = checkout.provider_subscription_id
            subscription.save(update_fields=["provider_reference", "updated_at"])
            audit.record(
                actor=actor,
                action="subscription.checkout_opened",
                target=subscription,
                organization_id=subscription.organization_id,
                changes={"provider_reference": checkout.provider_subscription_id},
            )


def subscription_by_reference(*, connection: Connection, provider_subscription_id: str) -> Subscription | None:
    """The connection's pass whose gateway subscription is this (through the vendor references, never payloads)."""
    ref = (
        VendorReference.objects.filter(
            provider=connection.vendor,
            value=provider_subscription_id,
            kind=ReferenceKind.SUBSCRIPTION,
            subscription__connection=connection,
        )
        .select_related("subscription")
        .first()
    )
    return None if ref is None else ref.subscription


def subscription_refresh(*, connection: Connection, provider_subscription_id: str) -> bool:
    """A notification named this subscription: fetch it from the gateway and apply what the gateway says now
    (False: not a pass of this connection). Runs in the worker, outside transactions."""
    subscription = subscription_by_reference(connection=connection, provider_subscription_id=provider_subscription_id)
    if subscription is None:
        return False
    gateway = get_gateway(subscription.provider)
    assert gateway is not None
    state = gateway.retrieve_subscription(connection, provider_subscription_id=provider_subscription_id)
    subscription_apply_state(subscription=subscription, state=state)
    return True


_STATUS = {
    "incomplete": SubscriptionStatus.INCOMPLETE,
    "active": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "canceled": SubscriptionStatus.CANCELED,
}


def subscription_apply_state(
    *, subscription: Subscription, state: SubscriptionState, now: dt.datetime | None = None, actor: Actor = SYSTEM
) -> Subscription:
    """Bring the pass in line with the gateway's current state of its subscription. Locks the subscription row.

    Each paid cycle is filed once (a vendor reference of kind ``invoice``): ``renewals`` counts those after the
    first, and each new one is audited (``subscription.paid``); the status follows the gateway's (audited as
    ``subscription.<status>``), except that ``canceled`` is final; ``current_period_end`` never moves back. So the
    same state applied twice, or an older one after a newer, changes nothing more. Publishes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        subscription = _lock(subscription)
        if subscription.provider_reference and state.provider_subscription_id != subscription.provider_reference:
            raise ValueError(f"state of {state.provider_subscription_id} applied to subscription {subscription.pk}")
        new_cycles = [c for c in state.paid_cycles if _file(subscription, ReferenceKind.INVOICE, c)]
        paid = VendorReference.objects.filter(subscription=subscription, kind=ReferenceKind.INVOICE).count()
        for cycle in new_cycles:
            audit.record(
                actor=actor,
                action="subscription.paid",
                target=subscription,
                organization_id=subscription.organization_id,
                changes={"cycle": cycle, "amount": str(subscription.amount), "currency": subscription.currency},
            )
        if new_cycles:
            subscription.last_invoice_reference = new_cycles[-1]
        subscription.renewals = max(0, paid - 1)
        before = subscription.status
        to = _STATUS.get(state.status, before)
        if before != SubscriptionStatus.CANCELED and to != before:
            subscription.status = to
            if to == SubscriptionStatus.CANCELED:
                subscription.canceled_at = now
            audit.record(
                actor=actor,
                action=f"subscription.{to}",
                target=subscription,
                organization_id=subscription.organization_id,
                changes={"status": {"from": before, "to": to}, "reason": state.failure_reason},
            )
        end = state.current_period_end
        if end is not None and (subscription.current_period_end is None or end > subscription.current_period_end):
            subscription.current_period_end = end
        subscription.failure_reason = state.failure_reason[:500] if subscription.status == SubscriptionStatus.PAST_DUE else ""
        subscription.provider_checked_at = now
        subscription.save()
        return subscription


def subscription_cancel(*, actor: Actor, subscription: Subscription, reason: str) -> Subscription:
    """Cancel a pass from the platform: no further renewals; it stays valid to the end of the period paid for.

    Locks the subscription. One never opened at the gateway is canceled here; otherwise the cancellation is a
    connector job (``payments.subscription_cancel``, key ``subscription-<id>-cancel``) sent after the commit, and the
    pass becomes ``canceled`` when the gateway's state is applied. Audited (``subscription.cancel_requested``).
    Raises VALIDATION_ERROR (no reason)."""
    if not reason.strip():
        raise _invalid("A reason is required.", "reason")
    with transaction.atomic():
        subscription = _lock(subscription)
        if subscription.status == SubscriptionStatus.CANCELED:
            return subscription
        audit.record(
            actor=actor,
            action="subscription.cancel_requested",
            target=subscription,
            organization_id=subscription.organization_id,
            changes={"reason": reason.strip()[:500]},
        )
        if not subscription.provider_reference:
            subscription.status, subscription.canceled_at = SubscriptionStatus.CANCELED, timezone.now()
            subscription.save(update_fields=["status", "canceled_at", "updated_at"])
            return subscription
        connector_jobs.submit(
            connection=subscription.connection,
            operation=CANCEL_OPERATION,
            payload={"subscription": str(subscription.pk), "reason": reason.strip()[:128]},
            idempotency_key=f"subscription-{subscription.pk}-cancel",
        )
        return subscription


@connector_jobs.operation(CANCEL_OPERATION)
def _cancel_job(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    """Cancel the subscription at its gateway with the job's key, then apply the gateway's state."""
    subscription = Subscription.objects.get(pk=job.payload["subscription"])
    gateway = get_gateway(subscription.provider)
    assert gateway is not None
    state = gateway.cancel_subscription(
        connection,
        provider_subscription_id=subscription.provider_reference,
        idempotency_key=job.idempotency_key,
        reason=str(job.payload.get("reason") or "Canceled by the organizer"),
    )
    subscription = subscription_apply_state(subscription=subscription, state=state)
    return {"subscription": str(subscription.pk), "status": subscription.status}
