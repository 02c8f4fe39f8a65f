"""The email API: templates checked on save (an unknown variable refused), used by the next message; preview; test
send (refused to a suppressed address); analytics per event and type; another organization's event is 404."""

from __future__ import annotations

from typing import Any

import pytest

from communications import services
from communications.models import Message, MessageEvent, MessageStatus, MessageType, SuppressionReason
from tests.conftest import error_of
from tests.fakes.sendgrid import SendGridFake
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory, register

pytestmark = pytest.mark.django_db


def test_a_template_naming_an_unknown_variable_is_refused_and_a_good_one_is_used(
    client_owner: Any,
    org: Any,
    sendgrid: SendGridFake,
    connect_sendgrid: Any,
    django_capture_on_commit_callbacks: Any,
    eager: None,
) -> None:
    listing = client_owner.get("/api/v1/email-templates")
    assert listing.status_code == 200
    reminder = next(t for t in listing.json() if t["type"] == "reminder")
    assert {"unsubscribeUrl", "daysBefore"} <= {v["name"] for v in reminder["variables"]} or {
        "unsubscribe_url",
        "days_before",
    } <= {v["name"] for v in reminder["variables"]}
    bad = client_owner.post(
        "/api/v1/email-templates",
        {
            "type": "registration_confirmation",
            "subject": "Hi {{ attendee_name }}",
            "text": "{{ password }}",
            "html": "<p>{{ ticket_code }}</p>",
        },
        format="json",
    )
    error = error_of(bad)
    assert bad.status_code == 400 and error["code"] == "EMAIL_TEMPLATE_INVALID"
    assert [d["target"] for d in error["details"]] == ["text"] and "password" in error["details"][0]["message"]
    good = client_owner.post(
        "/api/v1/email-templates",
        {
            "type": "registration_confirmation",
            "language": "en",
            "subject": "Welcome, {{ attendee_name }}!",
            "text": "Ticket {{ ticket_code }} for {{ event_title }}",
            "html": "<p>Ticket {{ ticket_code }}</p>",
        },
        format="json",
    )
    assert good.status_code == 201
    connect_sendgrid()
    event = PublishedEventFactory(organization=org, title="Expo")
    with django_capture_on_commit_callbacks(execute=True):
        (registration,) = register(event, TicketTypeFactory(event=event), n=1)
    (sent,) = sendgrid.sent
    assert sent["subject"] == f"Welcome, {registration.attendee_name}!"
    assert sent["content"][0]["value"] == f"Ticket {registration.ticket_code} for Expo"


def test_preview_renders_sample_values_and_test_send_queues_a_message(
    client_owner: Any,
    org: Any,
    sendgrid: SendGridFake,
    connect_sendgrid: Any,
    django_capture_on_commit_callbacks: Any,
    eager: None,
) -> None:
    preview = client_owner.post(
        "/api/v1/email-templates/preview",
        {
            "type": "reminder",
            "subject": "{{ event_title }} in {{ days_before }} days",
            "text": "Hi {{ attendee_name }}",
            "html": "<b>{{ attendee_name }}</b>",
        },
        format="json",
    )
    assert preview.status_code == 200
    assert preview.json() == {"subject": "Sample Conference in 7 days", "text": "Hi Ada Lovelace", "html": "<b>Ada Lovelace</b>"}
    connect_sendgrid()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client_owner.post("/api/v1/email-templates/test-send", {"type": "survey", "to": "me@acme.example"}, format="json")
    assert sent.status_code == 202
    (accepted,) = sendgrid.sent
    assert accepted["subject"] == "[Test] How was Sample Conference?" and accepted["personalizations"][0]["to"] == [
        {"email": "me@acme.example"}
    ]
    services.suppression_add(organization_id=org.pk, email="me@acme.example", reason=SuppressionReason.MANUAL)
    refused = client_owner.post("/api/v1/email-templates/test-send", {"type": "survey", "to": "me@acme.example"}, format="json")
    assert refused.status_code == 409 and error_of(refused)["code"] == "EMAIL_ADDRESS_SUPPRESSED"


def test_analytics_per_event_and_type_and_tenancy(
    client_owner: Any,
    org: Any,
    other_org: Any,
    sendgrid: SendGridFake,
    connect_sendgrid: Any,
    django_capture_on_commit_callbacks: Any,
    eager: None,
) -> None:
    connect_sendgrid()
    event = PublishedEventFactory(organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, TicketTypeFactory(event=event), n=3)
    first, second, third = Message.objects.filter(type=MessageType.REGISTRATION_CONFIRMATION).order_by("recipient")
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    for message, kinds in ((first, ["delivered", "open", "click"]), (second, ["delivered"]), (third, ["bounce"])):
        for n, kind in enumerate(kinds):
            services.message_event_record(
                message=message, kind=kind, vendor_event_id=f"{message.pk}-{n}", occurred_at=now, data={}
            )
    assert MessageEvent.objects.count() == 5
    response = client_owner.get(f"/api/v1/events/{event.pk}/email-analytics")
    assert response.status_code == 200
    (row,) = response.json()
    assert row == {
        "type": "registration_confirmation",
        "total": 3,
        "sent": 3,
        "delivered": 2,
        "opened": 1,
        "clicked": 1,
        "bounced": 1,
        "suppressed": 0,
        "failed": 0,
    }
    assert Message.objects.get(pk=third.pk).status == MessageStatus.BOUNCED
    foreign = PublishedEventFactory(organization=other_org)
    assert client_owner.get(f"/api/v1/events/{foreign.pk}/email-analytics").status_code == 404
