"""Writes of payments: create for an order's registrations, confirm (charge), refund; invoices on success.

Lock order, the same as the registrations app's so the two never deadlock: the
event row first, then registrations / the payment, then the organization's
invoice sequence row. Each service is one transaction, records an audit entry
for every row it changes and publishes ``payment.*`` to the outbox in it.

The provider is called inside the transaction (the sandbox is in process). A
provider that charges real money will need its confirmation split around the
commit (``processing`` is there for that: see docs/payments.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit, jobs, locks
from core.audit import Actor
from core.errors import VALIDATION_ERROR, DomainError
from events.models import Event
from payments import errors
from payments.models import (
    COVERING,
    TRANSITIONS,
    Invoice,
    InvoiceSequence,
    Payment,
    PaymentItem,
    PaymentStatus,
    Refund,
)
from payments.money import cents, split_gross
from payments.payloads import publish_payment
from payments.providers import get_provider
from payments.providers.base import InvalidCard, ProviderError
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
) -> Payment:
    """A payment in ``requires_payment`` for pending registrations of one event; amount = the sum of their ticket prices.

    Locks the event, then the registrations (so two parallel creates for one
    registration are serialized and the second sees the first's payment).
    Publishes nothing (``payment.*`` types describe outcomes). Raises
    PAYMENT_MIXED_ORDER, PAYMENT_REGISTRATION_NOT_PAYABLE, PAYMENT_REGISTRATION_EXPIRED,
    PAYMENT_EXISTS, PAYMENT_NOTHING_TO_PAY, PAYMENT_PROVIDER_ERROR, and PAYMENT_PROVIDER_NOT_ALLOWED for any
    provider but the sandbox's in a sandbox organization.
    """
    now = now or timezone.now()
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
        try:
            created = get_provider(provider).create(
                amount=amount, currency=currency, reference=str(payment_id), metadata={"eventId": str(event.pk)}
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
            provider_reference=created.id,
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
        left = payment.refundable
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
        audit.record(
            actor=actor,
            action="refund.created",
            target=refund,
            organization_id=payment.organization_id,
            changes={"amount": str(value), "reason": refund.reason, "payment": str(payment.pk)},
        )
        publish_payment("payment.refunded", payment, refund)
        return refund
