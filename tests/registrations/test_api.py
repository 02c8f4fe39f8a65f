"""The registrations API end to end: ticket types, orders, batch, cancel, tickets, attendees, settings, stats."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditEntry, OutboxEvent
from registrations.models import EventRegistrationSettings, Registration, RegistrationStatus, TicketType
from tests.conftest import error_of
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db

REGS = "/api/v1/registrations"


@pytest.fixture
def event(org: Any) -> Any:
    return PublishedEventFactory(organization=org, capacity=3, title="Acme Summit")


@pytest.fixture
def free(event: Any) -> Any:
    return TicketTypeFactory(event=event, name="Free", max_per_order=3)


@pytest.fixture
def paid(event: Any) -> Any:
    return TicketTypeFactory(event=event, name="Paid", price=Decimal("49.90"))


@pytest.fixture
def editor_client(api: Any, member: Any) -> Any:
    return api(member(Role.EDITOR))


def order(event: Any, ticket_type: Any, *emails: str, **extra: Any) -> dict[str, Any]:
    return {
        "eventId": str(event.id),
        "ticketTypeId": str(ticket_type.id),
        "attendees": [{"name": e.split("@")[0].title(), "email": e} for e in emails or ("ada@example.com",)],
        **extra,
    }


def snapshot() -> tuple[Any, ...]:
    return (
        sorted(Registration.objects.values_list("id", "status", "updated_at")),
        sorted(TicketType.objects.values_list("id", "updated_at")),
        OutboxEvent.objects.count(),
        AuditEntry.objects.count(),
    )


# -- ticket types ---------------------------------------------------------------------------
def test_ticket_type_crud(client_owner, event):
    url = f"/api/v1/events/{event.id}/ticket-types"
    response = client_owner.post(
        url,
        {"name": "Early bird", "price": "19.99", "taxRate": 19, "capacity": 2, "salesEndsAt": "2030-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["price"] == "19.99" and body["taxRate"] == "19.00" and body["currency"] == event.currency
    assert body["seatsTaken"] == 0 and body["seatsRemaining"] == 2 and body["onSale"] is True
    assert body["maxPerOrder"] == 10 and body["visibility"] == "public"
    assert response["Location"] == f"{url}/{body['id']}"

    detail = f"{url}/{body['id']}"
    response = client_owner.patch(detail, {"visibility": "hidden", "currency": "USD"}, format="json")
    assert response.status_code == 200
    assert response.json()["visibility"] == "hidden" and response.json()["currency"] == event.currency
    assert [t["name"] for t in client_owner.get(url).json()["data"]] == ["Early bird"]
    assert client_owner.delete(detail).status_code == 204
    assert client_owner.get(detail).status_code == 404


def test_ticket_type_in_use_cannot_be_deleted(client_owner, event, free):
    RegistrationFactory(ticket_type=free)
    response = client_owner.delete(f"/api/v1/events/{event.id}/ticket-types/{free.id}")
    assert response.status_code == 409 and error_of(response)["code"] == "TICKET_TYPE_IN_USE"


@pytest.mark.parametrize(
    ("body", "code", "target"),
    [
        ({"name": "X", "price": "-1"}, "VALIDATION_ERROR", "price"),
        ({"name": "X", "price": "abc"}, "VALIDATION_ERROR", "price"),
        ({"name": "X", "taxRate": 101}, "VALIDATION_ERROR", "taxRate"),
        ({"name": "X", "maxPerOrder": 0}, "VALIDATION_ERROR", "maxPerOrder"),
        ({"name": "X", "salesStartsAt": "2030-01-01T10:00:00"}, "VALIDATION_ERROR", "salesStartsAt"),
        (
            {"name": "X", "salesStartsAt": "2030-01-02T00:00:00Z", "salesEndsAt": "2030-01-01T00:00:00Z"},
            "VALIDATION_ERROR",
            "salesEndsAt",
        ),
        ({"name": "X", "colour": "red"}, "UNKNOWN_FIELD", "colour"),
        ({"price": "1"}, "VALIDATION_ERROR", "name"),
        ({"name": ["X"]}, "VALIDATION_ERROR", "name"),
    ],
)
def test_ticket_type_bad_input(client_owner, event, body, code, target):
    before = snapshot()
    response = client_owner.post(f"/api/v1/events/{event.id}/ticket-types", body, format="json")
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert (error["code"], error["target"]) == (code, target)
    assert snapshot() == before


def test_ticket_types_need_manage_to_write(api, member, event, free):
    viewer = api(member(Role.VIEWER))
    url = f"/api/v1/events/{event.id}/ticket-types"
    assert viewer.get(url).status_code == 200
    response = viewer.post(url, {"name": "Mine"}, format="json")
    assert response.status_code == 403 and error_of(response)["code"] == "PERMISSION_DENIED"
    assert viewer.delete(f"{url}/{free.id}").status_code == 403


# -- creating registrations -------------------------------------------------------------------
def test_create_free_order(editor_client, event, free):
    body = order(event, free, "ada@example.com", "bob@example.com")
    body["attendees"][0]["answers"] = {"t_shirt": "M", "dietPref": "vegan"}
    response = editor_client.post(REGS, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert len(data["data"]) == 2 and all(r["orderId"] == data["orderId"] for r in data["data"])
    ada = data["data"][0]
    assert ada["status"] == "confirmed" and ada["attendeeEmail"] == "ada@example.com"
    assert ada["answers"] == {"t_shirt": "M", "dietPref": "vegan"}
    assert ada["ticketType"] == {"id": str(free.id), "name": "Free", "price": "0.00", "currency": free.currency}
    assert ada["source"] == "api_client" and ada["waitlistPosition"] is None and ada["confirmedAt"]
    assert "ticketCode" not in ada
    assert Registration.objects.get(id=ada["id"]).answers == {"t_shirt": "M", "dietPref": "vegan"}
    assert "Location" not in response


def test_create_paid_single_attendee(editor_client, event, paid):
    response = editor_client.post(REGS, order(event, paid), format="json")
    assert response.status_code == 201
    [registration] = response.json()["data"]
    assert registration["status"] == "pending_payment" and registration["expiresAt"]
    assert response["Location"] == f"{REGS}/{registration['id']}"
    assert list(OutboxEvent.objects.values_list("event_type", flat=True)) == ["registration.created"]
    assert OutboxEvent.objects.get().data == registration


def test_sold_out_answers_409_and_changes_nothing(editor_client, event, free):
    assert editor_client.post(REGS, order(event, free, "a@x.io", "b@x.io"), format="json").status_code == 201
    before = snapshot()
    response = editor_client.post(REGS, order(event, free, "c@x.io", "d@x.io"), format="json")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "SOLD_OUT" and error["details"] == {"seatsLeft": 1, "requested": 2}
    assert snapshot() == before


def test_waitlist_positions(editor_client, client_owner, event, free):
    response = client_owner.patch(f"/api/v1/events/{event.id}/registration-settings", {"waitlistEnabled": True}, format="json")
    assert response.json() == {"eventId": str(event.id), "waitlistEnabled": True, "pendingPaymentTtlMinutes": 30}
    editor_client.post(REGS, order(event, free, "a@x.io", "b@x.io", "c@x.io"), format="json")
    response = editor_client.post(REGS, order(event, free, "d@x.io", "e@x.io"), format="json")
    assert [r["waitlistPosition"] for r in response.json()["data"]] == [1, 2]
    listed = editor_client.get(f"{REGS}?status=waitlisted").json()["data"]
    assert [r["waitlistPosition"] for r in listed] == [1, 2]
    first = Registration.objects.filter(status="confirmed").first()
    response = editor_client.post(f"{REGS}/{first.id}/cancel", {"reason": "sick"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    listed = editor_client.get(f"{REGS}?status=confirmed,waitlisted&sort=createdAt").json()["data"]
    assert [(r["attendeeEmail"], r["waitlistPosition"]) for r in listed][-2:] == [("d@x.io", None), ("e@x.io", 1)]


@pytest.mark.parametrize(
    ("mutate", "status", "code", "target"),
    [
        (
            lambda b: b["attendees"].extend([{"name": "C", "email": "c@x.io"}] * 3),
            400,
            "ORDER_LIMIT_EXCEEDED",
            "attendees",
        ),
        (lambda b: b.update(attendees=[]), 400, "VALIDATION_ERROR", "attendees"),
        (lambda b: b.update(attendees={"name": "A"}), 400, "VALIDATION_ERROR", "attendees"),
        (lambda b: b["attendees"].append({"name": "B", "email": "not-an-email"}), 400, "VALIDATION_ERROR", "attendees[1].email"),
        (lambda b: b["attendees"][0].update(answers=["a"]), 400, "VALIDATION_ERROR", "attendees[0].answers"),
        (lambda b: b["attendees"][0].update(ticketCode="mine"), 400, "UNKNOWN_FIELD", "attendees[0].ticketCode"),
        (lambda b: b.update(status="confirmed"), 400, "UNKNOWN_FIELD", "status"),
        (lambda b: b.update(eventId="not-a-uuid"), 400, "VALIDATION_ERROR", "eventId"),
        (lambda b: b.update(ticketTypeId="00000000-0000-0000-0000-000000000000"), 400, "VALIDATION_ERROR", "ticketTypeId"),
        (lambda b: b.pop("eventId"), 400, "VALIDATION_ERROR", "eventId"),
    ],
)
def test_create_bad_input(editor_client, event, free, mutate, status, code, target):
    body = order(event, free, "a@x.io")
    mutate(body)
    before = snapshot()
    response = editor_client.post(REGS, body, format="json")
    assert response.status_code == status, response.json()
    error = error_of(response)
    assert (error["code"], error["target"]) == (code, target)
    assert snapshot() == before


def test_malformed_json_and_wrong_body_type(editor_client, event, free):
    before = snapshot()
    response = editor_client.post(REGS, data='{"eventId": ', content_type="application/json")
    assert response.status_code == 400 and error_of(response)["code"] == "MALFORMED_JSON"
    response = editor_client.post(REGS, data="[1, 2]", content_type="application/json")
    assert response.status_code == 400 and error_of(response)["code"] == "VALIDATION_ERROR"
    assert snapshot() == before


def test_ticket_type_of_another_event(editor_client, org, event):
    other = TicketTypeFactory(event=PublishedEventFactory(organization=org))
    response = editor_client.post(REGS, order(event, other), format="json")
    assert response.status_code == 400 and error_of(response)["target"] == "ticketTypeId"


def test_an_order_runs_seven_queries_and_answers_what_it_published(editor_client, event, free, django_assert_num_queries):
    # session, user, membership; event lock, ticket type with seats and settings; the registration, its audit
    # entry, its change-log row and the two outbox rows in one statement on PostgreSQL (four INSERTs elsewhere); and
    # the savepoint and its release that stand for BEGIN and COMMIT inside the test's transaction. On PostgreSQL the
    # lock is preceded by its bound (SET LOCAL lock_timeout, ADR 0018).
    writes = 1 + 1 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(5 + writes + 2):
        response = editor_client.post(REGS, order(event, free), format="json")
    assert response.status_code == 201
    [registration] = response.json()["data"]
    assert [row.data for row in OutboxEvent.objects.order_by("created_at")] == [registration, registration]
    assert editor_client.get(f"{REGS}/{registration['id']}").json() == registration


def test_another_organizations_event_is_not_found(editor_client, other_org):
    foreign = PublishedEventFactory(organization=other_org)
    response = editor_client.post(REGS, order(foreign, TicketTypeFactory(event=foreign)), format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["target"], error["details"][0]["code"]) == ("VALIDATION_ERROR", "eventId", "DOES_NOT_EXIST")
    assert Registration.objects.count() == 0


def test_closed_event_and_sales_window(editor_client, event, free):
    ended = TicketTypeFactory(event=event, sales_ends_at=timezone.now() - dt.timedelta(minutes=1))
    response = editor_client.post(REGS, order(event, ended), format="json")
    assert response.status_code == 409 and error_of(response)["code"] == "TICKET_SALES_CLOSED"
    event.status = "draft"
    event.save()
    response = editor_client.post(REGS, order(event, free), format="json")
    assert response.status_code == 409 and error_of(response)["code"] == "EVENT_NOT_OPEN"


def test_idempotent_create(editor_client, event, free):
    body = order(event, free, "a@x.io")
    first = editor_client.post(REGS, body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    again = editor_client.post(REGS, body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Registration.objects.count() == 1
    assert OutboxEvent.objects.filter(event_type="registration.created").count() == 1


def test_viewer_and_checkin_staff_read_but_cannot_register(api, member, event, free):
    RegistrationFactory(ticket_type=free)
    for role in (Role.VIEWER, Role.CHECKIN, Role.FINANCE):
        client = api(member(role))
        assert client.get(REGS).status_code == 200
        response = client.post(REGS, order(event, free), format="json")
        assert response.status_code == 403 and error_of(response)["code"] == "PERMISSION_DENIED"


def test_anonymous_is_refused(api):
    response = api().get(REGS)
    assert response.status_code in (401, 403)


# -- reading, filtering, updating -------------------------------------------------------------
def test_list_filters_and_sort(client_owner, org, event, free, paid):
    other_event = PublishedEventFactory(organization=org)
    a = RegistrationFactory(ticket_type=free, attendee_name="Zed", attendee_email="zed@x.io")
    b = RegistrationFactory(ticket_type=paid, attendee_name="Amy", attendee_email="amy@x.io", status="pending_payment")
    c = RegistrationFactory(ticket_type=TicketTypeFactory(event=other_event), attendee_name="Bob", status="cancelled")

    def ids(query: str) -> list[str]:
        response = client_owner.get(f"{REGS}?{query}")
        assert response.status_code == 200, response.json()
        return [r["id"] for r in response.json()["data"]]

    assert ids("") == [str(a.id), str(b.id), str(c.id)]
    assert ids(f"event={event.id}&sort=attendeeName") == [str(b.id), str(a.id)]
    assert ids(f"event={event.id}&sort=-attendeeName") == [str(a.id), str(b.id)]
    assert ids("status=pending_payment,cancelled") == [str(b.id), str(c.id)]
    assert ids(f"ticketType={paid.id}") == [str(b.id)]
    assert ids("email=ZED@x.io") == [str(a.id)]
    assert ids("q=amy") == [str(b.id)]
    assert ids(f"q={a.ticket_code}") == [str(a.id)]
    assert ids(f"orderId={a.order_id}") == [str(a.id)]
    response = client_owner.get(f"{REGS}?status=paid")
    assert response.status_code == 400 and error_of(response)["target"] == "status"
    response = client_owner.get(f"{REGS}?sort=ticketCode")
    assert response.status_code == 400 and error_of(response)["code"] == "INVALID_SORT"


def test_retrieve_and_patch_attendee(client_owner, free):
    registration = RegistrationFactory(ticket_type=free, attendee_name="Old")
    url = f"{REGS}/{registration.id}"
    read = client_owner.get(url)
    assert read.status_code == 200 and read["ETag"]
    body = {**read.json(), "attendeeName": "New", "answers": {"Q1": "yes"}}
    response = client_owner.patch(url, body, format="json")  # read-only fields sent back are ignored
    assert response.status_code == 200, response.json()
    assert response.json()["attendeeName"] == "New" and response.json()["answers"] == {"Q1": "yes"}
    response = client_owner.patch(url, {"attendeeEmail": "nope"}, format="json")
    assert response.status_code == 400 and error_of(response)["target"] == "attendeeEmail"
    response = client_owner.patch(url, {"ticketCode": "x"}, format="json")
    assert response.status_code == 400 and error_of(response)["code"] == "UNKNOWN_FIELD"
    response = client_owner.patch(url, {"attendeeName": "Late"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 412
    assert client_owner.put(url, {"attendeeName": "X"}, format="json").status_code == 405
    assert client_owner.delete(url).status_code == 405


def test_cancel_endpoint(client_owner, free):
    registration = RegistrationFactory(ticket_type=free)
    url = f"{REGS}/{registration.id}/cancel"
    response = client_owner.post(url, {}, format="json")
    assert response.status_code == 400 and error_of(response)["target"] == "reason"
    response = client_owner.post(url, {"reason": "no show"}, format="json", HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    response = client_owner.post(url, {"reason": "no show"}, format="json")
    assert response.status_code == 200 and response.json()["cancellationReason"] == "no show"
    assert OutboxEvent.objects.get().event_type == "registration.cancelled"
    response = client_owner.post(url, {"reason": "again"}, format="json")
    assert response.status_code == 409 and error_of(response)["code"] == "REGISTRATION_INVALID_TRANSITION"
    assert OutboxEvent.objects.count() == 1


# -- batch ------------------------------------------------------------------------------------
def item(event: Any, ticket_type: Any, email: str) -> dict[str, Any]:
    return {"eventId": str(event.id), "ticketTypeId": str(ticket_type.id), "attendee": {"name": "N", "email": email}}


def test_batch_atomic_success(editor_client, event, free):
    items = [item(event, free, f"p{i}@x.io") for i in range(3)]
    response = editor_client.post(f"{REGS}/batch", {"atomic": True, "items": items}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["failed"]) == (3, 0)
    assert [r["index"] for r in body["results"]] == [0, 1, 2]
    assert all(r["status"] == 201 and r["registration"]["source"] == "batch" for r in body["results"])
    assert len({r["registration"]["orderId"] for r in body["results"]}) == 3


def test_batch_atomic_failure_keeps_nothing(editor_client, event, free):
    items = [item(event, free, f"p{i}@x.io") for i in range(4)]
    before = snapshot()
    response = editor_client.post(f"{REGS}/batch", {"atomic": True, "items": items}, format="json")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "SOLD_OUT" and error["details"]["index"] == 3 and error["target"] == "items[3]"
    assert snapshot() == before

    items = [item(event, free, "ok@x.io"), {**item(event, free, "bad"), "extra": 1}]
    response = editor_client.post(f"{REGS}/batch", {"atomic": True, "items": items}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["details"]["index"] == 1 and error["target"].startswith("items[1]")
    assert snapshot() == before


def test_batch_non_atomic_reports_each_item(editor_client, org, event, free):
    foreign = "00000000-0000-0000-0000-000000000001"
    items = [
        item(event, free, "a@x.io"),
        item(event, free, "not-an-email"),
        {**item(event, free, "c@x.io"), "eventId": foreign},
        "not an object",
        item(event, free, "b@x.io"),
        item(event, free, "c@x.io"),
        item(event, free, "d@x.io"),
    ]
    response = editor_client.post(f"{REGS}/batch", {"atomic": False, "items": items}, format="json")
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["index"] for r in results] == list(range(7))
    assert [r["status"] for r in results] == [201, 400, 400, 400, 201, 201, 409]
    assert results[1]["error"]["target"] == "attendee.email"
    assert results[2]["error"]["target"] == "eventId"
    assert results[6]["error"]["code"] == "SOLD_OUT" and results[6]["error"]["status"] == 409
    assert set(results[6]["error"]) >= {"code", "message", "details", "target", "status", "correlationId", "documentation"}
    assert response.json()["created"] == 3
    assert Registration.objects.count() == 3
    assert OutboxEvent.objects.filter(event_type="registration.created").count() == 3


@pytest.mark.parametrize(
    "body",
    [{"items": []}, {"atomic": True, "items": []}, {"atomic": "maybe", "items": [{}]}, {"atomic": True, "items": {}}],
)
def test_batch_bad_envelope(editor_client, body):
    response = editor_client.post(f"{REGS}/batch", body, format="json")
    assert response.status_code == 400 and error_of(response)["code"] == "VALIDATION_ERROR"


def test_batch_limit_is_500(editor_client, event, free):
    response = editor_client.post(f"{REGS}/batch", {"atomic": False, "items": [item(event, free, "a@x.io")] * 501}, format="json")
    assert response.status_code == 400 and error_of(response)["target"] == "items"


# -- tickets, validation, attendees -----------------------------------------------------------
def test_ticket_for_confirmed_only(client_owner, event, free, paid):
    confirmed = RegistrationFactory(ticket_type=free, attendee_name="Ada")
    response = client_owner.get(f"{REGS}/{confirmed.id}/ticket")
    assert response.status_code == 200
    ticket = response.json()
    assert ticket["code"] == confirmed.ticket_code and ticket["status"] == "confirmed"
    assert ticket["event"]["title"] == "Acme Summit" and ticket["event"]["venue"]["name"] == event.venue.name
    assert ticket["event"]["startsAt"].endswith("Z") and ticket["attendee"]["name"] == "Ada"
    assert ticket["ticketType"] == {"id": str(free.id), "name": "Free"}
    pending = RegistrationFactory(ticket_type=paid, status=RegistrationStatus.PENDING_PAYMENT)
    response = client_owner.get(f"{REGS}/{pending.id}/ticket")
    assert response.status_code == 409 and error_of(response)["code"] == "TICKET_NOT_ISSUED"


def test_validate_tickets_without_side_effects(api, member, org, event, other_org, free):
    client = api(member(Role.CHECKIN))
    ok = RegistrationFactory(ticket_type=free, attendee_name="Ada")
    cancelled = RegistrationFactory(ticket_type=free, status="cancelled")
    elsewhere = RegistrationFactory(ticket_type=TicketTypeFactory(event=PublishedEventFactory(organization=org)))
    foreign = RegistrationFactory(ticket_type=TicketTypeFactory(event=PublishedEventFactory(organization=other_org)))
    before = snapshot()

    def check(code: str) -> dict[str, Any]:
        response = client.post("/api/v1/tickets/validate", {"eventId": str(event.id), "code": code}, format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    result = check(ok.ticket_code)
    assert result["valid"] is True and result["reason"] is None
    assert result["registration"]["attendeeName"] == "Ada" and result["registration"]["status"] == "confirmed"
    assert check(cancelled.ticket_code) | {"registration": None} == {
        "valid": False,
        "reason": "REGISTRATION_CANCELLED",
        "registration": None,
    }
    assert check(elsewhere.ticket_code) == {"valid": False, "reason": "TICKET_FOR_OTHER_EVENT", "registration": None}
    assert check(foreign.ticket_code) == {"valid": False, "reason": "TICKET_NOT_FOUND", "registration": None}
    assert check("nope")["reason"] == "TICKET_NOT_FOUND"
    assert snapshot() == before
    response = client.post("/api/v1/tickets/validate", {"eventId": str(event.id)}, format="json")
    assert response.status_code == 400 and error_of(response)["target"] == "code"


def test_attendees_are_confirmed_registrations(client_owner, event, free, paid):
    RegistrationFactory(ticket_type=free, attendee_name="Bea", answers={"diet": "vegan"})
    RegistrationFactory(ticket_type=free, attendee_name="Al")
    RegistrationFactory(ticket_type=paid, attendee_name="Pending", status="pending_payment")
    RegistrationFactory(ticket_type=free, attendee_name="Gone", status="cancelled")
    url = f"/api/v1/events/{event.id}/attendees"
    body = client_owner.get(f"{url}?pageSize=1").json()
    assert [a["attendeeName"] for a in body["data"]] == ["Al"]
    assert body["pagination"]["totalCount"] == 2
    data = client_owner.get(f"{url}?sort=-attendeeName").json()["data"]
    assert [a["attendeeName"] for a in data] == ["Bea", "Al"]
    assert data[0]["answers"] == {"diet": "vegan"} and data[0]["ticketType"]["name"] == "Free"
    assert client_owner.get(f"{url}?q=be").json()["data"][0]["attendeeName"] == "Bea"


def test_event_stats_include_registrations(client_owner, event, free, paid):
    RegistrationFactory.create_batch(2, ticket_type=free)
    RegistrationFactory(ticket_type=paid, status="pending_payment", expires_at=timezone.now() + dt.timedelta(minutes=5))
    RegistrationFactory(ticket_type=free, status="cancelled")
    stats = client_owner.get(f"/api/v1/events/{event.id}/stats").json()
    assert stats["registrations"] == {
        "byStatus": {"pendingPayment": 1, "confirmed": 2, "cancelled": 1, "waitlisted": 0},
        "seatsTaken": 3,
        "seatsRemaining": 0,
    }


def test_registration_settings(client_owner, api, member, event):
    url = f"/api/v1/events/{event.id}/registration-settings"
    assert client_owner.get(url).json() == {"eventId": str(event.id), "waitlistEnabled": False, "pendingPaymentTtlMinutes": 30}
    assert not EventRegistrationSettings.objects.exists()
    response = client_owner.patch(url, {"pendingPaymentTtlMinutes": 0}, format="json")
    assert response.status_code == 400 and error_of(response)["target"] == "pendingPaymentTtlMinutes"
    response = client_owner.patch(url, {"waitlistEnabled": "yes please"}, format="json")
    assert response.status_code == 400
    assert client_owner.patch(url, {"pendingPaymentTtlMinutes": 45}, format="json").json()["pendingPaymentTtlMinutes"] == 45
    viewer = api(member(Role.VIEWER))
    assert viewer.get(url).status_code == 200
    assert viewer.patch(url, {"waitlistEnabled": True}, format="json").status_code == 403


def test_outbox_payload_is_the_api_representation(editor_client, client_owner, event, free):
    response = editor_client.post(REGS, order(event, free), format="json")
    [registration] = response.json()["data"]
    rows = {row.event_type: row.data for row in OutboxEvent.objects.all()}
    assert set(rows) == {"registration.created", "registration.confirmed"}
    assert rows["registration.created"] == registration
    read = client_owner.get(f"{REGS}/{registration['id']}").json()
    assert json.loads(json.dumps(rows["registration.confirmed"])) == read


def test_the_create_answer_is_the_registration_as_read_and_as_published(client_owner, org):
    event = PublishedEventFactory(organization=org)
    ticket = TicketTypeFactory(event=event)
    created = client_owner.post(
        "/api/v1/registrations",
        {
            "eventId": str(event.id),
            "ticketTypeId": str(ticket.id),
            "attendees": [{"name": "Ada", "email": "ada@example.com", "answers": {"t_shirt": "M"}}],
        },
        format="json",
    )
    assert created.status_code == 201
    [answer] = created.json()["data"]
    assert answer == client_owner.get(f"/api/v1/registrations/{answer['id']}").json()
    assert answer == OutboxEvent.objects.get(event_type="registration.created").data
    assert answer["answers"] == {"t_shirt": "M"}
