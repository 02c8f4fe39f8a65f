"""Payment services: create, confirm (sandbox cards), refund, invoices, transitions, outbox and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry, OutboxEvent
from payments import services
from payments.models import TRANSITIONS, Invoice, InvoiceSequence, Payment, PaymentStatus, Refund
from payments.money import split_gross
from payments.providers import get_provider
from payments.providers.base import InvalidCard
from registrations import services as registration_services
from registrations.models import Registration, RegistrationStatus
from tests.factories import OrganizationFactory
from tests.payments.factories import DECLINED, NO_FUNDS, VISA, paid_event, paid_ticket, pending_order

pytestmark = pytest.mark.django_db


def outbox(event_type: str) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(event_type=event_type).order_by("created_at"))


# -- money --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gross", "rate", "net", "tax"),
    [
        ("25.00", "19.00", "21.01", "3.99"),
        ("119.00", "19.00", "100.00", "19.00"),
        ("10.00", "7.00", "9.35", "0.65"),
        ("0.05", "19.00", "0.04", "0.01"),  # 0.00798 rounds half up to 0.01
        ("30.00", "0.00", "30.00", "0.00"),
    ],
)
def test_split_gross_rounds_half_up_to_cents(gross, rate, net, tax):
    assert split_gross(Decimal(gross), Decimal(rate)) == (Decimal(net), Decimal(tax))


# -- sandbox provider -----------------------------------------------------------------------
def test_sandbox_cards():
    sandbox = get_provider("sandbox")
    created = sandbox.create(amount=Decimal("1.00"), currency="EUR", reference="r1", metadata={})
    assert created.id.startswith("sbx_pay_") and created == sandbox.create(
        amount=Decimal("1.00"), currency="EUR", reference="r1", metadata={}
    )
    ok = sandbox.confirm(provider_payment_id=created.id, card_number=VISA)
    assert ok.succeeded and ok.card_last4 == "4242" and ok.card_brand == "visa"
    assert sandbox.confirm(provider_payment_id=created.id, card_number=DECLINED).failure_code == "card_declined"
    assert sandbox.confirm(provider_payment_id=created.id, card_number=NO_FUNDS).failure_code == "insufficient_funds"
    with pytest.raises(InvalidCard):
        sandbox.confirm(provider_payment_id=created.id, card_number="4111 1111 1111 1111")
    assert sandbox.refund(provider_payment_id=created.id, amount=Decimal("1.00")).id.startswith("sbx_re_")
    note = sandbox.parse_notification(body=b'{"type": "payment.succeeded", "paymentId": "p1"}', headers={})
    assert (note.type, note.provider_payment_id) == ("payment.succeeded", "p1")
    with pytest.raises(LookupError):
        get_provider("nope")


# -- create -----------------------------------------------------------------------------------
def test_create_sums_the_order_and_publishes_nothing(owner, ticket):
    regs = pending_order(owner, ticket, "a@example.com", "b@example.com")
    before = OutboxEvent.objects.count()
    payment = services.payment_create(actor=owner, registrations=regs)
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT
    assert payment.amount == Decimal("50.00") and payment.currency == "EUR"
    assert payment.provider == "sandbox" and payment.provider_reference.startswith("sbx_pay_")
    assert sorted(i.registration_id for i in payment.items.all()) == sorted(r.id for r in regs)
    assert OutboxEvent.objects.count() == before
    assert AuditEntry.objects.filter(action="payment.created", object_id=str(payment.id)).count() == 1


def test_create_refuses_a_registration_already_covered(owner, ticket):
    regs = pending_order(owner, ticket)
    first = services.payment_create(actor=owner, registrations=regs)
    with pytest.raises(DomainError) as exc:
        services.payment_create(actor=owner, registrations=regs)
    assert exc.value.code == "PAYMENT_EXISTS" and exc.value.details["paymentId"] == str(first.id)
    # A failed payment does not cover: the attendee may try again with another card.
    services.payment_confirm(actor=owner, payment=first, card_number=DECLINED)
    again = services.payment_create(actor=owner, registrations=regs)
    assert again.status == PaymentStatus.REQUIRES_PAYMENT


def test_create_refuses_non_pending_expired_free_and_mixed(owner, org, ticket, event):
    confirmed = pending_order(owner, ticket, "c@example.com")
    services.payment_confirm(actor=owner, payment=services.payment_create(actor=owner, registrations=confirmed), card_number=VISA)
    with pytest.raises(DomainError) as exc:
        services.payment_create(actor=owner, registrations=confirmed)
    assert exc.value.code == "PAYMENT_REGISTRATION_NOT_PAYABLE"

    late = pending_order(owner, ticket, "late@example.com")
    with pytest.raises(DomainError) as exc:
        services.payment_create(actor=owner, registrations=late, now=timezone.now() + dt.timedelta(hours=2))
    assert exc.value.code == "PAYMENT_REGISTRATION_EXPIRED"

    free = pending_order(owner, paid_ticket(event, name="Free", price="0.00"))
    assert free[0].status == RegistrationStatus.CONFIRMED
    with pytest.raises(DomainError) as exc:
        services.payment_create(actor=owner, registrations=free)
    assert exc.value.code == "PAYMENT_REGISTRATION_NOT_PAYABLE"

    other_event = paid_event(org, title="Other")
    mixed = pending_order(owner, ticket, "m@example.com") + pending_order(owner, paid_ticket(other_event))
    with pytest.raises(DomainError) as exc:
        services.payment_create(actor=owner, registrations=mixed)
    assert exc.value.code == "PAYMENT_MIXED_ORDER"
    assert Payment.objects.count() == 1


# -- confirm ----------------------------------------------------------------------------------
def test_confirm_success_confirms_issues_invoice_and_publishes_once(owner, org, event, ticket):
    reduced = paid_ticket(event, name="Reduced", price="10.00", tax_rate="7.00")
    # Two orders of one event (one per ticket type) paid together.
    regs = pending_order(owner, ticket, "ada@example.com", "bob@example.com") + pending_order(owner, reduced, "cy@example.com")
    payment = services.payment_create(actor=owner, registrations=regs)
    assert payment.amount == Decimal("60.00")

    payment = services.payment_confirm(actor=owner, payment=payment, card_number=VISA)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.succeeded_at is not None
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    assert set(Registration.objects.filter(payment_items__payment=payment).values_list("status", flat=True)) == {"confirmed"}

    invoice = Invoice.objects.get(payment=payment)
    assert invoice.number == f"INV-{timezone.now().year}-000001"
    assert invoice.issuer["name"] == "Acme Events"
    assert (invoice.buyer_name, invoice.buyer_email) == ("Ada", "ada@example.com")
    lines = {line["description"]: line for line in invoice.lines}
    assert lines["Acme Summit: Standard"] == {
        "description": "Acme Summit: Standard",
        "ticket_type_id": str(ticket.id),
        "quantity": 2,
        "unit_price": "25.00",
        "tax_rate": "19.00",
        "net": "42.02",
        "tax": "7.98",
        "gross": "50.00",
    }
    assert (lines["Acme Summit: Reduced"]["net"], lines["Acme Summit: Reduced"]["tax"]) == ("9.35", "0.65")
    assert (invoice.total_net, invoice.total_tax, invoice.total_gross) == (Decimal("51.37"), Decimal("8.63"), Decimal("60.00"))

    [completed] = outbox("payment.completed")
    assert completed.data["id"] == str(payment.id) and completed.data["status"] == "succeeded"
    assert completed.data["amount"] == "60.00" and completed.data["invoiceId"] == str(invoice.id)
    assert "card_number" not in str(completed.data) and "4242424242424242" not in str(completed.data)
    assert len(outbox("registration.confirmed")) == 3
    actions = set(AuditEntry.objects.filter(object_id=str(payment.id)).values_list("action", flat=True))
    assert {"payment.created", "payment.processing", "payment.succeeded"} <= actions
    assert AuditEntry.objects.filter(action="invoice.issued").count() == 1


@pytest.mark.parametrize(("card", "code"), [(DECLINED, "card_declined"), (NO_FUNDS, "insufficient_funds")])
def test_confirm_decline_fails_the_payment_and_keeps_registrations_pending(owner, ticket, card, code):
    regs = pending_order(owner, ticket)
    payment = services.payment_confirm(
        actor=owner, payment=services.payment_create(actor=owner, registrations=regs), card_number=card
    )
    assert payment.status == PaymentStatus.FAILED and payment.failure_code == code and payment.failure_message
    assert Registration.objects.get(pk=regs[0].pk).status == RegistrationStatus.PENDING_PAYMENT
    assert not Invoice.objects.exists()
    [failed] = outbox("payment.failed")
    assert failed.data["failureCode"] == code and failed.data["status"] == "failed"
    assert not outbox("payment.completed") and not outbox("registration.confirmed")
    assert not InvoiceSequence.objects.exists()


def test_confirm_invalid_card_changes_nothing(owner, ticket):
    payment = services.payment_create(actor=owner, registrations=pending_order(owner, ticket))
    audits, events = AuditEntry.objects.count(), OutboxEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        services.payment_confirm(actor=owner, payment=payment, card_number="1234")
    assert exc.value.code == "PAYMENT_CARD_INVALID"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT and payment.card_last4 == ""
    assert (AuditEntry.objects.count(), OutboxEvent.objects.count()) == (audits, events)


def test_confirm_refuses_a_cancelled_registration_before_charging(owner, ticket):
    regs = pending_order(owner, ticket)
    payment = services.payment_create(actor=owner, registrations=regs)
    registration_services.registration_cancel(actor=owner, registration=regs[0], reason="changed mind")
    with pytest.raises(DomainError) as exc:
        services.payment_confirm(actor=owner, payment=payment, card_number=VISA)
    assert exc.value.code == "REGISTRATION_INVALID_TRANSITION"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT and not outbox("payment.completed")


@pytest.mark.parametrize(
    "status", [PaymentStatus.SUCCEEDED, PaymentStatus.FAILED, PaymentStatus.REFUNDED, PaymentStatus.PROCESSING]
)
def test_confirm_is_only_legal_from_requires_payment(owner, ticket, status):
    payment = services.payment_create(actor=owner, registrations=pending_order(owner, ticket))
    Payment.objects.filter(pk=payment.pk).update(status=status)
    with pytest.raises(DomainError) as exc:
        services.payment_confirm(actor=owner, payment=payment, card_number=VISA)
    assert exc.value.code == "PAYMENT_INVALID_TRANSITION"
    assert exc.value.details["from"] == status and exc.value.details["allowedFrom"] == ["requires_payment"]


def test_transition_table_is_closed():
    assert set(TRANSITIONS) == set(PaymentStatus.values)
    assert all(targets <= set(PaymentStatus.values) for targets in TRANSITIONS.values())
    assert TRANSITIONS[PaymentStatus.FAILED] == frozenset() and TRANSITIONS[PaymentStatus.REFUNDED] == frozenset()


def test_nothing_is_published_when_the_transaction_rolls_back(owner, ticket):
    payment = services.payment_create(actor=owner, registrations=pending_order(owner, ticket))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.payment_confirm(actor=owner, payment=payment, card_number=VISA)
        raise RuntimeError("boom")
    assert not outbox("payment.completed") and not Invoice.objects.exists()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT


# -- invoices ---------------------------------------------------------------------------------
def test_invoice_numbers_are_gapless_per_organization(owner, ticket, member):
    other = OrganizationFactory(name="Rival")
    other_ticket = paid_ticket(paid_event(other))
    year = timezone.now().year
    numbers = []
    for i in range(3):
        payment = services.payment_create(actor=owner, registrations=pending_order(owner, ticket, f"p{i}@example.com"))
        services.payment_confirm(actor=owner, payment=payment, card_number=VISA)
        numbers.append(payment.invoice.number)
        # A declined attempt in between takes no number.
        failed = services.payment_create(actor=owner, registrations=pending_order(owner, ticket, f"f{i}@example.com"))
        services.payment_confirm(actor=owner, payment=failed, card_number=DECLINED)
    assert numbers == [f"INV-{year}-00000{n}" for n in (1, 2, 3)]
    rival = services.payment_create(actor=owner, registrations=pending_order(owner, other_ticket))
    services.payment_confirm(actor=owner, payment=rival, card_number=VISA)
    assert rival.invoice.number == f"INV-{year}-000001"
    assert InvoiceSequence.objects.get(organization=ticket.organization, year=year).last_number == 3


# -- refunds ----------------------------------------------------------------------------------
@pytest.fixture
def paid(owner, ticket):
    regs = pending_order(owner, ticket, "a@example.com", "b@example.com")
    return services.payment_confirm(
        actor=owner, payment=services.payment_create(actor=owner, registrations=regs), card_number=VISA
    )


def test_partial_then_full_refund(owner, paid):
    refund = services.payment_refund(actor=owner, payment=paid, amount=Decimal("10.00"), reason="goodwill")
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.PARTIALLY_REFUNDED and paid.refunded_amount == Decimal("10.00")
    assert refund.provider_reference.startswith("sbx_re_")
    services.payment_refund(actor=owner, payment=paid, reason="event moved")  # the rest
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.REFUNDED and paid.refunded_amount == Decimal("50.00")
    assert [r.amount for r in Refund.objects.filter(payment=paid)] == [Decimal("10.00"), Decimal("40.00")]
    events = outbox("payment.refunded")
    assert [e.data["refund"]["amount"] for e in events] == ["10.00", "40.00"]
    assert events[-1].data["status"] == "refunded" and events[-1].data["refundedAmount"] == "50.00"
    # Refunds do not cancel registrations.
    assert set(Registration.objects.filter(payment_items__payment=paid).values_list("status", flat=True)) == {"confirmed"}
    with pytest.raises(DomainError) as exc:
        services.payment_refund(actor=owner, payment=paid, reason="again")
    assert exc.value.code == "PAYMENT_INVALID_TRANSITION"


def test_refund_limits(owner, paid, ticket):
    with pytest.raises(DomainError) as exc:
        services.payment_refund(actor=owner, payment=paid, amount=Decimal("50.01"), reason="too much")
    assert exc.value.code == "REFUND_EXCEEDS_PAYMENT" and exc.value.details["refundable"] == "50.00"
    for bad in (Decimal("0"), Decimal("-1")):
        with pytest.raises(DomainError) as exc:
            services.payment_refund(actor=owner, payment=paid, amount=bad, reason="x")
        assert exc.value.code == "VALIDATION_ERROR"
    with pytest.raises(DomainError) as exc:
        services.payment_refund(actor=owner, payment=paid, amount=Decimal("1"), reason="  ")
    assert exc.value.code == "VALIDATION_ERROR"
    open_payment = services.payment_create(actor=owner, registrations=pending_order(owner, ticket, "z@example.com"))
    with pytest.raises(DomainError) as exc:
        services.payment_refund(actor=owner, payment=open_payment, reason="not paid")
    assert exc.value.code == "PAYMENT_INVALID_TRANSITION"
    paid.refresh_from_db()
    assert paid.refunded_amount == 0 and not Refund.objects.exists() and not outbox("payment.refunded")
