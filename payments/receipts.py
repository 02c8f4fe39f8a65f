"""Receipts: the invoice as a PDF, emailed to the buyer once per invoice, and served by the API.

``invoice_pdf`` renders an invoice's snapshot (issuer, buyer, lines, tax, totals,
payment method, its gapless number) through ``core.documents``; the same bytes go
into the email and answer ``GET /api/v1/invoices/{id}`` with ``Accept:
application/pdf``.

Sending is at most once per invoice in every case but one: a sender first claims
the invoice with a conditional UPDATE (no receipt sent, no live claim) that sets a
lease (``RECEIPT_LEASE_SECONDS``), commits, talks to the mail server outside any
transaction, then records ``receipt_sent_at`` in a second transaction. A task run
twice, a retry, the sweep and a duplicate message all find the receipt sent or
claimed and do nothing. Only a process that dies after the mail server took the
message and before the record can cause a second copy, once the lease runs out;
both copies carry the same Message-ID, so mail clients show one.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from core import audit, locks
from core.audit import SYSTEM
from core.documents import PDF_MEDIA_TYPE, Branding, Column, Document
from payments.models import Invoice
from registrations import selectors as registration_selectors

logger = logging.getLogger(__name__)

PROVIDER_NAMES = {"sandbox": "Sandbox (test payment)", "stripe": "Card (Stripe)", "paypal": "PayPal"}


def _amount(value: Decimal | str, currency: str) -> str:
    return f"{Decimal(value):,.2f} {currency}"


def payment_method(invoice: Invoice) -> str:
    """How the invoice was paid, as printed: the provider and, for cards, the brand and last four digits."""
    payment = invoice.payment
    label = PROVIDER_NAMES.get(payment.provider, payment.provider.title())
    if payment.card_last4:
        brand = (payment.card_brand or "card").title()
        return f"{label}, {brand} ending in {payment.card_last4}"
    return label


def branding_for(invoice: Invoice) -> Branding:
    """The organization's document branding under the issuer's name as the invoice recorded it."""
    branding = registration_selectors.document_branding(organization=invoice.organization)
    name = str(invoice.issuer.get("name") or branding.name)
    return replace(branding, name=name, footer=branding.footer or f"{name} · Invoice {invoice.number}")


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a PDF (deterministic: the same invoice renders to the same bytes)."""
    currency = invoice.currency
    document = Document(
        title=f"Invoice {invoice.number}",
        subject=f"Invoice {invoice.number} from {invoice.issuer.get('name', '')}",
        branding=branding_for(invoice),
        created_at=invoice.issued_at,
    )
    document.title("Invoice", subtitle=f"No. {invoice.number}")
    document.fields(
        [
            ("Invoice number", invoice.number),
            ("Issued", invoice.issued_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
            ("Issued by", str(invoice.issuer.get("name", ""))),
            ("Billed to", f"{invoice.buyer_name} <{invoice.buyer_email}>"),
            ("Payment", payment_method(invoice)),
            ("Status", "Paid"),
        ]
    )
    document.table(
        [
            Column("Description", 38),
            Column("Qty", 7, "RIGHT"),
            Column("Unit price", 13, "RIGHT"),
            Column("Tax rate", 10, "RIGHT"),
            Column("Net", 11, "RIGHT"),
            Column("Tax", 10, "RIGHT"),
            Column("Total", 13, "RIGHT"),
        ],
        [
            [
                line["description"],
                str(line["quantity"]),
                _amount(line["unit_price"], currency),
                f"{line['tax_rate']} %",
                _amount(line["net"], currency),
                _amount(line["tax"], currency),
                _amount(line["gross"], currency),
            ]
            for line in invoice.lines
        ],
    )
    document.totals(
        [
            ("Net", _amount(invoice.total_net, currency)),
            ("Tax", _amount(invoice.total_tax, currency)),
            ("Total paid", _amount(invoice.total_gross, currency)),
        ]
    )
    document.space(6)
    document.paragraph("Prices include tax. Thank you for your order.", size=9)
    return document.render()


def invoice_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def receipt_message(invoice: Invoice, pdf: bytes) -> EmailMultiAlternatives:
    """The receipt email: plain text and HTML, the invoice PDF attached, a Message-ID fixed by the invoice."""
    context = {
        "invoice": invoice,
        "issuer": invoice.issuer.get("name", ""),
        "lines": [
            {
                **line,
                "unit_price": _amount(line["unit_price"], invoice.currency),
                "gross": _amount(line["gross"], invoice.currency),
            }
            for line in invoice.lines
        ],
        "total": _amount(invoice.total_gross, invoice.currency),
        "tax": _amount(invoice.total_tax, invoice.currency),
        "payment_method": payment_method(invoice),
    }
    message = EmailMultiAlternatives(
        subject=f"Your receipt {invoice.number} from {context['issuer']}",
        body=render_to_string("emails/receipt.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invoice.buyer_email],
        headers={"Message-ID": f"<receipt-{invoice.pk}@{settings.RECEIPT_MESSAGE_ID_DOMAIN}>"},
    )
    message.attach_alternative(render_to_string("emails/receipt.html", context), "text/html")
    message.attach(invoice_filename(invoice), pdf, PDF_MEDIA_TYPE)
    # Sent through the organization's email connection when it has one (communications.backends), tracked per
    # message; without one, through the local backend.
    message.organization_id = invoice.organization_id  # type: ignore[attr-defined]
    message.message_type = "payment_receipt"  # type: ignore[attr-defined]
    message.dedupe_key = f"receipt:{invoice.pk}"  # type: ignore[attr-defined]
    return message


# -- sending ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceiptOutcome:
    invoice_id: uuid.UUID
    sent: bool  # this call sent it
    reason: str = ""  # why not: "sent" (already), "claimed" (another sender holds it), "missing"


def _claimable(now: dt.datetime) -> Q:
    return Q(receipt_sent_at__isnull=True) & (Q(receipt_claimed_until__isnull=True) | Q(receipt_claimed_until__lt=now))


def _claim(invoice_id: uuid.UUID | str, now: dt.datetime) -> bool:
    """Take the invoice's receipt for this sender (a conditional UPDATE: only one sender wins)."""
    lease = dt.timedelta(seconds=settings.RECEIPT_LEASE_SECONDS)
    with transaction.atomic(), locks.bounded():
        return bool(
            Invoice.objects.filter(_claimable(now), pk=invoice_id).update(
                receipt_claimed_until=now + lease, receipt_attempts=F("receipt_attempts") + 1
            )
        )


def receipt_send(*, invoice_id: uuid.UUID | str, now: dt.datetime | None = None) -> ReceiptOutcome:
    """Email the invoice's receipt unless it was sent or another sender holds it.

    Claims the invoice (conditional UPDATE, own transaction), renders and sends
    the email outside any transaction, then records ``receipt_sent_at`` and an
    ``invoice.receipt_sent`` audit entry. A mail server error releases the
    claim, records the error and is raised for the task to retry.
    """
    now = now or timezone.now()
    key = uuid.UUID(str(invoice_id))
    if not _claim(key, now):
        found = list(Invoice.objects.filter(pk=key).values_list("receipt_sent_at", flat=True)[:1])
        reason = "missing" if not found else ("sent" if found[0] is not None else "claimed")
        return ReceiptOutcome(key, sent=False, reason=reason)
    invoice = Invoice.objects.select_related("payment", "organization").get(pk=key)
    try:
        message = receipt_message(invoice, invoice_pdf(invoice))
        message.connection = get_connection()
        message.send()
    except Exception as exc:
        with transaction.atomic(), locks.bounded():
            Invoice.objects.filter(pk=key, receipt_sent_at__isnull=True).update(
                receipt_claimed_until=None, receipt_error=f"{type(exc).__name__}: {exc}"[:500]
            )
        raise
    with transaction.atomic(), locks.bounded():
        Invoice.objects.filter(pk=key).update(receipt_sent_at=timezone.now(), receipt_claimed_until=None, receipt_error="")
        audit.record(
            actor=SYSTEM,
            action="invoice.receipt_sent",
            target=invoice,
            organization_id=invoice.organization_id,
            changes={"to": invoice.buyer_email, "number": invoice.number, "attempt": invoice.receipt_attempts},
        )
    return ReceiptOutcome(key, sent=True)


def receipts_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[uuid.UUID]:
    """Invoices whose receipt was missed: unsent, unclaimed, issued more than a grace period ago and within the window.

    The grace leaves the task enqueued at issue time its chance; invoices past
    ``RECEIPT_MAX_ATTEMPTS`` are left for a person (their last error is on the invoice).
    """
    now = now or timezone.now()
    window = dt.timedelta(hours=settings.RECEIPT_SWEEP_WINDOW_HOURS)
    grace = dt.timedelta(seconds=settings.RECEIPT_SWEEP_GRACE_SECONDS)
    return list(
        Invoice.objects.filter(
            _claimable(now),
            issued_at__gte=now - window,
            issued_at__lte=now - grace,
            receipt_attempts__lt=settings.RECEIPT_MAX_ATTEMPTS,
        )
        .order_by("issued_at")
        .values_list("pk", flat=True)[:limit]
    )
