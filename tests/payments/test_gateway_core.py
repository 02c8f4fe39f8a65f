"""The payments core for real gateways: the provider's state applied (idempotent, order-free), gateway refunds as
connector jobs, disputes, and payments found through the vendor reference table within their connection."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.models import Connection, ConnectorJob
from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry, OutboxEvent
from payments import errors, services
from payments.models import Dispute, DisputeStatus, Invoice, Payment, PaymentStatus, Refund, RefundStatus, VendorReference
from payments.providers.base import DisputeState, ProviderState, RefundState
from registrations.models import RegistrationStatus
from tests.payments.factories import pending_order

pytestmark = pytest.mark.django_db


def gateway_payment(org, ticket, *emails: str) -> Payment:
    """A payment as a gateway's payment_create leaves it (a connection, no charge yet), its checkout recorded."""
    connection = Connection.objects.create(organization=org, kind="payment", vendor="stripe", mode="test")
    registrations = pending_order(SYSTEM, ticket, *emails)
    payment = services.payment_create(actor=SYSTEM, registrations=registrations)
    Payment.objects.filter(pk=payment.pk).update(provider="stripe", connection=connection, provider_reference="")
    payment.refresh_from_db()
    return payment


def state(status: str, amount: str = "50.00", **kwargs) -> ProviderState:
    return ProviderState(provider_payment_id="pi_1", status=status, amount=Decimal(amount), currency="EUR", **kwargs)


def count(event_type: str) -> int:
    return OutboxEvent.objects.filter(event_type=event_type).count()


def test_succeeded_applied_five_times_in_any_order_confirms_once(org, ticket):
    payment = gateway_payment(org, ticket, "ada@example.com", "bob@example.com")
    done = state(
        "succeeded", references=(("charge", "ch_1"),), payment_method="visa •••• 4242", card_brand="visa", card_last4="4242"
    )
    for applied in (state("processing"), done, state("requires_action"), done, state("processing"), done, done, done):
        payment = services.payment_apply_provider_state(payment=payment, state=applied)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.provider_reference == "pi_1"
    assert payment.payment_method == "visa •••• 4242" and payment.card_last4 == "4242"
    assert {r.status for r in payment.registrations.all()} == {RegistrationStatus.CONFIRMED}
    assert count("registration.confirmed") == 2 and count("payment.completed") == 1
    assert Invoice.objects.filter(payment=payment).count() == 1
    assert set(VendorReference.objects.filter(payment=payment).values_list("kind", "value")) == {
        ("intent", "pi_1"),
        ("charge", "ch_1"),
    }
    actions = list(AuditEntry.objects.filter(object_id=str(payment.pk)).values_list("action", flat=True))
    assert actions.count("payment.succeeded") == 1 and actions.count("payment.processing") == 1


def test_failed_then_a_late_processing_stays_failed(org, ticket):
    payment = gateway_payment(org, ticket)
    failed = state("failed", "25.00", failure_code="card_declined", failure_message="Your card was declined.")
    for applied in (failed, state("processing", "25.00"), failed):
        payment = services.payment_apply_provider_state(payment=payment, state=applied)
    assert payment.status == PaymentStatus.FAILED and payment.failure_code == "card_declined"
    assert count("payment.failed") == 1 and count("payment.completed") == 0
    assert payment.registrations.get().status == RegistrationStatus.PENDING_PAYMENT


def test_a_state_of_another_intent_is_refused(org, ticket):
    payment = gateway_payment(org, ticket)
    services.payment_apply_provider_state(payment=payment, state=state("processing", "25.00"))
    other = ProviderState(provider_payment_id="pi_other", status="succeeded", amount=Decimal("25.00"), currency="EUR")
    with pytest.raises(ValueError):
        services.payment_apply_provider_state(payment=payment, state=other)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PROCESSING


def test_gateway_refund_is_pending_a_connector_job_then_recorded_once(org, ticket):
    payment = gateway_payment(org, ticket, "ada@example.com", "bob@example.com")
    payment = services.payment_apply_provider_state(payment=payment, state=state("succeeded"))
    refund = services.payment_refund(actor=SYSTEM, payment=payment, reason="Cancelled", amount=Decimal("20.00"))
    assert refund.status == RefundStatus.PENDING and refund.idempotency_key
    job = ConnectorJob.objects.get(idempotency_key=refund.idempotency_key)
    assert job.operation == services.REFUND_OPERATION and job.payload == {"refund": str(refund.pk)}
    # The pending 20.00 counts: only 30.00 is left to refund.
    with pytest.raises(DomainError) as exc:
        services.payment_refund(actor=SYSTEM, payment=payment, reason="All", amount=Decimal("30.01"))
    assert exc.value.error == errors.REFUND_EXCEEDS_PAYMENT
    answer = RefundState(provider_refund_id="re_1", amount=Decimal("20.00"), status="succeeded")
    for _ in range(3):
        services.payment_refund_record(refund=refund, state=answer)
    # The charge.refunded notification lists the same refund: nothing more.
    services.payment_apply_provider_state(payment=payment, state=state("succeeded", refunds=(answer,)))
    payment.refresh_from_db()
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED and refund.provider_reference == "re_1"
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.refunded_amount == Decimal("20.00")
    assert count("payment.refunded") == 1
    assert services.payment_by_reference(provider="stripe", value="re_1") == payment


def test_refund_made_at_the_gateway_is_recorded_and_a_failed_one_changes_nothing(org, ticket):
    payment = gateway_payment(org, ticket)
    payment = services.payment_apply_provider_state(payment=payment, state=state("succeeded", "25.00"))
    outside = RefundState(provider_refund_id="re_dash", amount=Decimal("25.00"), status="succeeded")
    for _ in range(2):
        payment = services.payment_apply_provider_state(payment=payment, state=state("succeeded", "25.00", refunds=(outside,)))
    assert payment.status == PaymentStatus.REFUNDED and Refund.objects.filter(payment=payment).count() == 1
    assert count("payment.refunded") == 1

    other = gateway_payment(org, ticket, "cy@example.com")
    other = services.payment_apply_provider_state(
        payment=other,
        state=ProviderState(provider_payment_id="pi_2", status="succeeded", amount=Decimal("25.00"), currency="EUR"),
    )
    refund = services.payment_refund(actor=SYSTEM, payment=other, reason="Asked")
    services.payment_refund_failed(refund=refund, reason="charge_already_refunded")
    refund.refresh_from_db()
    other.refresh_from_db()
    assert refund.status == RefundStatus.FAILED and other.status == PaymentStatus.SUCCEEDED and other.refunded_amount == 0


def test_dispute_recorded_then_its_outcome_applied(org, ticket):
    payment = gateway_payment(org, ticket)
    payment = services.payment_apply_provider_state(payment=payment, state=state("succeeded", "25.00"))
    opened = DisputeState(provider_dispute_id="dp_1", amount=Decimal("25.00"), status="needs_response", reason="fraudulent")
    lost = DisputeState(provider_dispute_id="dp_1", amount=Decimal("25.00"), status="lost", reason="fraudulent", outcome="lost")
    for disputes in ((opened,), (opened,), (lost,), (opened,)):
        services.payment_apply_provider_state(payment=payment, state=state("succeeded", "25.00", disputes=disputes))
    dispute = Dispute.objects.get(payment=payment)
    assert dispute.status == DisputeStatus.LOST and dispute.outcome == "lost" and dispute.reason == "fraudulent"
    assert services.payment_by_reference(provider="stripe", value="dp_1") == payment


def test_reference_lookup_stays_within_the_connection(org, other_org, ticket):
    payment = gateway_payment(org, ticket)
    services.payment_apply_provider_state(payment=payment, state=state("processing", "25.00"))
    foreign = Connection.objects.create(organization=other_org, kind="payment", vendor="stripe", mode="test")
    assert services.payment_by_reference(provider="stripe", value="pi_1", connection=payment.connection) == payment
    assert services.payment_by_reference(provider="stripe", value="pi_1", connection=foreign) is None


def test_a_gateway_payment_is_not_confirmed_with_a_card_number(org, ticket):
    payment = gateway_payment(org, ticket)
    with pytest.raises(DomainError) as exc:
        services.payment_confirm(actor=SYSTEM, payment=payment, card_number="4242 4242 4242 4242")
    assert exc.value.error == errors.PAYMENT_INVALID_TRANSITION
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REQUIRES_PAYMENT
