"""The hosted checkout page: an attendee pays a gateway payment with Stripe.js (Stripe's Payment Element).

The link is signed (``checkout_token``), so only whoever was given it sees the page; the client secret it
carries lets the browser confirm that one intent and nothing else. The page's policy allows Stripe's origins
only (``core.csp.STRIPE_JS``). Coming back from Stripe (3-D Secure, redirect methods) the page asks Stripe for
the intent and applies it (``payment_reconcile``): the return is a trigger like a notification.
"""

from __future__ import annotations

import uuid

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from connectors.exceptions import VendorError
from core import csp
from payments import services
from payments.models import Payment, PaymentStatus

SALT = "payments.checkout"


def checkout_token(payment: Payment) -> str:
    return signing.dumps(str(payment.pk), salt=SALT)


def checkout_path(payment: Payment) -> str:
    return reverse("payment-checkout-page", args=[checkout_token(payment)])


@require_GET
def checkout_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payment_id = uuid.UUID(signing.loads(token, salt=SALT, max_age=7 * 24 * 3600))
    except (signing.BadSignature, ValueError):
        raise Http404("No such checkout.") from None
    payment = Payment.objects.select_related("event", "connection").filter(pk=payment_id).first()
    if payment is None or payment.connection is None:
        raise Http404("No such checkout.")
    error = ""
    if request.GET.get("payment_intent") and payment.status in (PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.PROCESSING):
        try:
            payment = services.payment_reconcile(payment=payment)
        except VendorError:
            error = "We could not reach the payment provider; your payment's status will update shortly."
    checkout = None
    if payment.status == PaymentStatus.REQUIRES_PAYMENT:
        try:
            checkout = services.payment_checkout(actor=services.SYSTEM, payment=payment)
        except services.DomainError:
            error = "The payment provider cannot be reached right now. Please try again in a few minutes."
    response = render(
        request,
        "payments/checkout.html",
        {
            "payment": payment,
            "event": payment.event,
            "checkout": checkout,
            "error": error,
            "return_url": request.build_absolute_uri(request.path),
        },
    )
    return csp.allow(response, **csp.STRIPE_JS)
