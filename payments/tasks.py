"""Celery tasks of payments: the receipt email of an invoice and the sweep that finds missed ones."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import DatabaseError

from core.jobs import TASK_DEFAULTS, send_now
from core.locks import Busy
from payments import receipts, reconcile

# A mail server that refuses or cannot be reached is retried with the platform's backoff; after the
# last retry the sweep tries again, until RECEIPT_MAX_ATTEMPTS.
RETRIED = (DatabaseError, Busy, smtplib.SMTPException, OSError)


@shared_task(name="payments.send_receipt", autoretry_for=RETRIED, **TASK_DEFAULTS)
def send_receipt(invoice_id: str) -> bool:
    """Send the invoice's receipt; True when this run sent it. Idempotent: a sent or claimed receipt is left alone."""
    return receipts.receipt_send(invoice_id=invoice_id).sent


@shared_task(name="payments.sweep_receipts", autoretry_for=(DatabaseError, Busy), **TASK_DEFAULTS)
def sweep_receipts() -> int:
    """Enqueue a send for every invoice whose receipt was missed (broker down, worker killed); beat runs it."""
    due = receipts.receipts_due()
    for invoice_id in due:
        send_now(send_receipt, str(invoice_id))
    return len(due)


@shared_task(name="payments.reconcile_gateways", autoretry_for=(DatabaseError, Busy), **TASK_DEFAULTS)
def reconcile_gateways() -> int:
    """Ask the gateways about payments left open too long or whose notification was missed; beat runs it."""
    due = reconcile.payments_due()
    for payment_id in due:
        send_now(reconcile_payment, str(payment_id))
    return len(due)


@shared_task(name="payments.reconcile_payment", autoretry_for=(DatabaseError, Busy), **TASK_DEFAULTS)
def reconcile_payment(payment_id: str) -> str:
    """Ask the gateway about one payment and apply its answer; the payment's status afterwards. Idempotent."""
    return reconcile.reconcile_one(payment_id)
