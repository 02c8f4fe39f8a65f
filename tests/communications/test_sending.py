"""Mail through the email connector: django-anymail's SendGrid backend against the SendGrid fake over real HTTP,
as durable connector jobs; the platform key; the local backend when no vendor is configured."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from communications import services
from communications.models import Message, MessageStatus, MessageType
from connectors import jobs, tasks
from connectors.models import CallLog, ConnectorJob, JobStatus
from core.audit import SYSTEM
from tests.fakes.sendgrid import SendGridFake

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture_eager(django_capture_on_commit_callbacks: Any, eager: None) -> Any:
    return django_capture_on_commit_callbacks


def receipt(org: Any, to: str = "ada@example.com") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="Your receipt", body="Paid 20.00 EUR.", from_email="Acme <tickets@acme.example>", to=[to]
    )
    message.attach_alternative("<p>Paid <b>20.00 EUR</b>.</p>", "text/html")
    message.attach("receipt.pdf", b"%PDF-1.4 fake receipt", "application/pdf")
    message.organization = org  # type: ignore[attr-defined]
    message.message_type = MessageType.PAYMENT_RECEIPT  # type: ignore[attr-defined]
    return message


def test_a_django_email_goes_through_sendgrid_when_the_organization_connected_it(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connection = connect_sendgrid()
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt(org).send() == 1
    (sent,) = sendgrid.sent
    assert sent["personalizations"][0]["to"] == [{"email": "ada@example.com"}]
    assert sent["from"] == {"email": "tickets@acme.example", "name": "Acme"}
    assert [c["type"] for c in sent["content"]] == ["text/plain", "text/html"]
    (attachment,) = sent["attachments"]
    assert attachment["filename"] == "receipt.pdf" and base64.b64decode(attachment["content"]).startswith(b"%PDF")
    assert sendgrid.calls("POST", "/v3/mail/send")[0].header("Authorization") == "Bearer SG.orgkey.secret123"
    message = Message.objects.get()
    assert (message.type, message.recipient, message.status, message.vendor_message_id, message.connection_id) == (
        MessageType.PAYMENT_RECEIPT,
        "ada@example.com",
        MessageStatus.SENT,
        sent["message_id"],
        connection.pk,
    )
    assert sent["custom_args"] == {"emp_message": str(message.pk)}
    log = CallLog.objects.get(connection=connection)
    assert (log.operation, log.path, log.status_code, log.vendor_request_id) == (
        "mail.send",
        "/v3/mail/send",
        202,
        sent["message_id"],
    )
    assert mail.outbox == []


def test_without_a_vendor_the_message_goes_to_the_local_backend(
    org: Any, sendgrid: SendGridFake, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        receipt(org).send()
    assert sendgrid.sent == []
    (local,) = mail.outbox
    assert local.to == ["ada@example.com"] and local.attachments[0][0] == "receipt.pdf"
    message = Message.objects.get()
    assert (message.vendor, message.status) == ("local", MessageStatus.SENT)


def test_a_message_of_no_organization_goes_to_the_local_backend_unlogged(sendgrid: SendGridFake) -> None:
    mail.EmailMessage("Confirm your address", "Click", "no-reply@localhost", ["dev@example.com"]).send()
    assert [m.subject for m in mail.outbox] == ["Confirm your address"] and not Message.objects.exists()


def test_the_platform_key_sends_for_an_organization_without_its_own_connection(
    org: Any, sendgrid: SendGridFake, settings: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    settings.SENDGRID_API_KEY = "SG.platform.key"
    with django_capture_on_commit_callbacks(execute=True):
        receipt(org).send()
        receipt(org, to="bob@example.com").send()
    assert [r.header("Authorization") for r in sendgrid.calls("POST", "/v3/mail/send")] == ["Bearer SG.platform.key"] * 2
    assert Message.objects.filter(status=MessageStatus.SENT, vendor="sendgrid").count() == 2
    assert ConnectorJob.objects.values("connection").distinct().count() == 1  # one platform connection, made once


def test_sendgrid_down_delays_the_send_and_the_sweep_sends_it_once(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, frozen: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connect_sendgrid()
    with sendgrid.down(), django_capture_on_commit_callbacks(execute=True):
        receipt(org).send()
    job = ConnectorJob.objects.get()
    assert job.status == JobStatus.PENDING and job.attempts == 1 and "unreachable" in job.last_error
    assert Message.objects.get().status == MessageStatus.QUEUED
    frozen.advance(600)
    tasks.sweep()
    tasks.sweep()  # a second sweep finds nothing due: the message is not sent again
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and len(sendgrid.sent) == 1
    assert Message.objects.get().status == MessageStatus.SENT


def test_a_retried_job_never_sends_twice(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, frozen: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connect_sendgrid()
    with django_capture_on_commit_callbacks(execute=True):
        receipt(org).send()
    job = ConnectorJob.objects.get()
    # The job is made due again as if its success had not been recorded (a worker lost after the send).
    ConnectorJob.objects.filter(pk=job.pk).update(status=JobStatus.PENDING, lease_until=None)
    assert jobs.run(job.pk) == JobStatus.SUCCEEDED
    assert len(sendgrid.sent) == 1


def test_a_rate_limit_waits_for_the_window_and_then_sends(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, frozen: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connect_sendgrid()
    reset = int(frozen.now.timestamp()) + 120
    limited = (429, {"X-RateLimit-Reset": str(reset)}, {"errors": [{"message": "too many requests", "field": None}]})
    sendgrid.fail_next(limited)
    with django_capture_on_commit_callbacks(execute=True):
        receipt(org).send()
    job = ConnectorJob.objects.get()
    assert job.status == JobStatus.PENDING and job.next_attempt_at.timestamp() >= reset - 1
    frozen.advance(130)
    tasks.sweep()
    assert len(sendgrid.sent) == 1 and Message.objects.get().status == MessageStatus.SENT


def test_a_refusal_fails_the_message_with_sendgrids_reason(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connect_sendgrid()
    sendgrid.fail_next(
        (400, {}, {"errors": [{"message": "The from address does not match a verified Sender Identity.", "field": "from"}]})
    )
    with django_capture_on_commit_callbacks(execute=True):
        receipt(org).send()
    message = Message.objects.get()
    assert message.status == MessageStatus.FAILED and "from: The from address does not match" in message.error
    assert len(sendgrid.calls("POST", "/v3/mail/send")) == 1


def test_the_same_trigger_twice_queues_one_message(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    connect_sendgrid()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            services.message_queue(organization=org, email=receipt(org), type=MessageType.PAYMENT_RECEIPT, dedupe_key="receipt:1")
    assert Message.objects.count() == 1 and len(sendgrid.sent) == 1


def test_the_connection_test_call_checks_the_mail_send_scope(sendgrid: SendGridFake, connect_sendgrid: Any) -> None:
    from connectors import services as connector_services

    result = connector_services.connection_test(actor=SYSTEM, connection=connect_sendgrid())
    assert result.ok and result.message == "Connected; the key may send mail."


def send_and_lose_the_answer(org: Any, sendgrid: SendGridFake, settings: Any, capture: Any) -> None:
    """SendGrid accepts the request and answers after the client's read timeout: the answer is lost."""
    settings.CONNECTOR_READ_TIMEOUT_SECONDS = 0.3
    sendgrid.delay = 1.0
    with capture(execute=True):
        receipt(org).send()
    sendgrid.delay = 0.0


def test_a_lost_answer_then_a_retry_sends_once(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, frozen: Any, settings: Any, capture_eager: Any
) -> None:
    """SendGrid accepts the request but the answer never arrives (read timeout): the retry asks Email Activity for
    the message's custom argument, finds it, and sends nothing more."""
    connect_sendgrid()
    send_and_lose_the_answer(org, sendgrid, settings, capture_eager)
    message = Message.objects.get()
    assert len(sendgrid.sent) == 1 and message.status == MessageStatus.QUEUED and message.attempted_at is not None
    frozen.advance(600)
    tasks.sweep()
    tasks.sweep()
    message.refresh_from_db()
    assert len(sendgrid.calls("POST", "/v3/mail/send")) == 1 and len(sendgrid.sent) == 1
    assert message.status == MessageStatus.SENT and message.vendor_message_id == sendgrid.sent[0]["message_id"]
    (search,) = sendgrid.calls("GET", "/v3/messages")
    assert search.query["query"] == [f"unique_args['emp_message']=\"{message.pk}\""]


def test_a_lost_answer_before_sendgrid_lists_the_message_waits_then_sends_once(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, frozen: Any, settings: Any, capture_eager: Any
) -> None:
    """The request never got to SendGrid's records (the answer was lost, nothing listed): the retry waits the settle
    time, checks again, and only then sends: one message in all."""
    connect_sendgrid()
    send_and_lose_the_answer(org, sendgrid, settings, capture_eager)
    sendgrid.sent.clear()  # SendGrid lost it after all
    frozen.advance(60)
    tasks.sweep()
    assert len(sendgrid.calls("POST", "/v3/mail/send")) == 1  # not yet: SendGrid may still list it
    assert "does not list the message yet" in ConnectorJob.objects.get().last_error
    frozen.advance(settings.EMAIL_ACTIVITY_SETTLE_SECONDS)
    tasks.sweep()
    tasks.sweep()
    assert len(sendgrid.calls("POST", "/v3/mail/send")) == 2 and len(sendgrid.sent) == 1
    assert Message.objects.get().status == MessageStatus.SENT


def test_a_refused_connection_is_retried_without_asking_email_activity(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, frozen: Any, capture_eager: Any
) -> None:
    connect_sendgrid()
    with sendgrid.down(), capture_eager(execute=True):
        receipt(org).send()
    assert Message.objects.get().attempted_at is None  # the request never reached SendGrid
    frozen.advance(600)
    tasks.sweep()
    assert sendgrid.calls("GET", "/v3/messages") == [] and len(sendgrid.sent) == 1


def test_without_email_activity_access_a_lost_answer_is_sent_again(
    org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, frozen: Any, settings: Any, capture_eager: Any
) -> None:
    """The documented window (ADR 0026): a key without Email Activity cannot check, so the message goes again."""
    connect_sendgrid()
    sendgrid.activity_access = False
    send_and_lose_the_answer(org, sendgrid, settings, capture_eager)
    frozen.advance(600)
    tasks.sweep()
    assert len(sendgrid.sent) == 2 and Message.objects.get().status == MessageStatus.SENT


def test_a_payment_receipt_goes_through_sendgrid_once_to_the_buyer_with_its_pdf(
    org: Any, owner: Any, sendgrid: SendGridFake, connect_sendgrid: Any, capture_eager: Any
) -> None:
    """The payments code's own receipt (payments.receipts), sent twice by its task: one SendGrid message."""
    from payments import tasks as payment_tasks
    from tests.payments.factories import paid_event, paid_ticket
    from tests.payments.test_receipts import pay

    connect_sendgrid()
    ticket = paid_ticket(paid_event(org, title="Acme Summit"), name="Standard", price="25.00", tax_rate="19.00")
    invoice = pay(owner, ticket, "ada@example.com")
    with capture_eager(execute=True):
        assert payment_tasks.send_receipt(str(invoice.pk)) is True
        assert payment_tasks.send_receipt(str(invoice.pk)) is False
    (sent,) = sendgrid.delivered
    assert sent["personalizations"][0]["to"] == [{"email": "ada@example.com"}]
    assert invoice.number in sent["subject"] and "25.00 EUR" in sent["content"][0]["value"]
    (pdf,) = sent["attachments"]
    assert pdf["filename"] == f"{invoice.number}.pdf" and base64.b64decode(pdf["content"]).startswith(b"%PDF")
    message = Message.objects.get(type=MessageType.PAYMENT_RECEIPT)
    assert message.status == MessageStatus.SENT and sent["custom_args"]["emp_message"] == str(message.pk)
    assert mail.outbox == []
