"""The pages PayPal sends the buyer back to: return (capture) and cancel.

PayPal appends ``token`` (the order id) and, on return, ``PayerID``. The order id must be the one the platform
created for the payment. The capture is a connector job run at once in this request; when PayPal cannot be reached,
the job stays pending, the page says the payment is being confirmed, and the sweep (or PayPal's webhook) finishes it.
When PayPal declines the buyer's funding source (INSTRUMENT_DECLINED), the buyer is sent back to the order's approval
link to choose another, as PayPal asks.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from connectors import jobs
from connectors.exceptions import VendorError
from core.audit import SYSTEM
from core.errors import DomainError
from payments import paypal, subscriptions
from payments.models import Payment, PaymentStatus, Subscription, SubscriptionStatus

HEADINGS: dict[str, tuple[str, str]] = {
    PaymentStatus.SUCCEEDED: ("Payment received", "Thank you: PayPal confirmed the payment and your registration is confirmed."),
    PaymentStatus.PROCESSING: (
        "Payment being confirmed",
        "PayPal has not confirmed the payment yet. You will get an email with the receipt as soon as it does.",
    ),
    PaymentStatus.FAILED: ("Payment not completed", "PayPal did not complete the payment; nothing was charged."),
}


def _payment(payment_id: Any, token: str) -> tuple[Payment, Any]:
    """The PayPal payment whose order is ``token`` and its connection; 404 for anything else."""
    payment = Payment.objects.select_related("event").filter(pk=payment_id, provider="paypal").first()
    if payment is None or not token:
        raise Http404("No such PayPal payment.")
    connection = paypal.connection_of(payment)
    if connection is None or paypal.order_of(payment) != token:
        raise Http404("No such PayPal payment.")
    return payment, connection


def _page(request: HttpRequest, payment: Payment, *, status: str, heading: str, message: str, code: int = 200) -> HttpResponse:
    context = {"payment": payment, "status": status, "heading": heading, "message": message}
    return render(request, "payments/paypal_result.html", context, status=code)


@require_GET
def paypal_return(request: HttpRequest, payment_id: Any) -> HttpResponse:
    payment, connection = _payment(payment_id, request.GET.get("token", ""))
    job = paypal.capture_submit(connection, paypal.order_of(payment))
    jobs.run(job.pk)  # None when another path (the webhook, a reload) holds or finished it
    job.refresh_from_db()
    if (job.result or {}).get("status") == "instrument_declined":
        # PayPal: restart the payment so the buyer can choose another funding source for the same order.
        try:
            return HttpResponseRedirect(paypal.checkout(actor=SYSTEM, payment=payment))
        except DomainError:
            pass  # PayPal unreachable: the page below says the payment is not completed yet
    payment.refresh_from_db()
    status = payment.status if payment.status in HEADINGS else PaymentStatus.PROCESSING
    heading, message = HEADINGS[status]
    return _page(request, payment, status=status, heading=heading, message=message)


@require_GET
def paypal_cancel(request: HttpRequest, payment_id: Any) -> HttpResponse:
    payment, connection = _payment(payment_id, request.GET.get("token", ""))
    try:
        state = paypal.cancel(connection, payment)
    except VendorError:
        state = None
    if state is not None and state.status not in ("requires_payment", "failed"):
        # Approved in another tab, or already captured: the return path applies it.
        payment.refresh_from_db()
        heading, message = HEADINGS.get(payment.status, HEADINGS[PaymentStatus.PROCESSING])
        return _page(request, payment, status=payment.status, heading=heading, message=message)
    return _page(
        request,
        payment,
        status="cancelled",
        heading="Payment cancelled",
        message="You left PayPal without paying. Your registration stays reserved until it expires; you can pay again.",
    )


PASS_HEADINGS: dict[str, tuple[str, str]] = {
    SubscriptionStatus.ACTIVE: ("Series pass active", "Thank you: PayPal confirmed the first payment of your series pass."),
    SubscriptionStatus.INCOMPLETE: (
        "Series pass being confirmed",
        "PayPal has not confirmed the first payment yet; your pass becomes active as soon as it does.",
    ),
}


@require_GET
def paypal_subscription_return(request: HttpRequest, subscription_id: Any) -> HttpResponse:
    """PayPal sends the subscriber back with ``subscription_id``: ask PayPal and apply what it says now."""
    token = request.GET.get("subscription_id", "")
    subscription = (
        Subscription.objects.select_related("series", "connection").filter(pk=subscription_id, provider="paypal").first()
    )
    if subscription is None or not token or subscription.provider_reference != token:
        raise Http404("No such PayPal subscription.")
    try:
        subscriptions.subscription_refresh(connection=subscription.connection, provider_subscription_id=token)
    except VendorError:
        pass  # PayPal's webhook (BILLING.SUBSCRIPTION.ACTIVATED) finishes it
    subscription.refresh_from_db()
    status = subscription.status if subscription.status in PASS_HEADINGS else SubscriptionStatus.INCOMPLETE
    heading, message = PASS_HEADINGS[status]
    context = {"subscription": subscription, "status": status, "heading": heading, "message": message}
    return render(request, "payments/paypal_result.html", context)


urlpatterns = [
    path("pay/paypal/<uuid:payment_id>/return", paypal_return, name="paypal-return"),
    path("pay/paypal/<uuid:payment_id>/cancel", paypal_cancel, name="paypal-cancel"),
    path("pay/paypal/subscriptions/<uuid:subscription_id>/return", paypal_subscription_return, name="paypal-subscription-return"),
]
