"""Reconciliation of gateway payments: the platform asks the gateway, it does not wait for a notification forever.

A payment left in ``requires_payment`` or ``processing`` longer than PAYMENT_RECONCILE_AFTER_SECONDS since it was
last checked (a missed or lost notification, a crash between the commit and the gateway's answer) is fetched
from its gateway and the answer applied through ``payment_apply_provider_state``. Payments older than
PAYMENT_RECONCILE_WINDOW_DAYS are left alone (the registration expired long ago; the gateway's own expiry ended
the intent). A payment the gateway reports authorized is captured (``capture_submit``).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Q

from connectors import clock, jobs
from connectors.exceptions import VendorError
from core.errors import DomainError
from payments import paypal as paypal_flow
from payments import services
from payments.models import Payment, PaymentStatus

logger = logging.getLogger(__name__)


def payments_due(*, now: dt.datetime | None = None, limit: int = 200) -> list[uuid.UUID]:
    now = now or clock.now()
    stale = now - dt.timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER_SECONDS)
    window = now - dt.timedelta(days=settings.PAYMENT_RECONCILE_WINDOW_DAYS)
    return list(
        Payment.objects.filter(
            connection__isnull=False,
            status__in=(PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.PROCESSING),
            created_at__gte=window,
            created_at__lt=stale,
        )
        .filter(Q(provider_checked_at__isnull=True) | Q(provider_checked_at__lt=stale))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def reconcile_one(payment_id: str) -> str:
    """Ask the gateway about one payment and apply its answer; an authorized payment (a PayPal order approved
    whose buyer never came back and whose webhook was lost, a Stripe intent awaiting capture) is captured by its
    capture job, the same job the other paths submit, so it is captured once."""
    payment = Payment.objects.select_related("connection").get(pk=payment_id)
    try:
        payment = services.payment_reconcile(payment=payment, now=clock.now())
        if payment.provider_status == "authorized" and payment.connection is not None:
            job = capture_submit(payment)
            jobs.run(job.pk)
            payment.refresh_from_db()
    except (VendorError, DomainError) as exc:  # the next run asks again; the breaker spares a dead gateway
        logger.warning("reconciling payment %s: %s", payment_id, exc)
        return payment.status
    return payment.status


def capture_submit(payment: Payment) -> Any:
    """The capture job of an authorized gateway payment (PayPal's keyed by its order, as its return page does)."""
    if payment.provider == paypal_flow.paypal.NAME:
        assert payment.connection is not None
        return paypal_flow.capture_submit(payment.connection, payment.provider_reference)
    return services.payment_capture_submit(payment=payment)
