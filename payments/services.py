"""Writes of payments: create for an order's registrations, confirm (charge), refund; invoices on success.

Lock order, the same as the registrations app's so the two never deadlock: the
event row first, then registrations / the payment, then the organization's
invoice sequence row. Each service is one transaction, records an audit entry
for every row it changes and publishes ``payment.*`` to the outbox in it.

The sandbox provider is called inside the transaction (it is in process). A real
gateway (Stripe, PayPal) is never called in a transaction that holds a lock: the
decision is recorded in one transaction, the gateway called after the commit
with an idempotency key, and its answer recorded in a second transaction by
``payment_apply_provider_state``, the one service that moves a gateway payment
(notifications, return-from-redirect and the reconciliation job all call it). A
crash between the two is finished by the reconciliation job (docs/payments.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from connectors import errors as connector_errors
from connectors import jobs as connector_jobs
from connectors.exceptions import VendorError
from connectors.models import Connection
from connectors.selectors import connection_active
from core import audit, jobs, locks
from core.audit import SYSTEM, Actor
from core.errors import VALIDATION_ERROR, DomainError
from events.models import Event
from payments import errors
from payments.models import (
    COVERING,
    TRANSITIONS,
    CaptureMethod,
    Dispute,
    DisputeStatus,
    Invoice,
    InvoiceSequence,
    Payment,
    PaymentItem,
    PaymentStatus,
    ReferenceKind,
    Refund,
    RefundStatus,
    VendorReference,
)
from payments.money import cents, split_gross
from payments.payloads import publish_payment
from payments.providers import get_gateway, get_provider, is_gateway
from payments.providers.base import Checkout, InvalidCard, ProviderError, ProviderState, RefundState
from payments.providers.offline import METHODS as OFFLINE_METHODS
from payments.providers.offline import OfflineProvider
from payments.providers.sandbox import SandboxProvider
from registrations import errors as registration_errors
from registrations import services as registration_services
from registrations.models import Registration, RegistrationStatus

# A sandbox organization pays through this provider only (ADR 0010): no real money moves in a sandbox.
SANDBOX_PROVIDER = SandboxProvider.name
DEFAULT_PROVIDER = SANDBOX_PROVIDER  # until the real providers arrive (Stripe, PayPal)


class _Declined(Exception):
    """Rolls back the confirmations tried before a declined charge (to the savepoint)."""


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _lock_event(event_id: Any) -> Event:
    """The event, locked, with its organization (its kind decides the providers allowed) in the same query.

    of=("self",): the lock is on the event only (PostgreSQL also refuses FOR UPDATE on the nullable side of an outer join).
    """
    with locks.bounded():
        return Event.objects.select_for_update(of=("self",), no_key=True).select_related("organization").get(pk=event_id)


def _lock_payment(payment: Payment) -> Payment:
    with locks.bounded():
        return Payment.objects.select_for_update().get(pk=payment.pk)


def _guard(current: str, to: str) -> None:
    """Raise PAYMENT_INVALID_TRANSITION unless the transition table allows ``current`` -> ``to``."""
    if to not in TRANSITIONS[current]:
        allowed_from = sorted(s for s, targets in TRANSITIONS.items() if to in targets)
        raise DomainError(
            errors.PAYMENT_INVALID_TRANSITION,
            f"A {current.replace('_', ' ')} payment cannot become {to.replace('_', ' ')}.",
            details={"from": current, "to": to, "allowedFrom": allowed_from},
            target="status",
        )


def _move(actor: Actor, payment: Payment, to: str, extra: dict[str, Any] | None = None) -> None:
    """Set ``payment.status`` to ``to`` (guarded by the transition table) and audit the move."""
    current = payment.status
    _guard(current, to)
    payment.status = to
    audit.record(
        actor=actor,
        action=f"payment.{to}",
        target=payment,
        organization_id=payment.organization_id,
        changes={"status": {"from": current, "to": to}, **(extra or {})},
    )


# -- create -----------------------------------------------------------------------------------
def payment_create(
    *,
    actor: Actor,
    registrations: Sequence[Registration],
    provider: str = DEFAULT_PROVIDER,
    now: dt.datetime | None = None,
    capture: bool = True,
) -> Payment:
    """A payment in ``requires_payment`` for pending registrations of one event; amount = the sum of their ticket prices.

    Locks the event, then the registrations (so two parallel creates for one
    registration are serialized and the second sees the first's payment).
    Publishes nothing (``payment.*`` types describe outcomes). Raises
    PAYMENT_MIXED_ORDER, PAYMENT_REGISTRATION_NOT_PAYABLE, PAYMENT_REGISTRATION_EXPIRED,
    PAYMENT_EXISTS, PAYMENT_NOTHING_TO_PAY, PAYMENT_PROVIDER_ERROR, and PAYMENT_PROVIDER_NOT_ALLOWED for any
    provider but the sandbox's in a sandbox organization. A gateway (Stripe) needs the organization's connection
    to it (CONNECTION_NOT_CONFIGURED) and is not called here: ``payment_checkout`` opens the checkout after the
    commit. ``capture=False`` (gateways only): the gateway authorizes and the platform captures (``payment_capture_submit``).
    """
    now = now or timezone.now()
    gateway = is_gateway(provider)
    if not registrations:
        raise DomainError(VALIDATION_ERROR, "Give at least one registration.", target="registrationIds")
    event_ids = {r.event_id for r in registrations}
    org_ids = {r.organization_id for r in registrations}
    if len(event_ids) != 1 or len(org_ids) != 1:
        raise DomainError(
            errors.PAYMENT_MIXED_ORDER, target="registrationIds", details="The registrations are of several events."
        )
    with transaction.atomic():
        event = _lock_event(event_ids.pop())
        if provider != SANDBOX_PROVIDER and event.organization.is_sandbox:
            raise DomainError(errors.PAYMENT_PROVIDER_NOT_ALLOWED, target="provider", details={"allowed": [SANDBOX_PROVIDER]})
        connection: Connection | None = None
        if gateway:
            connection = connection_active(organization_id=event.organization_id, kind="payment", vendor=provider)
            if connection is None:
                raise DomainError(
                    connector_errors.CONNECTION_NOT_CONFIGURED, target="provider", details={"kind": "payment", "vendor": provider}
                )
        with locks.bounded():
            rows = list(
                Registration.objects.select_for_update(of=("self",))
                .select_related("ticket_type")
                .filter(pk__in=[r.pk for r in registrations], event_id=event.pk)
                .order_by("created_at", "id")
            )
        for registration in rows:
            if registration.status != RegistrationStatus.PENDING_PAYMENT:
                raise DomainError(
                    errors.PAYMENT_REGISTRATION_NOT_PAYABLE,
                    target="registrationIds",
                    details={"registrationId": str(registration.pk), "status": registration.status},
                )
            if registration.expires_at is not None and registration.expires_at <= now:
                raise DomainError(
                    errors.PAYMENT_REGISTRATION_EXPIRED,
                    target="registrationIds",
                    details={"registrationId": str(registration.pk), "expiresAt": _iso(registration.expires_at)},
                )
        covering = (
            PaymentItem.objects.filter(registration_id__in=[r.pk for r in rows], payment__status__in=COVERING)
            .order_by("payment__created_at")
            .values_list("payment_id", "registration_id")
            .first()
        )
        if covering is not None:
            raise DomainError(
                errors.PAYMENT_EXISTS,
                target="registrationIds",
                details={"paymentId": str(covering[0]), "registrationId": str(covering[1])},
            )
        currencies = {r.ticket_type.currency for r in rows}
        if len(currencies) != 1:
            raise DomainError(
                errors.PAYMENT_MIXED_ORDER, target="registrationIds", details="The ticket types differ in currency."
            )
        currency = currencies.pop()
        amount = cents(sum((r.ticket_type.price for r in rows), Decimal("0")))
        if amount <= 0:
            raise DomainError(errors.PAYMENT_NOTHING_TO_PAY, target="registrationIds")
        payment_id = uuid.uuid4()
        reference = ""
        if not gateway:  # in process; a gateway is called after the commit (payment_checkout)
            try:
                reference = (
                    get_provider(provider)
                    .create(amount=amount, currency=currency, reference=str(payment_id), metadata={"eventId": str(event.pk)})
                    .id
                )
            except ProviderError as exc:
                raise DomainError(errors.PAYMENT_PROVIDER_ERROR, details=str(exc)) from exc
        payment = Payment.objects.create(
            id=payment_id,
            organization_id=event.organization_id,
            event=event,
            amount=amount,
            currency=currency,
            provider=provider,
            provider_reference=reference,
            connection=connection,
            capture_method=CaptureMethod.AUTOMATIC if capture or not gateway else CaptureMethod.MANUAL,
            created_by=str(actor.audit_label)[:255],
        )
        PaymentItem.objects.bulk_create(
            PaymentItem(
                payment=payment,
                registration=r,
                ticket_type=r.ticket_type,
                amount=cents(r.ticket_type.price),
                tax_rate=r.ticket_type.tax_rate,
            )
            for r in rows
        )
        audit.record(
            actor=actor,
            action="payment.created",
            target=payment,
            organization_id=payment.organization_id,
            changes={
                "amount": str(amount),
                "currency": currency,
                "provider": provider,
                "registrations": [str(r.pk) for r in rows],
            },
        )
        return payment


# -- offline ----------------------------------------------------------------------------------
def payment_record_offline(
    *,
    actor: Actor,
    registrations: Sequence[Registration],
    method: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Payment:
    """Record that an organizer took the money for pending registrations outside the platform (cash, terminal, transfer).

    One transaction: ``payment_create`` with the offline provider (locks the
    event, then the registrations), then the payment's lock; the registrations
    are confirmed (``registration.confirmed`` each, no expiry left), the payment
    is ``succeeded`` with ``method`` in its provider reference, the invoice is
    issued and ``payment.completed`` published. Raises VALIDATION_ERROR (unknown
    method) and what ``payment_create`` and ``registration_confirm`` raise.
    """
    if method not in OFFLINE_METHODS:
        raise DomainError(
            VALIDATION_ERROR,
            "Choose how the money was received.",
            target="method",
            details=[{"target": "method", "code": "INVALID_CHOICE", "message": f"One of: {', '.join(OFFLINE_METHODS)}."}],
        )
    now = now or timezone.now()
    with transaction.atomic():
        created = payment_create(actor=actor, registrations=registrations, provider=OfflineProvider.name, now=now)
        payment = _lock_payment(created)
        _move(actor, payment, PaymentStatus.PROCESSING)
        items = list(payment.items.select_related("registration__ticket_type").order_by("id"))
        for item in items:
            registration_services.registration_confirm(actor=actor, registration=item.registration, now=now)
        payment.provider_reference = f"{method}:{payment.pk}"
        payment.succeeded_at = now
        _move(actor, payment, PaymentStatus.SUCCEEDED, {"method": method, "note": note.strip()[:500]})
        payment.save()
        _issue_invoice(actor, payment, items, now)
        publish_payment("payment.completed", payment)
        return payment


# -- confirm ----------------------------------------------------------------------------------
def payment_confirm(*, actor: Actor, payment: Payment, card_number: str, now: dt.datetime | None = None) -> Payment:
    """Charge the card: requires_payment -> processing -> succeeded or failed.

    Locks the event, then the payment, then (through
    ``registrations.services.registration_confirm``) each registration, and on
    success the organization's invoice sequence row. The registrations are
    confirmed in a savepoint before the charge, so a registration that can no
    longer be confirmed (cancelled, expired with its seat gone) fails the call
    before any money moves and leaves everything unchanged.

    Success: every registration confirmed (``registration.confirmed`` each), the
    invoice issued, ``payment.completed`` published. Decline: the payment is
    ``failed`` with the provider's code, ``payment.failed`` published, the
    registrations stay pending until they expire; the payment is returned (the
    API answers 402). Raises PAYMENT_INVALID_TRANSITION, PAYMENT_CARD_INVALID
    (nothing changed), PAYMENT_PROVIDER_ERROR, and the registrations'
    REGISTRATION_INVALID_TRANSITION / REGISTRATION_EXPIRED.
    """
    now = now or timezone.now()
    if payment.connection_id is not None or is_gateway(payment.provider):
        raise DomainError(
            errors.PAYMENT_INVALID_TRANSITION,
            f"A {payment.provider} payment is confirmed by the buyer at {payment.provider} (its checkout), not with a card number here.",
            details={"from": payment.status, "to": PaymentStatus.PROCESSING, "allowedFrom": []},
            target="status",
        )
    with transaction.atomic():
        _lock_event(payment.event_id)
        payment = _lock_payment(payment)
        _move(actor, payment, PaymentStatus.PROCESSING)
        items = list(payment.items.select_related("registration__ticket_type").order_by("id"))
        provider = get_provider(payment.provider)
        try:
            with transaction.atomic():
                for item in items:
                    registration_services.registration_confirm(actor=actor, registration=item.registration, now=now)
                result = provider.confirm(provider_payment_id=payment.provider_reference, card_number=card_number)
                payment.card_brand, payment.card_last4 = result.card_brand, result.card_last4
                if not result.succeeded:
                    raise _Declined
                _move(actor, payment, PaymentStatus.SUCCEEDED)
                payment.succeeded_at = now
                payment.save()
                _issue_invoice(actor, payment, items, now)
                publish_payment("payment.completed", payment)
        except _Declined:
            payment.failure_code, payment.failure_message = result.failure_code, result.failure_message
            payment.failed_at = now
            _move(actor, payment, PaymentStatus.FAILED, {"failure_code": result.failure_code})
            payment.save()
            publish_payment("payment.failed", payment)
        except InvalidCard as exc:
            raise DomainError(errors.PAYMENT_CARD_INVALID, details=str(exc), target="cardNumber") from exc
        except ProviderError as exc:
            raise DomainError(errors.PAYMENT_PROVIDER_ERROR, details=str(exc)) from exc
        except DomainError as exc:
            if exc.error in (registration_errors.REGISTRATION_INVALID_TRANSITION, registration_errors.REGISTRATION_EXPIRED):
                exc.target = "registrationIds"
            raise
        return payment


def _next_invoice_number(organization_id: Any, year: int) -> str:
    """Take the organization's next number for ``year`` under the sequence row's lock (gapless: the
    number is taken in the transaction that issues the invoice, so a rollback returns it)."""
    with locks.bounded():
        sequence, _ = InvoiceSequence.objects.select_for_update().get_or_create(organization_id=organization_id, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"INV-{year}-{sequence.last_number:06d}"


def _invoice_lines(items: Sequence[PaymentItem], event: Event) -> list[dict[str, Any]]:
    """One line per ticket type and price; the price is gross (tax included), the tax split off per line."""
    grouped: dict[tuple[Any, Decimal, Decimal], list[PaymentItem]] = defaultdict(list)
    names: dict[Any, str] = {}
    for item in items:
        grouped[(item.ticket_type_id, item.amount, item.tax_rate)].append(item)
        names[item.ticket_type_id] = item.registration.ticket_type.name
    lines = []
    for (ticket_type_id, unit, rate), group in grouped.items():
        gross = cents(unit * len(group))
        net, tax = split_gross(gross, rate)
        lines.append(
            {
                "description": f"{event.title}: {names[ticket_type_id]}",
                "ticket_type_id": str(ticket_type_id),
                "quantity": len(group),
                "unit_price": str(cents(unit)),
                "tax_rate": str(rate),
                "net": str(net),
                "tax": str(tax),
                "gross": str(gross),
            }
        )
    return lines


def _issue_invoice(actor: Actor, payment: Payment, items: Sequence[PaymentItem], now: dt.datetime) -> Invoice:
    event = payment.event
    organization = event.organization
    lines = _invoice_lines(items, event)
    buyer = items[0].registration
    invoice = Invoice.objects.create(
        organization_id=payment.organization_id,
        payment=payment,
        number=_next_invoice_number(payment.organization_id, now.year),
        issuer={"name": organization.name, "organization_id": str(organization.pk), "slug": organization.slug},
        buyer_name=buyer.attendee_name,
        buyer_email=buyer.attendee_email,
        lines=lines,
        currency=payment.currency,
        total_net=sum((Decimal(line["net"]) for line in lines), Decimal("0.00")),
        total_tax=sum((Decimal(line["tax"]) for line in lines), Decimal("0.00")),
        total_gross=sum((Decimal(line["gross"]) for line in lines), Decimal("0.00")),
        issued_at=now,
    )
    audit.record(
        actor=actor,
        action="invoice.issued",
        target=invoice,
        organization_id=invoice.organization_id,
        changes={"number": invoice.number, "payment": str(payment.pk), "gross": str(invoice.total_gross)},
    )
    receipt_schedule(invoice=invoice)
    return invoice


# -- receipts ---------------------------------------------------------------------------------
def receipt_schedule(*, invoice: Invoice) -> None:
    """Email the invoice's receipt (PDF attached) from a task once the current transaction commits.

    The one entry point for every path on which a payment succeeds (issuing an
    invoice calls it). Safe to call more than once: the task sends a receipt once
    per invoice (``payments.receipts``), and the sweep sends any whose task was lost.
    """
    from payments.tasks import send_receipt

    jobs.enqueue(send_receipt, str(invoice.pk))


# -- refund -----------------------------------------------------------------------------------
def payment_refund(
    *, actor: Actor, payment: Payment, reason: str, amount: Decimal | None = None, now: dt.datetime | None = None
) -> Refund:
    """Refund ``amount`` (default: all that is left) of a succeeded payment.

    Locks the payment. The status becomes ``refunded`` when nothing is left,
    else ``partially_refunded``. Refunds do not cancel registrations (that is a
    separate action). Publishes ``payment.refunded`` with the refund under
    ``refund``. Raises VALIDATION_ERROR (no reason, amount not positive),
    PAYMENT_INVALID_TRANSITION, REFUND_EXCEEDS_PAYMENT and PAYMENT_PROVIDER_ERROR.
    """
    if not reason or not reason.strip():
        raise DomainError(
            VALIDATION_ERROR,
            "A refund reason is required.",
            target="reason",
            details=[{"target": "reason", "code": "REQUIRED", "message": "A refund reason is required."}],
        )
    with transaction.atomic():
        payment = _lock_payment(payment)
        left = payment.refundable - _pending_refunds(payment)
        value = left if amount is None else cents(amount)
        _guard(payment.status, PaymentStatus.REFUNDED)
        if value <= 0:
            raise DomainError(
                VALIDATION_ERROR,
                "The amount must be positive.",
                target="amount",
                details=[{"target": "amount", "code": "MIN_VALUE", "message": "The amount must be positive."}],
            )
        if value > left:
            raise DomainError(
                errors.REFUND_EXCEEDS_PAYMENT,
                target="amount",
                details={"refundable": str(left), "requested": str(value), "currency": payment.currency},
            )
        if payment.connection_id is not None:
            return _refund_submit(actor, payment, value, reason.strip())
        try:
            provider_refund = get_provider(payment.provider).refund(provider_payment_id=payment.provider_reference, amount=value)
        except ProviderError as exc:
            raise DomainError(errors.PAYMENT_PROVIDER_ERROR, details=str(exc)) from exc
        refund = Refund.objects.create(
            organization_id=payment.organization_id,
            payment=payment,
            amount=value,
            reason=reason.strip(),
            provider_reference=provider_refund.id,
            created_by=str(actor.audit_label)[:255],
        )
        _add_refunded(actor, payment, value, refund)
        audit.record(
            actor=actor,
            action="refund.created",
            target=refund,
            organization_id=payment.organization_id,
            changes={"amount": str(value), "reason": refund.reason, "payment": str(payment.pk)},
        )
        publish_payment("payment.refunded", payment, refund)
        return refund


def registration_cancel_and_refund(
    *, actor: Actor, registration: Registration, reason: str, now: dt.datetime | None = None
) -> Refund | None:
    """Cancel a registration and refund what it was paid (its ticket's share of its payment), all or nothing.

    One transaction: ``payment_refund`` on the registration's collected payment
    (locks the payment) for the registration's item amount, capped at what is
    left, then ``registrations.services.registration_cancel`` (locks the event,
    then the registration). An unpaid registration is only cancelled (returns None).
    Raises what the two services raise.
    """
    with transaction.atomic():
        item = (
            PaymentItem.objects.filter(
                registration_id=registration.pk,
                payment__status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED),
            )
            .select_related("payment")
            .order_by("-payment__created_at")
            .first()
        )
        refund = None
        if item is not None:
            amount = min(item.amount, item.payment.refundable)
            if amount > 0:
                refund = payment_refund(actor=actor, payment=item.payment, reason=reason, amount=amount, now=now)
        registration_services.registration_cancel(actor=actor, registration=registration, reason=reason, now=now)
        return refund


def _add_refunded(actor: Actor, payment: Payment, value: Decimal, refund: Refund) -> None:
    """Add a refund that went through to the locked payment: ``refunded`` when nothing is left, else partially."""
    before = payment.refunded_amount
    payment.refunded_amount = before + value
    to = PaymentStatus.REFUNDED if payment.refunded_amount == payment.amount else PaymentStatus.PARTIALLY_REFUNDED
    _move(
        actor,
        payment,
        to,
        {"refunded_amount": {"from": str(before), "to": str(payment.refunded_amount)}, "refund": str(refund.pk)},
    )
    payment.save()


def _pending_refunds(payment: Payment) -> Decimal:
    """What pending gateway refunds of the payment will take (they count against what is left to refund)."""
    total = Refund.objects.filter(payment=payment, status=RefundStatus.PENDING).aggregate(t=models.Sum("amount"))["t"]
    return total or Decimal("0.00")


def _refund_submit(actor: Actor, payment: Payment, value: Decimal, reason: str) -> Refund:
    """A gateway refund: recorded ``pending`` and sent by a connector job after the commit (its key makes a retry
    refund once); ``payment_refund_record`` applies the gateway's answer."""
    assert payment.connection is not None
    refund_id = uuid.uuid4()
    refund = Refund.objects.create(
        id=refund_id,
        organization_id=payment.organization_id,
        payment=payment,
        amount=value,
        reason=reason,
        status=RefundStatus.PENDING,
        idempotency_key=f"refund-{refund_id}",
        created_by=str(actor.audit_label)[:255],
    )
    audit.record(
        actor=actor,
        action="refund.requested",
        target=refund,
        organization_id=payment.organization_id,
        changes={"amount": str(value), "reason": reason, "payment": str(payment.pk), "status": RefundStatus.PENDING},
    )
    connector_jobs.submit(
        connection=payment.connection,
        operation=REFUND_OPERATION,
        payload={"refund": str(refund.pk)},
        idempotency_key=refund.idempotency_key,
    )
    return refund


# -- gateways: checkout, the provider's state applied, refunds recorded -----------------------
REFUND_OPERATION = "payments.refund"
CAPTURE_OPERATION = "payments.capture"


def _checkout_key(payment: Payment) -> str:
    return f"payment-{payment.pk}-checkout"


def payment_checkout(
    *, actor: Actor, payment: Payment, return_url: str = "", cancel_url: str = "", capture: bool | None = None
) -> Checkout:
    """What the buyer's client needs to pay a gateway payment; opens the checkout at the gateway the first time.

    Runs OUTSIDE any transaction: the gateway is called with the payment's checkout key (a retry, or the
    reconciliation job after a crash, gets the same intent/order back), then the answer is recorded in its own
    transaction. ``capture`` defaults to the payment's ``capture_method`` (the same parameters under the same key,
    whoever opens it). Raises PAYMENT_INVALID_TRANSITION (not a gateway payment, or no longer payable),
    VENDOR_UNAVAILABLE and VENDOR_REJECTED.
    """
    gateway = get_gateway(payment.provider)
    if gateway is None or payment.connection is None:
        raise DomainError(
            errors.PAYMENT_INVALID_TRANSITION,
            "Only a gateway payment has a checkout.",
            details={"from": payment.status, "to": PaymentStatus.PROCESSING, "allowedFrom": []},
            target="provider",
        )
    if payment.status not in (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.PROCESSING):
        _guard(payment.status, PaymentStatus.PROCESSING)
    try:
        if payment.provider_reference:
            return gateway.checkout(payment.connection, provider_payment_id=payment.provider_reference)
        items = list(payment.items.order_by("id").values_list("registration_id", flat=True))
        checkout = gateway.create_checkout(
            payment.connection,
            amount=payment.amount,
            currency=payment.currency,
            reference=str(payment.pk),
            metadata={
                "payment_id": str(payment.pk),
                "event_id": str(payment.event_id),
                "registration_ids": ",".join(str(i) for i in items),
            },
            idempotency_key=_checkout_key(payment),
            capture=payment.capture_method == CaptureMethod.AUTOMATIC if capture is None else capture,
            return_url=return_url,
            cancel_url=cancel_url,
        )
    except VendorError as exc:
        raise vendor_domain_error(exc) from exc
    payment_record_checkout(actor=actor, payment=payment, checkout=checkout)
    return checkout


def vendor_domain_error(exc: VendorError) -> DomainError:
    """The API's error for a gateway that failed: VENDOR_UNAVAILABLE (retry later) or VENDOR_REJECTED."""
    from connectors.exceptions import Rejected

    if isinstance(exc, Rejected):
        return DomainError(connector_errors.VENDOR_REJECTED, details=exc.message)
    return DomainError(connector_errors.VENDOR_UNAVAILABLE, details=exc.message)


def payment_record_checkout(*, actor: Actor, payment: Payment, checkout: Checkout) -> Payment:
    """File the gateway's ids of a checkout just opened under the payment (one transaction; idempotent)."""
    with transaction.atomic():
        payment = _lock_payment(payment)
        if payment.provider_reference and payment.provider_reference != checkout.provider_payment_id:
            raise ValueError(f"payment {payment.pk} already has {payment.provider_reference}")
        references = {"intent" if payment.provider == "stripe" else "order": checkout.provider_payment_id}
        references.update(checkout.references)
        for kind, value in references.items():
            _file_reference(payment, kind, value)
        if not payment.provider_reference:
            payment.provider_reference = checkout.provider_payment_id
            payment.provider_status = checkout.status
            payment.save(update_fields=["provider_reference", "provider_status", "updated_at"])
            audit.record(
                actor=actor,
                action="payment.checkout_opened",
                target=payment,
                organization_id=payment.organization_id,
                changes={"provider_reference": checkout.provider_payment_id, "provider_status": checkout.status},
            )
        return payment


def _file_reference(payment: Payment, kind: str, value: str) -> None:
    if not value:
        return
    VendorReference.objects.get_or_create(
        provider=payment.provider,
        value=value,
        defaults={"organization_id": payment.organization_id, "payment": payment, "kind": kind},
    )


def payment_by_reference(*, provider: str, value: str, connection: Connection | None = None) -> Payment | None:
    """The payment a gateway's id (intent, charge, refund, dispute, ...) belongs to, through the reference table;
    within ``connection``'s organization when given (a notification never reaches another tenant's payment)."""
    qs = VendorReference.objects.filter(provider=provider, value=value, payment__isnull=False)
    if connection is not None:
        qs = qs.filter(organization_id=connection.organization_id, payment__connection=connection)
    ref = qs.select_related("payment").first()
    return None if ref is None else ref.payment


def _confirm_registrations(actor: Actor, payment: Payment, items: Sequence[PaymentItem], now: dt.datetime) -> None:
    """Confirm the payment's registrations; one that can no longer be confirmed (cancelled, its seat gone) is
    audited and left for the organizer to refund: the money is in either way."""
    for item in items:
        if item.registration.status == RegistrationStatus.CONFIRMED:
            continue
        try:
            with transaction.atomic():
                registration_services.registration_confirm(actor=actor, registration=item.registration, now=now)
        except DomainError as exc:
            audit.record(
                actor=actor,
                action="payment.registration_not_confirmed",
                target=payment,
                organization_id=payment.organization_id,
                changes={"registration": str(item.registration_id), "error": exc.error.code},
            )


def payment_apply_provider_state(
    *, payment: Payment, state: ProviderState, now: dt.datetime | None = None, actor: Actor = SYSTEM
) -> Payment:
    """Bring the payment in line with what the gateway says NOW; the one service for notifications, the return
    from a redirect and reconciliation.

    Locks the event, then the payment (the registrations' order). Idempotent and order-free: the state is the
    gateway's current one, every move is guarded by the transition table, and the registrations are confirmed,
    the invoice issued and ``payment.completed`` published only on the move to ``succeeded`` (so exactly once
    however often and in whatever order it is called). A failed or canceled gateway payment becomes ``failed``
    (``payment.failed``). Refunds and disputes the gateway knows of are recorded (``payment.refunded`` per refund
    that succeeds). Every change is audited.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock_event(payment.event_id)
        payment = _lock_payment(payment)
        if payment.provider_reference and state.provider_payment_id != payment.provider_reference:
            raise ValueError(f"state of {state.provider_payment_id} applied to payment {payment.pk}")
        if not payment.provider_reference:
            payment.provider_reference = state.provider_payment_id
            _file_reference(payment, "intent" if payment.provider == "stripe" else "order", state.provider_payment_id)
        for kind, value in state.references:
            _file_reference(payment, kind, value)
        before = payment.provider_status
        payment.provider_status = state.status
        payment.provider_checked_at = now
        if state.payment_method:
            payment.payment_method = state.payment_method[:100]
        if state.card_brand:
            payment.card_brand, payment.card_last4 = state.card_brand[:20], state.card_last4[:4]
        if before != state.status:
            audit.record(
                actor=actor,
                action="payment.provider_status",
                target=payment,
                organization_id=payment.organization_id,
                changes={"provider_status": {"from": before, "to": state.status}},
            )
        open_ = payment.status in (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.PROCESSING)
        if open_ and state.status in ("authorized", "processing", "succeeded", "failed", "canceled"):
            if payment.status == PaymentStatus.REQUIRES_PAYMENT:
                _move(actor, payment, PaymentStatus.PROCESSING)
            if state.status == "succeeded":
                items = list(payment.items.select_related("registration__ticket_type").order_by("id"))
                _confirm_registrations(actor, payment, items, now)
                _move(actor, payment, PaymentStatus.SUCCEEDED)
                payment.succeeded_at = now
                payment.failure_code = payment.failure_message = ""  # an earlier declined funding source, paid after all
                payment.save()
                _issue_invoice(actor, payment, items, now)
                publish_payment("payment.completed", payment)
            elif state.status in ("failed", "canceled"):
                payment.failure_code = (state.failure_code or state.status)[:64]
                payment.failure_message = state.failure_message[:500]
                payment.failed_at = now
                _move(actor, payment, PaymentStatus.FAILED, {"failure_code": payment.failure_code})
                payment.save()
                publish_payment("payment.failed", payment)
        elif payment.status == PaymentStatus.FAILED and state.status == "succeeded":
            # The buyer paid the same intent again after a decline: the money is in; the organizer decides.
            audit.record(
                actor=actor,
                action="payment.succeeded_after_failure",
                target=payment,
                organization_id=payment.organization_id,
                changes={"provider_reference": payment.provider_reference},
            )
        payment.save()
        for refund_state in state.refunds:
            _apply_refund_state(actor, payment, refund_state, now)
        for dispute_state in state.disputes:
            _apply_dispute_state(actor, payment, dispute_state, now)
        return payment


def _apply_refund_state(actor: Actor, payment: Payment, state: RefundState, now: dt.datetime) -> Refund | None:
    """Record one gateway refund on the locked payment: ours (found by its reference or id) or one made at the
    gateway itself (created here). A refund that succeeds adds to ``refunded_amount`` once."""
    refund = None
    reference = _uuid_or_none(state.reference)
    if reference is not None:
        refund = Refund.objects.filter(payment=payment, pk=reference).first()
    if refund is None:
        refund = Refund.objects.filter(payment=payment, provider_reference=state.provider_refund_id).first()
    if refund is None:
        if state.status != "succeeded" or payment.status not in (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED):
            return None
        refund = Refund.objects.create(
            organization_id=payment.organization_id,
            payment=payment,
            amount=state.amount,
            reason=f"Refunded at {payment.provider}",
            provider_reference=state.provider_refund_id,
            status=RefundStatus.PENDING,
            created_by=f"{payment.provider}",
        )
    if not refund.provider_reference:
        refund.provider_reference = state.provider_refund_id
        refund.save(update_fields=["provider_reference", "updated_at"])
    _file_reference(payment, ReferenceKind.REFUND, state.provider_refund_id)
    if refund.status != RefundStatus.PENDING:
        return refund
    if state.status == "succeeded":
        _add_refunded(actor, payment, min(refund.amount, payment.refundable), refund)
        refund.status, refund.completed_at = RefundStatus.SUCCEEDED, now
        refund.save(update_fields=["status", "completed_at", "updated_at"])
        audit.record(
            actor=actor,
            action="refund.succeeded",
            target=refund,
            organization_id=payment.organization_id,
            changes={"amount": str(refund.amount), "status": {"from": RefundStatus.PENDING, "to": RefundStatus.SUCCEEDED}},
        )
        publish_payment("payment.refunded", payment, refund)
    elif state.status in ("failed", "canceled"):
        _refund_failed(actor, refund, state.failure_reason or state.status, now)
    return refund


def _refund_failed(actor: Actor, refund: Refund, reason: str, now: dt.datetime) -> None:
    refund.status, refund.failure_reason, refund.completed_at = RefundStatus.FAILED, reason[:500], now
    refund.save(update_fields=["status", "failure_reason", "completed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="refund.failed",
        target=refund,
        organization_id=refund.organization_id,
        changes={"status": {"from": RefundStatus.PENDING, "to": RefundStatus.FAILED}, "reason": refund.failure_reason},
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def payment_refund_record(*, refund: Refund, state: RefundState, now: dt.datetime | None = None, actor: Actor = SYSTEM) -> Refund:
    """Apply the gateway's answer to a refund it was sent (the refund job's second transaction)."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_event(refund.payment.event_id)
        payment = _lock_payment(refund.payment)
        result = _apply_refund_state(actor, payment, RefundState(**{**state.__dict__, "reference": str(refund.pk)}), now)
        assert result is not None
        return result


def payment_refund_failed(*, refund: Refund, reason: str, now: dt.datetime | None = None, actor: Actor = SYSTEM) -> Refund:
    """The refund job gave up (the gateway refused it): the refund is ``failed``, nothing was refunded."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_payment(refund.payment)
        with locks.bounded():
            refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == RefundStatus.PENDING:
            _refund_failed(actor, refund, reason, now)
        return refund


def _apply_dispute_state(actor: Actor, payment: Payment, state: Any, now: dt.datetime) -> Dispute:
    """Record a dispute (chargeback) or its outcome on the locked payment; audited on every change."""
    dispute = Dispute.objects.filter(payment=payment, provider_reference=state.provider_dispute_id).first()
    status = {"won": DisputeStatus.WON, "lost": DisputeStatus.LOST}.get(state.outcome, DisputeStatus.OPEN)
    if dispute is None:
        dispute = Dispute.objects.create(
            organization_id=payment.organization_id,
            payment=payment,
            provider_reference=state.provider_dispute_id,
            amount=state.amount,
            reason=state.reason[:100],
            vendor_status=state.status[:40],
            status=DisputeStatus.OPEN,
        )
        _file_reference(payment, ReferenceKind.DISPUTE, state.provider_dispute_id)
        audit.record(
            actor=actor,
            action="dispute.opened",
            target=dispute,
            organization_id=payment.organization_id,
            changes={"amount": str(state.amount), "reason": dispute.reason, "payment": str(payment.pk)},
        )
    if dispute.vendor_status != state.status or (dispute.status == DisputeStatus.OPEN and status != DisputeStatus.OPEN):
        before = dispute.status
        dispute.vendor_status = state.status[:40]
        if before == DisputeStatus.OPEN and status != DisputeStatus.OPEN:
            dispute.status, dispute.outcome, dispute.closed_at = status, state.outcome, now
        dispute.save()
        audit.record(
            actor=actor,
            action=f"dispute.{dispute.status}",
            target=dispute,
            organization_id=payment.organization_id,
            changes={"status": {"from": before, "to": dispute.status}, "vendor_status": dispute.vendor_status},
        )
    return dispute


@connector_jobs.operation(REFUND_OPERATION, on_failure=lambda connection, job, error: _refund_job_failed(job, error))
def _refund_job(connection: Connection, job: Any) -> dict[str, Any]:
    """Send a pending refund to its gateway with the refund's key, then record the answer (TX2)."""
    refund = Refund.objects.select_related("payment").get(pk=job.payload["refund"])
    if refund.status != RefundStatus.PENDING:
        return {"refund": str(refund.pk), "status": refund.status}
    gateway = get_gateway(refund.payment.provider)
    assert gateway is not None
    state = gateway.refund(
        connection,
        provider_payment_id=refund.payment.provider_reference,
        amount=refund.amount,
        currency=refund.payment.currency,
        idempotency_key=job.idempotency_key,
        reason=str(refund.pk),
    )
    refund = payment_refund_record(refund=refund, state=state)
    return {"refund": str(refund.pk), "provider_refund": state.provider_refund_id, "status": refund.status}


def _refund_job_failed(job: Any, error: str) -> None:
    refund = Refund.objects.select_related("payment").filter(pk=job.payload.get("refund")).first()
    if refund is not None:
        payment_refund_failed(refund=refund, reason=error)


# -- authorize, then capture ------------------------------------------------------------------
def _capture_key(payment: Payment) -> str:
    return f"payment-{payment.pk}-capture"


def payment_capture_submit(*, payment: Payment) -> Any:
    """The capture of an authorized gateway payment (``provider_status`` "authorized") as a connector job: one job
    per payment, whichever path asks (the notification, the reconciliation), and the job's key sent to the gateway
    on every attempt, so a retry after a lost answer captures once. Returns the job (run it, or let the sweep)."""
    assert payment.connection is not None
    return connector_jobs.submit(
        connection=payment.connection,
        operation=CAPTURE_OPERATION,
        payload={"payment": str(payment.pk)},
        idempotency_key=_capture_key(payment),
    )


@connector_jobs.operation(CAPTURE_OPERATION)
def _capture_job(connection: Connection, job: Any) -> dict[str, Any]:
    """Capture the payment at its gateway with the job's key, then apply the gateway's state (TX2)."""
    payment = Payment.objects.get(pk=job.payload["payment"])
    gateway = get_gateway(payment.provider)
    assert gateway is not None
    state = gateway.capture(
        connection, provider_payment_id=payment.provider_reference, amount=None, idempotency_key=job.idempotency_key
    )
    payment = payment_apply_provider_state(payment=payment, state=state)
    return {"payment": str(payment.pk), "provider_status": state.status, "status": payment.status}


def payment_note_provider_problem(
    *, payment: Payment, provider_status: str, code: str, message: str, actor: Actor = SYSTEM
) -> Payment:
    """Record on an open gateway payment why the gateway did not take the money yet, without ending it (PayPal's
    INSTRUMENT_DECLINED: the buyer may choose another funding source for the same order). Locks the payment;
    audited (``payment.provider_problem``); publishes nothing. A payment no longer open is left alone."""
    with transaction.atomic():
        payment = _lock_payment(payment)
        if payment.status not in (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.PROCESSING):
            return payment
        before = payment.provider_status
        payment.provider_status = provider_status
        payment.failure_code, payment.failure_message = code[:64], message[:500]
        payment.save(update_fields=["provider_status", "failure_code", "failure_message", "updated_at"])
        audit.record(
            actor=actor,
            action="payment.provider_problem",
            target=payment,
            organization_id=payment.organization_id,
            changes={"provider_status": {"from": before, "to": provider_status}, "failure_code": payment.failure_code},
        )
        return payment


def payment_reconcile(*, payment: Payment, now: dt.datetime | None = None) -> Payment:
    """Ask the gateway about one open payment and apply its answer (the reconciliation job; outside transactions).
    A payment whose checkout was never recorded (a crash after the commit) gets it opened again with the same key."""
    gateway = get_gateway(payment.provider)
    if gateway is None or payment.connection is None:
        return payment
    if not payment.provider_reference:
        payment_checkout(actor=SYSTEM, payment=payment)
        payment.refresh_from_db()
    state = gateway.retrieve(payment.connection, provider_payment_id=payment.provider_reference)
    return payment_apply_provider_state(payment=payment, state=state, now=now)
