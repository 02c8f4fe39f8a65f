"""SendGrid's signed event webhook at /hooks/<connection id>: verified as anymail verifies it, each event recorded
once, bounces and spam reports suppress the address so the next send does not happen."""

from __future__ import annotations

import json
from typing import Any

import pytest

from communications import services
from communications.models import Message, MessageEvent, MessageStatus, MessageType, Suppression
from connectors.models import InboundEvent
from tests.communications.test_sending import receipt
from tests.fakes.sendgrid import SendGridFake

pytestmark = pytest.mark.django_db


def post(client: Any, connection: Any, sendgrid: SendGridFake, events: list[dict[str, Any]], **headers: str) -> Any:
    body = sendgrid.events_body(events)
    signed = {**sendgrid.sign(body), **headers}
    return client.post(f"/hooks/{connection.pk}", data=body, content_type="application/json", headers=signed)


def send_one(org: Any, capture: Any, to: str = "ada@example.com") -> Message:
    with capture(execute=True):
        receipt(org, to=to).send()
    return Message.objects.get(recipient=to)


def test_delivery_open_and_click_are_recorded_once_per_event(
    client: Any, org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connection = connect_sendgrid()
    message = send_one(org, django_capture_on_commit_callbacks)
    (sent,) = sendgrid.sent
    events = [sendgrid.event(sent, k) for k in ("processed", "delivered", "open")]
    events.append(sendgrid.event(sent, "click", url="https://acme.example/e"))
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, connection, sendgrid, events).status_code == 200
        assert post(client, connection, sendgrid, events[1:2]).status_code == 200  # a delivered event sent again
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at and message.opened_at and message.clicked_at and not message.bounced_at
    assert sorted(MessageEvent.objects.filter(message=message).values_list("kind", flat=True)) == [
        "click",
        "delivered",
        "open",
        "processed",
    ]
    assert InboundEvent.objects.filter(connection=connection).count() == 2


def test_a_bounce_suppresses_the_address_and_the_next_send_does_not_happen(
    client: Any, org: Any, sendgrid: SendGridFake, connect_sendgrid: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connection = connect_sendgrid()
    message = send_one(org, django_capture_on_commit_callbacks)
    bounce = sendgrid.event(sendgrid.sent[0], "bounce", reason="550 5.1.1 user unknown", type="bounce")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, connection, sendgrid, [bounce]).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.BOUNCED and message.bounced_at
    assert list(Suppression.objects.values_list("organization", "email", "reason")) == [(org.pk, "ada@example.com", "bounce")]
    with django_capture_on_commit_callbacks(execute=True):
        receipt(org, to="Ada <ADA@example.com>").send()
        receipt(org, to="bob@example.com").send()
    assert len(sendgrid.sent) == 2 and sendgrid.sent[1]["personalizations"][0]["to"] == [{"email": "bob@example.com"}]
    assert Message.objects.filter(status=MessageStatus.SUPPRESSED).count() == 1


def test_a_spam_report_suppresses_only_in_its_own_organization(
    client: Any,
    org: Any,
    other_org: Any,
    sendgrid: SendGridFake,
    connect_sendgrid: Any,
    django_capture_on_commit_callbacks: Any,
    eager: None,
) -> None:
    connection = connect_sendgrid()
    connect_sendgrid(other_org)
    send_one(org, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, connection, sendgrid, [sendgrid.event(sendgrid.sent[0], "spamreport")])
        services.message_queue(organization=other_org, email=receipt(other_org), type=MessageType.PAYMENT_RECEIPT)
    assert Suppression.objects.get().organization_id == org.pk
    assert Message.objects.get(organization=other_org).status == MessageStatus.SENT


@pytest.mark.parametrize("forgery", ["bad signature", "other key", "stale", "no headers"])
def test_a_webhook_with_a_bad_signature_is_refused_and_nothing_is_stored(
    client: Any,
    org: Any,
    sendgrid: SendGridFake,
    connect_sendgrid: Any,
    django_capture_on_commit_callbacks: Any,
    eager: None,
    forgery: str,
) -> None:
    connection = connect_sendgrid()
    send_one(org, django_capture_on_commit_callbacks)
    body = sendgrid.events_body([sendgrid.event(sendgrid.sent[0], "bounce")])
    headers = sendgrid.sign(body)
    if forgery == "bad signature":
        headers = sendgrid.sign(body.replace(b"bounce", b"delivered"))
        headers["X-Twilio-Email-Event-Webhook-Timestamp"] = sendgrid.sign(body)["X-Twilio-Email-Event-Webhook-Timestamp"]
    elif forgery == "other key":
        headers = SendGridFake().sign(body)
    elif forgery == "stale":
        headers = sendgrid.sign(body, timestamp=int(json.loads(body)[0]["timestamp"]) - 3600)
    else:
        headers = {}
    response = client.post(f"/hooks/{connection.pk}", data=body, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert not InboundEvent.objects.exists() and not MessageEvent.objects.exists() and not Suppression.objects.exists()
