"""Input and output shapes of the payments API (snake_case here, camelCase on the wire).

Money is a decimal string with two places ("25.00") next to its ISO 4217 currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import AwareDateTimeField, CsvField, InputSerializer, QuerySerializer, TenantPrimaryKeyField
from payments.models import CaptureMethod, Dispute, Invoice, Payment, PaymentItem, PaymentStatus, Refund, Subscription
from payments.providers import provider_names
from payments.selectors import InvoiceFilter, PaymentFilter
from registrations.models import Registration, TicketType


def _registrations_of(organization: Any) -> Any:
    if organization is None:
        return Registration.objects.none()
    return Registration.objects.filter(organization=organization)


# -- output -----------------------------------------------------------------------------------
class PaymentItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    registration_id = serializers.UUIDField(read_only=True)
    ticket_type_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = PaymentItem
        fields = ["registration_id", "ticket_type_id", "amount", "tax_rate"]
        read_only_fields = fields


class RefundSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Refund
        fields = ["id", "amount", "reason", "status", "failure_reason", "provider_reference", "created_by", "created_at"]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Dispute
        fields = ["id", "status", "reason", "amount", "outcome", "vendor_status", "provider_reference", "created_at", "closed_at"]
        read_only_fields = fields


class CheckoutSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a client needs to take a gateway payment (Stripe: client secret and publishable key for Stripe.js)."""

    provider_payment_id = serializers.CharField()
    client_secret = serializers.CharField(allow_blank=True, help_text="Stripe: for Stripe.js `confirmPayment`; never log it.")
    publishable_key = serializers.CharField(allow_blank=True)
    approval_url = serializers.CharField(allow_blank=True, help_text="Redirect flows (PayPal): send the buyer here.")
    checkout_url = serializers.CharField(allow_blank=True, help_text="The platform's hosted checkout page for the buyer.")


class CardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    brand = serializers.CharField()
    last4 = serializers.CharField()


class PaymentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    event_id = serializers.UUIDField(read_only=True)
    card = serializers.SerializerMethodField()
    registration_ids = serializers.SerializerMethodField()
    items = PaymentItemSerializer(many=True, read_only=True)
    refunds = RefundSerializer(many=True, read_only=True)
    disputes = DisputeSerializer(many=True, read_only=True)
    invoice_id = serializers.SerializerMethodField()
    connection_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "event_id",
            "status",
            "amount",
            "refunded_amount",
            "currency",
            "provider",
            "provider_reference",
            "provider_status",
            "capture_method",
            "connection_id",
            "payment_method",
            "card",
            "failure_code",
            "failure_message",
            "registration_ids",
            "items",
            "refunds",
            "disputes",
            "invoice_id",
            "created_by",
            "succeeded_at",
            "failed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CardSerializer(allow_null=True))
    def get_card(self, payment: Payment) -> dict[str, str] | None:
        if not payment.card_last4:
            return None
        return {"brand": payment.card_brand, "last4": payment.card_last4}

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_registration_ids(self, payment: Payment) -> list[str]:
        return [str(item.registration_id) for item in payment.items.all()]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_invoice_id(self, payment: Payment) -> str | None:
        try:
            return str(payment.invoice.id)
        except ObjectDoesNotExist:
            return None


class PaymentCheckoutSerializer(PaymentSerializer):
    """A payment with its gateway checkout (``checkout`` is null for the sandbox, and when the gateway could not be
    reached: ask ``GET /payments/{id}/checkout`` again)."""

    checkout = serializers.SerializerMethodField()

    class Meta(PaymentSerializer.Meta):
        fields = [*PaymentSerializer.Meta.fields, "checkout"]
        read_only_fields = fields

    @extend_schema_field(CheckoutSerializer(allow_null=True))
    def get_checkout(self, payment: Payment) -> dict[str, Any] | None:
        checkout = self.context.get("checkout")
        return None if checkout is None else dict(CheckoutSerializer(checkout).data)


class BuyerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    email = serializers.EmailField()


class TotalsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    net = serializers.CharField()
    tax = serializers.CharField()
    gross = serializers.CharField()


class InvoiceLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    description = serializers.CharField()
    ticket_type_id = serializers.UUIDField()
    quantity = serializers.IntegerField()
    unit_price = serializers.CharField(help_text="Gross, tax included.")
    tax_rate = serializers.CharField(help_text="Percent.")
    net = serializers.CharField()
    tax = serializers.CharField()
    gross = serializers.CharField()


class InvoiceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    payment_id = serializers.UUIDField(read_only=True)
    issuer = serializers.JSONField(read_only=True)
    buyer = serializers.SerializerMethodField()
    lines = InvoiceLineSerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "payment_id", "issuer", "buyer", "lines", "currency", "totals", "issued_at", "created_at"]
        read_only_fields = fields

    @extend_schema_field(BuyerSerializer)
    def get_buyer(self, invoice: Invoice) -> dict[str, str]:
        return {"name": invoice.buyer_name, "email": invoice.buyer_email}

    @extend_schema_field(TotalsSerializer)
    def get_totals(self, invoice: Invoice) -> dict[str, str]:
        return {"net": str(invoice.total_net), "tax": str(invoice.total_tax), "gross": str(invoice.total_gross)}


class RevenueRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text="The day (YYYY-MM-DD), event id or ticket type id.")
    name = serializers.CharField(help_text="The day, the event's title or the ticket type's name.")
    currency = serializers.CharField()
    gross = serializers.CharField()
    refunds = serializers.CharField()
    net = serializers.CharField()
    count = serializers.IntegerField(help_text="Payments collected (for ticketType: payments with that ticket type).")
    tickets = serializers.IntegerField()


class RevenueTotalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    currency = serializers.CharField()
    gross = serializers.CharField()
    refunds = serializers.CharField()
    net = serializers.CharField()


class RevenueReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    group_by = serializers.CharField()
    data = RevenueRowSerializer(many=True)  # type: ignore[assignment]
    totals = RevenueTotalSerializer(many=True)


# -- input ------------------------------------------------------------------------------------
class PaymentCreateSerializer(InputSerializer):
    registration_ids = TenantPrimaryKeyField(
        scope=_registrations_of,
        source="registrations",
        many=True,
        allow_empty=False,
        help_text="Pending-payment registrations of one event (for example all of an order).",
    )
    provider = serializers.CharField(
        default="sandbox",
        help_text="`sandbox` (default), or a connected gateway (`stripe`): the answer then carries `checkout`.",
    )
    capture_method = serializers.ChoiceField(
        choices=CaptureMethod.choices,
        default=CaptureMethod.AUTOMATIC,
        help_text="Gateways only. `manual`: the gateway authorizes the amount and the platform captures it "
        "(Stripe `capture_method=manual`, PayPal intent `AUTHORIZE`).",
    )

    def validate_provider(self, value: str) -> str:
        if value not in provider_names():
            raise serializers.ValidationError(f"One of: {', '.join(provider_names())}.")
        return value

    def validate_registrations(self, value: list[Registration]) -> list[Registration]:
        if len(value) > 100:
            raise serializers.ValidationError("At most 100 registrations per payment.")
        unique = {r.pk: r for r in value}
        return list(unique.values())


class PaymentConfirmSerializer(InputSerializer):
    card_number = serializers.CharField(max_length=32, help_text="Charged once and never stored (only brand and last4).")


class PaymentRefundSerializer(InputSerializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        help_text="Default: all that is left.",
    )
    reason = serializers.CharField(max_length=500)


class PaymentFilterSerializer(QuerySerializer):
    filter_class = PaymentFilter

    event = serializers.UUIDField(required=False)
    status = CsvField(choices=PaymentStatus.choices)
    created_after = AwareDateTimeField(required=False)
    created_before = AwareDateTimeField(required=False)


class InvoiceFilterSerializer(QuerySerializer):
    filter_class = InvoiceFilter

    event = serializers.UUIDField(required=False)
    payment = serializers.UUIDField(required=False)


GROUPINGS = ("day", "event", "ticketType")


class RevenueQuerySerializer(QuerySerializer):
    event_id = serializers.UUIDField(required=False)
    group_by = serializers.ChoiceField(choices=GROUPINGS, default="day")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # "from" and "to" (inclusive days, UTC) are Python keywords, so they are added here.
        fields["from"] = serializers.DateField(required=False)
        fields["to"] = serializers.DateField(required=False)
        return fields


# -- series passes (subscriptions) ---------------------------------------------------------------
class SubscriptionCheckoutSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What the buyer needs to pay the first cycle: Stripe's client secret (Stripe Elements) or PayPal's approval URL."""

    provider_subscription_id = serializers.CharField()
    client_secret = serializers.CharField(allow_blank=True, help_text="Stripe: the first invoice's; never log it.")
    publishable_key = serializers.CharField(allow_blank=True)
    approval_url = serializers.CharField(allow_blank=True, help_text="PayPal: send the buyer here.")


class SubscriptionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    series_id = serializers.UUIDField(read_only=True, allow_null=True)
    ticket_type_id = serializers.UUIDField(read_only=True, allow_null=True)
    connection_id = serializers.UUIDField(read_only=True)
    checkout = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = [
            "id",
            "series_id",
            "ticket_type_id",
            "provider",
            "provider_reference",
            "connection_id",
            "status",
            "amount",
            "currency",
            "interval",
            "buyer_name",
            "buyer_email",
            "current_period_end",
            "renewals",
            "failure_reason",
            "checkout",
            "canceled_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SubscriptionCheckoutSerializer(allow_null=True))
    def get_checkout(self, subscription: Subscription) -> dict[str, Any] | None:
        """Only in the answer that opened (or reopened) it."""
        return self.context.get("checkout")


def _ticket_types_of(organization: Any) -> Any:
    if organization is None:
        return TicketType.objects.none()
    return TicketType.objects.filter(organization=organization)


class SubscriptionCreateSerializer(InputSerializer):
    ticket_type_id = TenantPrimaryKeyField(
        scope=_ticket_types_of, source="ticket_type", help_text="The pass: a ticket type of a series (an event with sub-events)."
    )
    provider = serializers.ChoiceField(choices=["stripe", "paypal"])
    buyer_name = serializers.CharField(max_length=200)
    buyer_email = serializers.EmailField(max_length=254)
    interval = serializers.ChoiceField(choices=["month", "year"], default="month")


class SubscriptionCancelSerializer(InputSerializer):
    reason = serializers.CharField(max_length=500)
