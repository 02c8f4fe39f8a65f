"""Payments (one per order of registrations), refunds, invoices and their gapless numbering."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q

from accounts.models import Organization
from connectors.models import Connection
from core.models import BaseModel
from events.models import Event
from registrations.models import Registration, TicketType


class PaymentStatus(models.TextChoices):
    REQUIRES_PAYMENT = "requires_payment", "Requires payment"
    PROCESSING = "processing", "Processing"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    REFUNDED = "refunded", "Refunded"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"


class CaptureMethod(models.TextChoices):
    AUTOMATIC = "automatic", "Captured when the buyer pays"
    MANUAL = "manual", "Authorized, then captured by the platform"


# status -> the statuses it may move to (payments.services guards every move with it).
TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.REQUIRES_PAYMENT: frozenset({PaymentStatus.PROCESSING}),
    PaymentStatus.PROCESSING: frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.FAILED}),
    PaymentStatus.SUCCEEDED: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.PARTIALLY_REFUNDED: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.FAILED: frozenset(),
    PaymentStatus.REFUNDED: frozenset(),
}
# A registration in a payment of one of these statuses cannot be put in another payment.
COVERING = (
    PaymentStatus.REQUIRES_PAYMENT,
    PaymentStatus.PROCESSING,
    PaymentStatus.SUCCEEDED,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED,
)
# Payments whose money came in (revenue counts them).
COLLECTED = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)


def money(**kwargs: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount of money in its currency's major unit, to the cent."""
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class Payment(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="payments")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="payments")
    amount = money()
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=20, default="sandbox")
    provider_reference = models.CharField(max_length=255, blank=True)
    # The connector connection a real gateway's payment went through (null for the sandbox).
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What the gateway last said (requires_action, processing, ...): shown, and read by the reconciliation job.
    provider_status = models.CharField(max_length=20, blank=True)
    provider_checked_at = models.DateTimeField(null=True, blank=True)
    # "manual": the gateway authorizes, then the platform captures (Stripe capture_method=manual, PayPal intent
    # AUTHORIZE) as a connector job; kept so that a checkout reopened by the reconciliation asks the same.
    capture_method = models.CharField(max_length=10, choices=CaptureMethod.choices, default=CaptureMethod.AUTOMATIC)
    payment_method = models.CharField(max_length=100, blank=True, help_text="A label such as 'visa •••• 4242'.")
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.REQUIRES_PAYMENT)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.CharField(max_length=500, blank=True)
    refunded_amount = money(default=Decimal("0.00"))
    created_by = models.CharField(max_length=255, blank=True, help_text="The actor who created it (audit label).")
    succeeded_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    registrations = models.ManyToManyField(Registration, through="PaymentItem", related_name="payments")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")), name="payment_refund_within_amount"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "created_at", "id"]),
            models.Index(fields=["event", "status"]),
            models.Index(fields=["organization", "status", "succeeded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.status})"

    @property
    def refundable(self) -> Decimal:
        return self.amount - self.refunded_amount


class PaymentItem(models.Model):
    """One registration paid by a payment, with the ticket price it was charged at."""

    id = models.BigAutoField(primary_key=True)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="items")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="payment_items")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="+")
    amount = money()
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["payment", "registration"], name="payment_item_unique")]

    def __str__(self) -> str:
        return f"{self.registration_id} in {self.payment_id}"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Refund(BaseModel):
    """A refund. The sandbox's succeed at once; a gateway's is ``pending`` until the gateway says (a connector
    job sends it with ``idempotency_key``, so a retry never refunds twice)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = money()
    reason = models.CharField(max_length=500)
    provider_reference = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=RefundStatus.choices, default=RefundStatus.SUCCEEDED)
    idempotency_key = models.CharField(max_length=255, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="refund_idempotency_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Refund of {self.amount} on {self.payment_id}"


class InvoiceSequence(models.Model):
    """The last invoice number of an organization in a year; locked to take the next one (gapless)."""

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="invoice_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}: {self.last_number}"


class Invoice(BaseModel):
    """An immutable snapshot: who issued it, who bought, what, at which tax, for how much."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invoices")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(max_length=32)
    issuer = models.JSONField(default=dict)
    buyer_name = models.CharField(max_length=200)
    buyer_email = models.EmailField(max_length=254)
    lines = models.JSONField(default=list)
    currency = models.CharField(max_length=3)
    total_net = money()
    total_tax = money()
    total_gross = money()
    issued_at = models.DateTimeField()
    # The receipt email (payments.receipts): sent once. A sender claims it with a conditional UPDATE
    # (``receipt_claimed_until``, a lease) before it talks to the mail server and records the send after.
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    receipt_claimed_until = models.DateTimeField(null=True, blank=True)
    receipt_attempts = models.PositiveSmallIntegerField(default=0)
    receipt_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organization", "number"], name="invoice_number_unique_per_org")]
        indexes = [
            models.Index(fields=["organization", "issued_at", "id"]),
            # The receipt sweep reads only the invoices whose receipt is not sent yet.
            models.Index(fields=["issued_at"], condition=Q(receipt_sent_at__isnull=True), name="invoice_receipt_unsent"),
        ]

    def __str__(self) -> str:
        return self.number


class ReferenceKind(models.TextChoices):
    INTENT = "intent", "Payment intent"
    CHARGE = "charge", "Charge"
    ORDER = "order", "Order"
    CAPTURE = "capture", "Capture"
    AUTHORIZATION = "authorization", "Authorization"
    REFUND = "refund", "Refund"
    SUBSCRIPTION = "subscription", "Subscription"
    DISPUTE = "dispute", "Dispute"
    INVOICE = "invoice", "Gateway invoice"


class VendorReference(models.Model):
    """A gateway's id for something of a payment (its intent, charge, capture, refund, dispute, ...).

    A notification names the vendor's object; the payment is found here (unique per provider and value),
    never by searching stored payloads.
    """

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, null=True, blank=True, related_name="references")
    subscription = models.ForeignKey("Subscription", on_delete=models.CASCADE, null=True, blank=True, related_name="references")
    provider = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=ReferenceKind.choices)
    value = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["provider", "value"], name="vendor_reference_unique")]
        indexes = [models.Index(fields=["payment", "kind"])]

    def __str__(self) -> str:
        return f"{self.provider} {self.kind} {self.value}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class Dispute(BaseModel):
    """A chargeback the buyer opened at the gateway; ``outcome`` applied when it closes (lost: the money is gone)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="disputes")
    provider_reference = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    vendor_status = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=100, blank=True)
    amount = money()
    outcome = models.CharField(max_length=10, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Dispute {self.provider_reference} ({self.status})"


class SubscriptionStatus(models.TextChoices):
    INCOMPLETE = "incomplete", "Incomplete"
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Past due"
    CANCELED = "canceled", "Canceled"


class Subscription(BaseModel):
    """A series pass (or membership) sold as a gateway subscription; renewals follow the gateway's events.

    The row is the pass: it admits its holder while ``status`` is active (or past due, while the gateway retries a
    renewal) until ``current_period_end``; each paid cycle is a ``VendorReference`` of kind ``invoice`` (counted once
    however often it is notified), ``renewals`` the cycles paid after the first (payments.subscriptions)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="+")
    provider = models.CharField(max_length=20)
    provider_reference = models.CharField(max_length=255, blank=True)
    # The series (its parent event) the pass is for; null for a membership.
    series = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The series' ticket type sold as the pass (its price is charged every ``interval``).
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    buyer_name = models.CharField(max_length=200)
    buyer_email = models.EmailField(max_length=254)
    amount = money()
    currency = models.CharField(max_length=3)
    interval = models.CharField(max_length=10, default="month")
    status = models.CharField(max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.INCOMPLETE)
    current_period_end = models.DateTimeField(null=True, blank=True)
    renewals = models.PositiveIntegerField(default=0)
    last_invoice_reference = models.CharField(max_length=255, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)
    provider_checked_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.provider} subscription {self.provider_reference} ({self.status})"
