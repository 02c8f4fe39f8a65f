"""Receipts: the invoice PDF, the email that carries it (once per invoice), the sweep, and the PDF over the API."""

from __future__ import annotations

import datetime as dt
import io
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from config.celery import app
from core.models import AuditEntry
from payments import receipts, services, tasks
from payments.models import Invoice
from tests.conftest import error_of
from tests.factories import OrganizationFactory
from tests.payments.factories import VISA, paid_event, paid_ticket, pending_order

pytestmark = pytest.mark.django_db


def pay(owner: Any, ticket: Any, *emails: str) -> Invoice:
    regs = pending_order(owner, ticket, *(emails or ("ada@example.com", "bob@example.com")))
    payment = services.payment_create(actor=owner, registrations=regs)
    services.payment_confirm(actor=owner, payment=payment, card_number=VISA)
    return Invoice.objects.select_related("payment").get(payment=payment)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


# -- the PDF ------------------------------------------------------------------------------------
def test_the_invoice_pdf_parses_and_says_what_the_invoice_says(owner, ticket, org):
    invoice = pay(owner, ticket)
    content = receipts.invoice_pdf(invoice)
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata is not None and reader.metadata.title == f"Invoice {invoice.number}"
    text = pdf_text(content)
    for expected in (
        invoice.number,
        org.name,
        "Ada <ada@example.com>",  # the buyer
        "Acme Summit: Standard",  # the line
        "19.00 %",
        "25.00 EUR",  # unit price
        "42.02 EUR",  # net
        "7.98 EUR",  # tax
        "50.00 EUR",  # total
        "Visa ending in 4242",  # payment method
    ):
        assert expected in text, expected
    assert receipts.invoice_pdf(invoice) == content  # deterministic: the API and the email carry the same bytes


def test_names_outside_latin1_print_as_written(owner, org):
    event = paid_event(org, title="Łódź Šibenik Summit")
    ticket = paid_ticket(event, name="Früh")
    invoice = pay(owner, ticket, "zoe@example.com")
    assert "Łódź Šibenik Summit: Früh" in pdf_text(receipts.invoice_pdf(invoice))


def test_without_the_font_the_pdf_falls_back_to_latin1(owner, org, settings, tmp_path):
    settings.DOCUMENT_FONT_DIR = str(tmp_path)  # no DejaVu there
    event = paid_event(org, title="Łódź Šibenik Summit")
    invoice = pay(owner, paid_ticket(event, name="Früh"), "zoe@example.com")
    # Latin-1 letters stay, others lose their accents, and a letter with no Latin-1 base becomes "?".
    assert "?ódz Sibenik Summit: Früh" in pdf_text(receipts.invoice_pdf(invoice))


# -- the email --------------------------------------------------------------------------------------
def test_the_receipt_is_sent_once_with_the_pdf_even_when_the_task_runs_twice(owner, ticket, settings):
    invoice = pay(owner, ticket)
    assert tasks.send_receipt(str(invoice.pk)) is True
    assert tasks.send_receipt(str(invoice.pk)) is False  # a retried or duplicated message
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"] and invoice.number in message.subject
    assert invoice.number in message.body and "50.00 EUR" in message.body
    html = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    assert invoice.number in html and "50.00 EUR" in html
    pdfs = [(name, body, mime) for name, body, mime in message.attachments if mime == "application/pdf"]
    assert len(pdfs) == 1
    name, body, _ = pdfs[0]
    assert name == f"{invoice.number}.pdf" and body == receipts.invoice_pdf(invoice)
    assert invoice.number in pdf_text(body)
    assert message.message()["Message-ID"] == f"<receipt-{invoice.pk}@{settings.RECEIPT_MESSAGE_ID_DOMAIN}>"
    invoice.refresh_from_db()
    assert invoice.receipt_sent_at is not None and invoice.receipt_claimed_until is None and invoice.receipt_attempts == 1
    assert AuditEntry.objects.filter(action="invoice.receipt_sent", object_id=str(invoice.pk)).count() == 1


def test_a_claimed_receipt_is_left_to_its_sender_until_the_lease_runs_out(owner, ticket, settings):
    invoice = pay(owner, ticket)
    now = timezone.now()
    assert receipts._claim(invoice.pk, now)  # another worker is sending it
    outcome = receipts.receipt_send(invoice_id=invoice.pk, now=now + dt.timedelta(seconds=10))
    assert (outcome.sent, outcome.reason) == (False, "claimed") and mail.outbox == []
    later = now + dt.timedelta(seconds=settings.RECEIPT_LEASE_SECONDS + 1)  # that worker died
    assert receipts.receipt_send(invoice_id=invoice.pk, now=later).sent
    assert len(mail.outbox) == 1
    assert receipts.receipt_send(invoice_id=invoice.pk, now=later).reason == "sent"


def test_a_mail_server_error_is_recorded_and_retried(owner, ticket, settings):
    invoice = pay(owner, ticket)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    with pytest.raises(OSError):
        receipts.receipt_send(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.receipt_sent_at is None and invoice.receipt_claimed_until is None
    assert invoice.receipt_attempts == 1 and "ConnectionRefusedError" in invoice.receipt_error
    assert OSError in tasks.send_receipt.autoretry_for and smtplib.SMTPException in tasks.send_receipt.autoretry_for
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert receipts.receipt_send(invoice_id=invoice.pk).sent and len(mail.outbox) == 1
    invoice.refresh_from_db()
    assert invoice.receipt_attempts == 2 and invoice.receipt_error == ""


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_paying_enqueues_the_receipt_after_commit(owner, ticket, django_capture_on_commit_callbacks):
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            invoice = pay(owner, ticket)
            assert mail.outbox == []  # nothing before the commit
    finally:
        app.conf.task_always_eager = eager
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    invoice.refresh_from_db()
    assert invoice.receipt_sent_at is not None
    services.receipt_schedule(invoice=invoice)  # a second trigger (a webhook replay) sends nothing
    assert len(mail.outbox) == 1


def test_a_declined_payment_sends_no_receipt(owner, ticket, django_capture_on_commit_callbacks):
    regs = pending_order(owner, ticket)
    payment = services.payment_create(actor=owner, registrations=regs)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.payment_confirm(actor=owner, payment=payment, card_number="4000 0000 0000 0002")
    finally:
        app.conf.task_always_eager = eager
    assert not Invoice.objects.exists() and mail.outbox == []


def test_the_sweep_finds_missed_receipts_only(owner, ticket, settings):
    sent, missed, claimed, _fresh, old, given_up = (pay(owner, ticket, f"u{i}@example.com") for i in range(6))
    now = timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    Invoice.objects.filter(pk__in=[sent.pk, missed.pk, claimed.pk, given_up.pk]).update(issued_at=hour_ago)
    Invoice.objects.filter(pk=old.pk).update(issued_at=now - dt.timedelta(hours=settings.RECEIPT_SWEEP_WINDOW_HOURS + 1))
    Invoice.objects.filter(pk=sent.pk).update(receipt_sent_at=hour_ago)
    Invoice.objects.filter(pk=claimed.pk).update(receipt_claimed_until=now + dt.timedelta(minutes=1))
    Invoice.objects.filter(pk=given_up.pk).update(receipt_attempts=settings.RECEIPT_MAX_ATTEMPTS)
    assert receipts.receipts_due(now=now) == [missed.pk]  # fresh is within the grace, old is past the window
    assert tasks.sweep_receipts() == 1  # enqueued to the test broker
    assert receipts.receipt_send(invoice_id=missed.pk).sent
    assert receipts.receipts_due(now=now) == []


# -- the API ----------------------------------------------------------------------------------------
def test_accept_pdf_answers_the_same_pdf(client_owner, owner, ticket):
    invoice = pay(owner, ticket)
    response = client_owner.get(f"/api/v1/invoices/{invoice.pk}", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == receipts.invoice_pdf(invoice)
    assert f'filename="{invoice.number}.pdf"' in response["Content-Disposition"]
    assert "Accept" in response["Vary"]
    etag = response["ETag"]
    as_json = client_owner.get(f"/api/v1/invoices/{invoice.pk}")
    assert as_json["Content-Type"].startswith("application/json") and as_json.json()["number"] == invoice.number
    assert as_json["ETag"] != etag  # one validator per representation
    again = client_owner.get(f"/api/v1/invoices/{invoice.pk}", HTTP_ACCEPT="application/pdf", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    preferred = client_owner.get(f"/api/v1/invoices/{invoice.pk}", HTTP_ACCEPT="application/pdf, application/json;q=0.5")
    assert preferred["Content-Type"] == "application/pdf"  # the quality values decide, not the renderers' order
    refused_json = client_owner.get(f"/api/v1/invoices/{invoice.pk}", HTTP_ACCEPT="application/json;q=0, */*;q=0.1")
    assert refused_json["Content-Type"] == "application/xml; charset=utf-8"  # anything but JSON: the next offered
    assert client_owner.get(f"/api/v1/invoices/{invoice.pk}", HTTP_ACCEPT="*/*")["Content-Type"].startswith("application/json")


def test_the_read_cache_keeps_one_entry_per_representation(client_owner, owner, ticket, settings):
    settings.API_READ_CACHE_SECONDS = 60
    invoice = pay(owner, ticket)
    url = f"/api/v1/invoices/{invoice.pk}"
    for _ in range(2):
        assert client_owner.get(url)["Content-Type"].startswith("application/json")
        assert client_owner.get(url, HTTP_ACCEPT="application/pdf").content.startswith(b"%PDF-")


def test_an_unknown_accept_is_406_listing_the_formats(client_owner, owner, ticket):
    invoice = pay(owner, ticket)
    response = client_owner.get(f"/api/v1/invoices/{invoice.pk}", HTTP_ACCEPT="text/csv")
    assert response.status_code == 406 and response["Content-Type"].startswith("application/json")
    error = error_of(response)
    assert error["code"] == "NOT_ACCEPTABLE"
    assert error["details"]["available"] == ["application/json", "application/xml", "application/pdf"]
    listing = client_owner.get("/api/v1/invoices", HTTP_ACCEPT="application/pdf")
    assert listing.status_code == 406
    assert error_of(listing)["details"]["available"] == ["application/json", "text/csv", "application/xml"]


def test_another_organizations_invoice_is_404_in_every_format(api, member, owner, ticket):
    invoice = pay(owner, ticket)
    stranger_org = OrganizationFactory()
    stranger = api(member(organization=stranger_org, email="eve@other.example"), stranger_org)
    for accept in ("application/pdf", "application/json"):
        response = stranger.get(f"/api/v1/invoices/{invoice.pk}", HTTP_ACCEPT=accept)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), accept
        assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


def test_the_openapi_document_declares_the_pdf(client):
    from api.schema import document

    operation = document()["paths"]["/api/v1/invoices/{id}"]["get"]
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"application/json", "application/xml", "application/pdf"}
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert "406" in operation["responses"]
