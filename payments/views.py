"""The payments API: payments (create, confirm, refund, history), invoices and the revenue report.

Reads need ``payments.view``. Creating and confirming a payment need
``registrations.manage`` or ``payments.manage`` (whoever sells the tickets may
take the money); refunds need ``payments.manage``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Perm
from api.exceptions import ApiError
from api.renderers import PDFRenderer
from api.viewsets import ApiViewSet
from core import errors as codes
from core.errors import DomainError
from events import selectors as event_selectors
from payments import errors, paypal, receipts, selectors, services, subscriptions
from payments.models import CaptureMethod, Invoice, Payment, PaymentStatus, Subscription
from payments.pages import checkout_path
from payments.serializers import (
    InvoiceFilterSerializer,
    InvoiceSerializer,
    PaymentCheckoutSerializer,
    PaymentConfirmSerializer,
    PaymentCreateSerializer,
    PaymentFilterSerializer,
    PaymentRefundSerializer,
    PaymentSerializer,
    RevenueQuerySerializer,
    RevenueReportSerializer,
    SubscriptionCancelSerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
)

VIEW, MANAGE = Perm.PAYMENTS_VIEW, Perm.PAYMENTS_MANAGE
# Actions allowed to holders of any one of these permissions.
TAKE_MONEY = (Perm.REGISTRATIONS_MANAGE, Perm.PAYMENTS_MANAGE)


class TakesMoneyViewSet(ApiViewSet):
    """Actions in ``any_of_permissions`` are allowed to holders of any one of their permissions."""

    any_of_permissions: dict[str, tuple[Perm, ...]] = {}

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        needed = self.any_of_permissions.get(getattr(self, "action", None) or "")
        if needed and not any(self.auth.can(p) for p in needed):
            self.permission_denied(request, message=f"This needs one of the permissions {', '.join(needed)}.")


class PaymentViewSet(TakesMoneyViewSet):
    cached_actions = frozenset({"list", "retrieve"})
    serializer_class = PaymentSerializer
    required_permissions = {"list": VIEW, "retrieve": VIEW, "refund": MANAGE}
    any_of_permissions = {"create": TAKE_MONEY, "confirm": TAKE_MONEY, "checkout": TAKE_MONEY}

    @extend_schema(parameters=[PaymentFilterSerializer])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(PaymentFilterSerializer)
        return self.page(selectors.payment_list(organization=self.auth.organization, filters=filters), PaymentSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._payment(pk), PaymentSerializer)

    @extend_schema(request=PaymentCreateSerializer, responses={201: PaymentCheckoutSerializer})
    def create(self, request: Request) -> Response:
        """Create a payment; with a gateway (`provider: "stripe"`) the answer's `checkout` carries what the client
        needs (Stripe: `clientSecret` and `publishableKey` for Stripe Elements) and the hosted checkout page."""
        data = self.parse(PaymentCreateSerializer)
        payment = services.payment_create(
            actor=self.auth.actor,
            registrations=data["registrations"],
            provider=data["provider"],
            capture=data["capture_method"] == CaptureMethod.AUTOMATIC,
        )
        if payment.connection_id is not None:
            # Committed first: the gateway is called outside the transaction (a failure leaves the payment to retry).
            self._checkout = self._open_checkout(request, payment, required=False)
        return self.created(self._payment(payment.pk), PaymentCheckoutSerializer, location=f"/api/v1/payments/{payment.pk}")

    @extend_schema(
        request=None,
        responses={
            200: PaymentCheckoutSerializer,
            409: OpenApiResponse(description="PAYMENT_INVALID_TRANSITION: the payment is not a gateway payment"),
        },
    )
    @action(detail=True, methods=["get"])
    def checkout(self, request: Request, pk: str) -> Response:
        """The gateway checkout of a payment (opened at the gateway if an earlier attempt could not reach it)."""
        payment = self._payment(pk)
        self._checkout = self._open_checkout(request, payment, required=True)
        return self.read(self._payment(pk), PaymentCheckoutSerializer)

    def _open_checkout(self, request: Request, payment: Payment, *, required: bool) -> dict[str, Any] | None:
        try:
            checkout = services.payment_checkout(actor=self.auth.actor, payment=payment)
        except DomainError:
            if required:
                raise
            return None
        return {
            "provider_payment_id": checkout.provider_payment_id,
            "client_secret": checkout.client_secret,
            "publishable_key": checkout.publishable_key,
            "approval_url": checkout.approval_url,
            "checkout_url": request.build_absolute_uri(checkout_path(payment)),
        }

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "checkout": getattr(self, "_checkout", None)}

    @extend_schema(request=PaymentConfirmSerializer, responses={200: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        data = self.parse(PaymentConfirmSerializer)
        payment = services.payment_confirm(actor=self.auth.actor, payment=self._payment(pk), card_number=data["card_number"])
        if payment.status == PaymentStatus.FAILED:
            raise DomainError(
                errors.PAYMENT_DECLINED,
                payment.failure_message or None,
                details={"providerCode": payment.failure_code, "paymentId": str(payment.pk)},
                target="cardNumber",
            )
        return self.read(self._payment(pk), PaymentSerializer)

    @extend_schema(request=PaymentRefundSerializer, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def refund(self, request: Request, pk: str) -> Response:
        data = self.parse(PaymentRefundSerializer)
        services.payment_refund(
            actor=self.auth.actor, payment=self._payment(pk), amount=data.get("amount"), reason=data["reason"]
        )
        return self.read(self._payment(pk), PaymentSerializer, status=201)

    def _payment(self, pk: Any) -> Payment:
        return self.found(selectors.payment_get(organization=self.auth.organization, payment_id=pk))


class SubscriptionViewSet(TakesMoneyViewSet):
    """Series passes sold as gateway subscriptions (docs/payments.md, "Series passes")."""

    cached_actions = frozenset({"list", "retrieve"})
    serializer_class = SubscriptionSerializer
    required_permissions = {"list": VIEW, "retrieve": VIEW, "cancel": MANAGE}
    any_of_permissions = {"create": TAKE_MONEY}

    def list(self, request: Request) -> Response:
        return self.page(selectors.subscription_list(organization=self.auth.organization), SubscriptionSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._subscription(pk), SubscriptionSerializer)

    @extend_schema(request=SubscriptionCreateSerializer, responses={201: SubscriptionSerializer})
    def create(self, request: Request) -> Response:
        """Sell a series pass: the subscription is recorded, then opened at the gateway; `checkout` carries what the
        buyer needs to pay the first cycle (null when the gateway could not be reached: ask again with GET)."""
        data = self.parse(SubscriptionCreateSerializer)
        subscription = subscriptions.subscription_start(
            actor=self.auth.actor,
            ticket_type=data["ticket_type"],
            buyer_name=data["buyer_name"],
            buyer_email=data["buyer_email"],
            provider=data["provider"],
            interval=data["interval"],
        )
        self._checkout = self._open(subscription)
        return self.created(
            self._subscription(subscription.pk), SubscriptionSerializer, location=f"/api/v1/subscriptions/{subscription.pk}"
        )

    def _open(self, subscription: Subscription) -> dict[str, Any] | None:
        pages = paypal.subscription_pages(subscription) if subscription.provider == "paypal" else {}
        try:
            checkout = subscriptions.subscription_checkout(actor=self.auth.actor, subscription=subscription, **pages)
        except DomainError:
            return None
        return {
            "provider_subscription_id": checkout.provider_subscription_id,
            "client_secret": checkout.client_secret,
            "publishable_key": checkout.publishable_key,
            "approval_url": checkout.approval_url,
        }

    @extend_schema(request=SubscriptionCancelSerializer, responses={200: SubscriptionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel the pass at its gateway (a connector job: the answer may still show it active until the gateway
        confirms); it stays valid until `currentPeriodEnd`."""
        data = self.parse(SubscriptionCancelSerializer)
        subscriptions.subscription_cancel(actor=self.auth.actor, subscription=self._subscription(pk), reason=data["reason"])
        return self.read(self._subscription(pk), SubscriptionSerializer)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "checkout": getattr(self, "_checkout", None)}

    def _subscription(self, pk: Any) -> Subscription:
        return self.found(selectors.subscription_get(organization=self.auth.organization, subscription_id=pk))


class InvoiceViewSet(ApiViewSet):
    cached_actions = frozenset({"list", "retrieve"})
    serializer_class = InvoiceSerializer
    required_permissions = {"list": VIEW, "retrieve": VIEW}
    formats = {"retrieve": (PDFRenderer,)}

    @extend_schema(parameters=[InvoiceFilterSerializer])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(InvoiceFilterSerializer)
        return self.page(selectors.invoice_list(organization=self.auth.organization, filters=filters), InvoiceSerializer)

    @extend_schema(
        responses={
            (200, "application/json"): InvoiceSerializer,
            (200, PDFRenderer.media_type): OpenApiResponse(
                OpenApiTypes.BINARY, description="The invoice as a PDF (`Accept: application/pdf`): the receipt's attachment."
            ),
            406: OpenApiResponse(description="NOT_ACCEPTABLE: `details.available` lists the media types offered"),
        }
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        """One invoice: JSON, or the PDF the buyer's receipt carries with `Accept: application/pdf`."""
        invoice: Invoice = self.found(selectors.invoice_get(organization=self.auth.organization, invoice_id=pk))
        if isinstance(request.accepted_renderer, PDFRenderer):
            return self.document(invoice, receipts.invoice_pdf(invoice), receipts.invoice_filename(invoice))
        return self.read(invoice, InvoiceSerializer)


class RevenueReportViewSet(ApiViewSet):
    """GET /reports/revenue: collected money per day, event or ticket type, per currency (not paginated)."""

    cached_actions = frozenset({"report"})
    serializer_class = RevenueReportSerializer
    required_permissions = {"report": VIEW}

    @extend_schema(
        parameters=[
            RevenueQuerySerializer,
            OpenApiParameter("from", str, description="First day (YYYY-MM-DD, UTC), inclusive."),
            OpenApiParameter("to", str, description="Last day (YYYY-MM-DD, UTC), inclusive."),
        ],
        responses=RevenueReportSerializer,
    )
    def report(self, request: Request) -> Response:
        query = self.parse_query(RevenueQuerySerializer)
        organization = self.auth.organization
        event_id = query.get("event_id")
        if event_id is not None and event_selectors.event_get(organization=organization, event_id=event_id) is None:
            raise ApiError(codes.RESOURCE_NOT_FOUND, target="eventId")
        report = selectors.revenue_report(
            organization=organization,
            group_by=query.get("group_by", "day"),
            event_id=event_id,
            date_from=query.get("from"),
            date_to=query.get("to"),
        )
        return Response(report)
