"""The payments API end to end: create, confirm, refund, history, invoices, revenue report, stats, console."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditEntry, OutboxEvent
from payments import services
from payments.models import Invoice, Payment, Refund
from registrations.models import Registration
from tests.conftest import error_of
from tests.payments.factories import DECLINED, NO_FUNDS, VISA, paid_event, paid_ticket, pending_order

pytestmark = pytest.mark.django_db

PAY = "/api/v1/payments"


def snapshot() -> tuple[Any, ...]:
    return (
        sorted(Payment.objects.values_list("id", "status", "refunded_amount", "updated_at")),
        sorted(Registration.objects.values_list("id", "status", "updated_at")),
        Refund.objects.count(),
        Invoice.objects.count(),
        OutboxEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def create(client, regs, **headers) -> Any:
    return client.post(PAY, {"registrationIds": [str(r.id) for r in regs]}, format="json", **headers)


def test_create_confirm_and_read(client_owner, owner, ticket):
    regs = pending_order(owner, ticket, "ada@example.com", "bob@example.com")
    response = create(client_owner, regs)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "requires_payment" and body["amount"] == "50.00" and body["currency"] == "EUR"
    assert body["refundedAmount"] == "0.00" and body["card"] is None and body["invoiceId"] is None
    assert sorted(body["registrationIds"]) == sorted(str(r.id) for r in regs)
    assert body["items"][0]["amount"] == "25.00" and body["items"][0]["taxRate"] == "19.00"
    assert response["Location"] == f"{PAY}/{body['id']}"

    response = client_owner.post(f"{PAY}/{body['id']}/confirm", {"cardNumber": VISA}, format="json")
    assert response.status_code == 200, response.json()
    paid = response.json()
    assert paid["status"] == "succeeded" and paid["card"] == {"brand": "visa", "last4": "4242"} and paid["invoiceId"]
    assert "4242424242424242" not in response.content.decode()

    detail = client_owner.get(f"{PAY}/{body['id']}")
    assert detail.status_code == 200 and detail.json() == paid and detail["ETag"]
    invoice = client_owner.get(f"/api/v1/invoices/{paid['invoiceId']}").json()
    assert invoice["number"].startswith("INV-") and invoice["paymentId"] == body["id"]
    assert invoice["totals"] == {"net": "42.02", "tax": "7.98", "gross": "50.00"} and invoice["currency"] == "EUR"
    assert invoice["buyer"] == {"name": "Ada", "email": "ada@example.com"}
    assert invoice["lines"][0]["unitPrice"] == "25.00" and invoice["lines"][0]["quantity"] == 2
    assert client_owner.get("/api/v1/invoices").json()["data"][0]["id"] == invoice["id"]
    assert client_owner.get(f"/api/v1/invoices?payment={body['id']}").json()["pagination"]["totalCount"] == 1


@pytest.mark.parametrize(("card", "code"), [(DECLINED, "card_declined"), (NO_FUNDS, "insufficient_funds")])
def test_declined_card_is_402_and_the_payment_failed(client_owner, owner, ticket, card, code):
    payment_id = create(client_owner, pending_order(owner, ticket)).json()["id"]
    response = client_owner.post(f"{PAY}/{payment_id}/confirm", {"cardNumber": card}, format="json")
    assert response.status_code == 402
    error = error_of(response)
    assert error["code"] == "PAYMENT_DECLINED" and error["details"]["providerCode"] == code
    payment = client_owner.get(f"{PAY}/{payment_id}").json()
    assert payment["status"] == "failed" and payment["failureCode"] == code
    assert OutboxEvent.objects.filter(event_type="payment.failed").count() == 1
    again = client_owner.post(f"{PAY}/{payment_id}/confirm", {"cardNumber": VISA}, format="json")
    assert again.status_code == 409 and error_of(again)["code"] == "PAYMENT_INVALID_TRANSITION"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"cardNumber": "4111 1111 1111 1111"}, 400, "PAYMENT_CARD_INVALID"),
        ({}, 400, "VALIDATION_ERROR"),
        ({"cardNumber": VISA, "cvc": "123"}, 400, "UNKNOWN_FIELD"),
    ],
)
def test_bad_confirm_input_changes_nothing(client_owner, owner, ticket, body, status, code):
    payment_id = create(client_owner, pending_order(owner, ticket)).json()["id"]
    before = snapshot()
    response = client_owner.post(f"{PAY}/{payment_id}/confirm", body, format="json")
    assert response.status_code == status and error_of(response)["code"] == code
    assert snapshot() == before


def test_bad_create_input(client_owner, owner, ticket, other_org):
    before = snapshot()
    for body, code in [
        ({}, "VALIDATION_ERROR"),
        ({"registrationIds": []}, "VALIDATION_ERROR"),
        ({"registrationIds": ["nope"]}, "VALIDATION_ERROR"),
        ({"registrationIds": [str(pending_order(owner, paid_ticket(paid_event(other_org)))[0].id)]}, "VALIDATION_ERROR"),
        ({"registrationIds": [], "amount": "1.00"}, "VALIDATION_ERROR"),
    ]:
        before = snapshot()
        response = client_owner.post(PAY, body, format="json")
        assert response.status_code == 400, body
        assert error_of(response)["code"] in (code, "UNKNOWN_FIELD")
        assert snapshot() == before


def test_create_twice_is_payment_exists_and_idempotency_key_replays(client_owner, owner, ticket):
    regs = pending_order(owner, ticket)
    first = create(client_owner, regs, HTTP_IDEMPOTENCY_KEY="k-1")
    replay = create(client_owner, regs, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == replay.status_code == 201
    assert replay.json()["id"] == first.json()["id"] and replay["Idempotent-Replayed"] == "true"
    second = create(client_owner, regs)
    assert second.status_code == 409
    error = error_of(second)
    assert error["code"] == "PAYMENT_EXISTS" and error["details"]["paymentId"] == first.json()["id"]
    assert Payment.objects.count() == 1


def test_create_refuses_confirmed_and_expired(client_owner, owner, ticket, event):
    free = pending_order(owner, paid_ticket(event, name="Free", price="0.00"))
    response = create(client_owner, free)
    assert response.status_code == 409 and error_of(response)["code"] == "PAYMENT_REGISTRATION_NOT_PAYABLE"
    late = pending_order(owner, ticket)
    Registration.objects.filter(pk=late[0].pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = create(client_owner, late)
    assert response.status_code == 409 and error_of(response)["code"] == "PAYMENT_REGISTRATION_EXPIRED"


def test_refund_endpoint(client_owner, owner, ticket):
    payment_id = create(client_owner, pending_order(owner, ticket, "a@example.com", "b@example.com")).json()["id"]
    url = f"{PAY}/{payment_id}/refund"
    not_yet = client_owner.post(url, {"reason": "early"}, format="json")
    assert not_yet.status_code == 409 and error_of(not_yet)["code"] == "PAYMENT_INVALID_TRANSITION"
    client_owner.post(f"{PAY}/{payment_id}/confirm", {"cardNumber": VISA}, format="json")

    before = snapshot()
    for body, status, code in [
        ({"amount": "60.00", "reason": "x"}, 409, "REFUND_EXCEEDS_PAYMENT"),
        ({"amount": "0.00", "reason": "x"}, 400, "VALIDATION_ERROR"),
        ({"amount": "1.001", "reason": "x"}, 400, "VALIDATION_ERROR"),
        ({"amount": 1}, 400, "VALIDATION_ERROR"),
        ({"amount": "1.00", "reason": "x", "currency": "USD"}, 400, "UNKNOWN_FIELD"),
    ]:
        response = client_owner.post(url, body, format="json")
        assert response.status_code == status, body
        assert error_of(response)["code"] == code
    assert snapshot() == before

    partial = client_owner.post(url, {"amount": "20.00", "reason": "one cannot come"}, format="json")
    assert partial.status_code == 201, partial.json()
    assert partial.json()["status"] == "partially_refunded" and partial.json()["refundedAmount"] == "20.00"
    assert partial.json()["refunds"][0]["reason"] == "one cannot come"
    rest = client_owner.post(url, {"reason": "event moved"}, format="json")
    assert rest.json()["status"] == "refunded" and rest.json()["refundedAmount"] == "50.00"
    assert [r["amount"] for r in rest.json()["refunds"]] == ["20.00", "30.00"]
    assert OutboxEvent.objects.filter(event_type="payment.refunded").count() == 2


def test_list_filters(client_owner, owner, ticket, event, org):
    other_ticket = paid_ticket(paid_event(org, title="Other"))
    a = create(client_owner, pending_order(owner, ticket, "a@example.com")).json()["id"]
    b = create(client_owner, pending_order(owner, other_ticket, "b@example.com")).json()["id"]
    client_owner.post(f"{PAY}/{b}/confirm", {"cardNumber": VISA}, format="json")

    def ids(query: str) -> list[str]:
        response = client_owner.get(f"{PAY}?{query}")
        assert response.status_code == 200, response.json()
        return [p["id"] for p in response.json()["data"]]

    assert ids("") == [b, a]
    assert ids(f"event={event.id}") == [a]
    assert ids("status=succeeded") == [b]
    assert ids("status=requires_payment,succeeded") == [b, a]
    assert ids("createdAfter=2000-01-01T00:00:00Z&createdBefore=2100-01-01T00:00:00Z") == [b, a]
    assert ids("createdAfter=2100-01-01T00:00:00Z") == []
    bad = client_owner.get(f"{PAY}?status=paid")
    assert bad.status_code == 400 and error_of(bad)["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize(
    ("role", "read", "take", "refund"),
    [
        (Role.OWNER, 200, 201, True),
        (Role.ADMIN, 200, 201, False),
        (Role.EDITOR, 403, 201, False),
        (Role.FINANCE, 200, 201, True),
        (Role.CHECKIN, 403, 403, False),
        (Role.VIEWER, 403, 403, False),
    ],
)
def test_permissions(api, member, owner, ticket, role, read, take, refund):
    client = api(member(role))
    assert client.get(PAY).status_code == read
    assert client.get("/api/v1/invoices").status_code == read
    assert client.get("/api/v1/reports/revenue").status_code == read
    response = create(client, pending_order(owner, ticket))
    assert response.status_code == take
    if take == 403:
        assert error_of(response)["code"] in ("PERMISSION_DENIED", "FORBIDDEN")
        return
    payment_id = response.json()["id"]
    assert client.post(f"{PAY}/{payment_id}/confirm", {"cardNumber": VISA}, format="json").status_code == 200
    response = client.post(f"{PAY}/{payment_id}/refund", {"reason": "x"}, format="json")
    assert response.status_code == (201 if refund else 403)


# -- revenue report ---------------------------------------------------------------------------
@pytest.fixture
def sales(owner, org, event, ticket):
    """Acme Summit: 2 x 25 EUR paid (10 refunded) and 1 x 10 EUR paid; Other: 1 x 30 USD; one declined, one open."""
    reduced = paid_ticket(event, name="Reduced", price="10.00", tax_rate="7.00")
    other = paid_event(org, title="Other", currency="USD")
    usd = paid_ticket(other, name="US", price="30.00")

    def pay(regs, card=VISA):
        return services.payment_confirm(
            actor=owner, payment=services.payment_create(actor=owner, registrations=regs), card_number=card
        )

    first = pay(pending_order(owner, ticket, "a@example.com", "b@example.com"))
    services.payment_refund(actor=owner, payment=first, amount=Decimal("10.00"), reason="goodwill")
    pay(pending_order(owner, reduced, "c@example.com"))
    pay(pending_order(owner, usd, "d@example.com"))
    pay(pending_order(owner, ticket, "e@example.com"), card=DECLINED)
    services.payment_create(actor=owner, registrations=pending_order(owner, ticket, "f@example.com"))
    return {"reduced": reduced, "other": other, "usd": usd}


def test_revenue_by_event(client_owner, event, sales):
    response = client_owner.get("/api/v1/reports/revenue?groupBy=event")
    assert response.status_code == 200, response.json()
    rows = {(r["name"], r["currency"]): r for r in response.json()["data"]}
    assert rows[("Acme Summit", "EUR")] == {
        "key": str(event.id),
        "name": "Acme Summit",
        "currency": "EUR",
        "gross": "60.00",
        "refunds": "10.00",
        "net": "50.00",
        "count": 2,
        "tickets": 3,
    }
    assert rows[("Other", "USD")]["gross"] == "30.00" and rows[("Other", "USD")]["count"] == 1
    assert response.json()["totals"] == [
        {"currency": "EUR", "gross": "60.00", "refunds": "10.00", "net": "50.00"},
        {"currency": "USD", "gross": "30.00", "refunds": "0.00", "net": "30.00"},
    ]


def test_revenue_by_day_and_filters(client_owner, event, sales):
    today = timezone.now().date().isoformat()
    body = client_owner.get(f"/api/v1/reports/revenue?eventId={event.id}&from={today}&to={today}").json()
    assert body["groupBy"] == "day"
    assert body["data"] == [
        {
            "key": today,
            "name": today,
            "currency": "EUR",
            "gross": "60.00",
            "refunds": "10.00",
            "net": "50.00",
            "count": 2,
            "tickets": 3,
        }
    ]
    assert client_owner.get("/api/v1/reports/revenue?from=2000-01-01&to=2000-01-02").json()["data"] == []
    bad = client_owner.get("/api/v1/reports/revenue?groupBy=week")
    assert bad.status_code == 400 and error_of(bad)["code"] == "VALIDATION_ERROR"


def test_revenue_by_ticket_type_shares_refunds_pro_rata(client_owner, ticket, sales):
    body = client_owner.get("/api/v1/reports/revenue?groupBy=ticketType").json()
    rows = {r["name"]: r for r in body["data"]}
    assert rows["Standard"]["gross"] == "50.00" and rows["Standard"]["refunds"] == "10.00"
    assert rows["Standard"]["tickets"] == 2 and rows["Standard"]["count"] == 1 and rows["Standard"]["key"] == str(ticket.id)
    assert rows["Reduced"]["net"] == "10.00" and rows["US"]["currency"] == "USD"


def test_event_stats_include_revenue(client_owner, event, sales):
    stats = client_owner.get(f"/api/v1/events/{event.id}/stats").json()
    assert stats["revenue"] == [{"currency": "EUR", "gross": "60.00", "refunded": "10.00", "net": "50.00"}]
    other = client_owner.get(f"/api/v1/events/{sales['other'].id}/stats").json()
    assert other["revenue"] == [{"currency": "USD", "gross": "30.00", "refunded": "0.00", "net": "30.00"}]


# -- model admin (platform superusers; organizers see payments in the console) ---------------------
def test_the_model_admin_shows_payments_read_only(console, root, owner, ticket, other_org):
    services.payment_create(actor=owner, registrations=pending_order(owner, ticket))
    rival_ticket = paid_ticket(paid_event(other_org))
    services.payment_create(actor=owner, registrations=pending_order(owner, rival_ticket, "r@example.com"))
    client = console(root)
    page = client.get("/admin/payments/payment/")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 2  # every organization's
    payment = Payment.objects.get(organization=ticket.organization)
    assert client.get(f"/admin/payments/payment/{payment.id}/change/").status_code == 200
    assert client.get("/admin/payments/payment/add/").status_code == 403
    assert client.post(f"/admin/payments/payment/{payment.id}/delete/", {"post": "yes"}).status_code == 403
    assert Payment.objects.filter(pk=payment.pk).exists()
    assert client.get("/admin/payments/invoice/").status_code == 200
    assert client.get("/admin/payments/refund/").status_code == 200
