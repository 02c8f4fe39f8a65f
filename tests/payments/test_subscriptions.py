"""Series passes sold as subscriptions, against the fake Stripe and the fake PayPal over real HTTP: the purchase opens
a subscription at the gateway, renewals and failed renewals arrive as signed notifications and move the pass (its
status, the period paid for, the renewals counted once), duplicates and disorder change nothing more, and a
cancellation from the platform reaches the gateway once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import requests

from connectors.models import ConnectorJob, InboundEvent
from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry
from payments import paypal as flow
from payments import subscriptions
from payments.models import ReferenceKind, Subscription, SubscriptionStatus, VendorReference
from tests.fakes.paypal import PayPalFake
from tests.fakes.stripe import StripeFake
from tests.payments.factories import paid_event, paid_ticket
from tests.payments.paypal.conftest import connection, fake, hook
from tests.payments.test_stripe import connect, notify

pytestmark = pytest.mark.django_db
__all__ = ["connection", "fake"]  # the PayPal tests' fixtures: the fake PayPal and a PayPal connection of ``org``


@pytest.fixture
def series_pass(org: Any) -> Any:
    """A series (an event with sub-events) and its pass: a ticket type of the series at 30.00 EUR."""
    series = paid_event(org, title="Jazz Nights")
    paid_event(org, title="Jazz Night 1", parent=series)
    paid_event(org, title="Jazz Night 2", parent=series)
    return paid_ticket(series, name="Season pass", price="30.00", tax_rate="19.00")


def start(ticket: Any, provider: str) -> Subscription:
    return subscriptions.subscription_start(
        actor=SYSTEM, ticket_type=ticket, buyer_name="Ada Buyer", buyer_email="ada@example.com", provider=provider
    )


def paid_audits(subscription: Subscription) -> int:
    return AuditEntry.objects.filter(action="subscription.paid", object_id=str(subscription.pk)).count()


def test_only_a_series_ticket_type_with_a_connected_gateway_is_sold_as_a_pass(org: Any, series_pass: Any) -> None:
    single = paid_ticket(paid_event(org, title="One night"), price="30.00")
    with pytest.raises(DomainError) as refused:
        start(single, "stripe")
    assert refused.value.error.code == "VALIDATION_ERROR" and refused.value.target == "ticketTypeId"
    with pytest.raises(DomainError) as unconnected:
        start(series_pass, "stripe")
    assert unconnected.value.error.code == "CONNECTION_NOT_CONFIGURED"
    with pytest.raises(DomainError) as sandbox:
        start(series_pass, "sandbox")
    assert sandbox.value.error.code == "PAYMENT_PROVIDER_NOT_ALLOWED"
    assert not Subscription.objects.exists()


# -- Stripe --------------------------------------------------------------------------------------------------
@pytest.fixture
def stripe_fake(settings: Any) -> Any:
    fake = StripeFake().start()
    settings.STRIPE_API_BASE = fake.url
    settings.CONNECTOR_RETRY_BASE_SECONDS = 0.01
    yield fake
    fake.stop()


@pytest.fixture
def stripe_pass(org: Any, series_pass: Any, stripe_fake: StripeFake) -> tuple[Subscription, Any]:
    """A pass bought through Stripe: the subscription opened (first invoice open), its connection."""
    connection = connect(org)
    subscription = start(series_pass, "stripe")
    checkout = subscriptions.subscription_checkout(actor=SYSTEM, subscription=subscription)
    subscription.refresh_from_db()
    assert checkout.provider_subscription_id == subscription.provider_reference
    return subscription, connection


def test_a_stripe_pass_opens_a_subscription_with_the_documented_parameters(stripe_pass: Any, stripe_fake: StripeFake) -> None:
    subscription, _ = stripe_pass
    [posted] = stripe_fake.calls("POST", "/v1/subscriptions")
    form = posted.form()
    assert form["items[0][price_data][unit_amount]"] == "3000" and form["items[0][price_data][currency]"] == "eur"
    assert form["items[0][price_data][recurring][interval]"] == "month"
    assert form["payment_behavior"] == "default_incomplete"
    assert form["payment_settings[save_default_payment_method]"] == "on_subscription"
    assert form["expand[0]"] == "latest_invoice.confirmation_secret"
    assert form["metadata[subscription_id]"] == str(subscription.pk)
    assert posted.header("Idempotency-Key") == f"subscription-{subscription.pk}:subscription"
    assert stripe_fake.calls("POST", "/v1/customers")[0].form()["email"] == "ada@example.com"
    kinds = set(VendorReference.objects.filter(subscription=subscription).values_list("kind", flat=True))
    assert kinds == {"subscription"} and subscription.status == SubscriptionStatus.INCOMPLETE
    # The client secret for Elements is the first invoice's confirmation secret, given again on asking again.
    invoice = stripe_fake.invoices[stripe_fake.subscriptions[subscription.provider_reference]["latest_invoice"]]
    again = subscriptions.subscription_checkout(actor=SYSTEM, subscription=subscription)
    assert again.client_secret == invoice["_confirmation_secret"]["client_secret"] and again.publishable_key == "pk_test_abc123"
    assert len(stripe_fake.subscriptions) == 1


def test_stripe_renewals_and_a_failed_renewal_follow_the_invoices(
    client: Any, stripe_pass: Any, stripe_fake: StripeFake, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    subscription, connection = stripe_pass
    sub_id = subscription.provider_reference

    def deliver(event_type: str, obj: dict[str, Any]) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            assert notify(client, stripe_fake, connection, event_type, obj).status_code == 200

    deliver("invoice.paid", stripe_fake.pay_first_invoice(sub_id))  # the buyer paid with Elements
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.renewals == 0
    first_end = subscription.current_period_end
    assert first_end is not None and first_end > dt.datetime.now(dt.UTC) + dt.timedelta(days=29)

    deliver("invoice.paid", stripe_fake.renew(sub_id))
    subscription.refresh_from_db()
    assert subscription.renewals == 1 and subscription.current_period_end == first_end + dt.timedelta(days=30)

    failed = stripe_fake.renew(sub_id, failed=True)
    deliver("invoice.payment_failed", failed)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAST_DUE and subscription.renewals == 1
    assert subscription.failure_reason and subscription.current_period_end == first_end + dt.timedelta(days=30)

    deliver("invoice.paid", stripe_fake.renew(sub_id))  # Stripe's retry went through
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.renewals == 2 and not subscription.failure_reason
    assert paid_audits(subscription) == 3
    assert VendorReference.objects.filter(subscription=subscription, kind=ReferenceKind.INVOICE).count() == 3
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_stripe_duplicates_and_out_of_order_notifications_are_harmless(
    client: Any, stripe_pass: Any, stripe_fake: StripeFake, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    subscription, connection = stripe_pass
    sub_id = subscription.provider_reference
    first = stripe_fake.event("invoice.paid", stripe_fake.pay_first_invoice(sub_id))
    stale_update = stripe_fake.event("customer.subscription.updated", stripe_fake.subscription_object(sub_id))
    renewal = stripe_fake.event("invoice.paid", stripe_fake.renew(sub_id))
    with django_capture_on_commit_callbacks(execute=True):
        for event in (renewal, renewal, stale_update, first, renewal, first, renewal, stale_update, renewal):
            assert notify(client, stripe_fake, connection, "", {}, event=event).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.renewals == 1
    assert paid_audits(subscription) == 2
    assert AuditEntry.objects.filter(action="subscription.active", object_id=str(subscription.pk)).count() == 1
    assert InboundEvent.objects.count() == 3 and InboundEvent.objects.get(vendor_event_id=renewal["id"]).deliveries == 5


def test_a_stripe_pass_cancelled_on_the_platform_is_cancelled_at_stripe_once(
    client: Any, stripe_pass: Any, stripe_fake: StripeFake, eager: None, django_capture_on_commit_callbacks: Any, owner: Any
) -> None:
    subscription, connection = stripe_pass
    sub_id = subscription.provider_reference
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, stripe_fake, connection, "invoice.paid", stripe_fake.pay_first_invoice(sub_id))
    with stripe_fake.down(), django_capture_on_commit_callbacks(execute=True):  # Stripe unreachable: the job waits
        subscriptions.subscription_cancel(actor=owner, subscription=subscription, reason="Moving away")
    job = ConnectorJob.objects.get(idempotency_key=f"subscription-{subscription.pk}-cancel")
    subscription.refresh_from_db()
    assert job.status == "pending" and subscription.status == SubscriptionStatus.ACTIVE and not stripe_fake.canceled
    from connectors import jobs

    ConnectorJob.objects.filter(pk=job.pk).update(next_attempt_at=job.created_at)
    assert jobs.run(job.pk) == "succeeded"
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELED and subscription.canceled_at is not None
    assert stripe_fake.canceled == [sub_id] and len(stripe_fake.calls("DELETE", f"/v1/subscriptions/{sub_id}")) == 1
    with django_capture_on_commit_callbacks(execute=True):  # Stripe's own notification of it, then a late renewal
        notify(client, stripe_fake, connection, "customer.subscription.deleted", stripe_fake.subscription_object(sub_id))
        subscriptions.subscription_cancel(actor=owner, subscription=subscription, reason="Again")
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELED and stripe_fake.canceled == [sub_id]
    assert ConnectorJob.objects.filter(operation=subscriptions.CANCEL_OPERATION).count() == 1


# -- PayPal --------------------------------------------------------------------------------------------------
@pytest.fixture
def paypal_pass(series_pass: Any, fake: PayPalFake, connection: Any) -> tuple[Subscription, str]:
    subscription = start(series_pass, "paypal")
    url = flow.subscribe(actor=SYSTEM, subscription=subscription)
    subscription.refresh_from_db()
    return subscription, url


def test_a_paypal_pass_is_approved_renewed_fails_and_is_cancelled_once(
    client: Any, fake: PayPalFake, connection: Any, paypal_pass: Any, owner: Any, eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    subscription, url = paypal_pass
    sub_id = subscription.provider_reference
    plan = fake.plans[fake.subscriptions[sub_id]["plan_id"]]
    assert plan["billing_cycles"][0]["pricing_scheme"]["fixed_price"] == {"currency_code": "EUR", "value": "30.00"}
    assert plan["billing_cycles"][0]["frequency"] == {"interval_unit": "MONTH", "interval_count": 1}
    assert (
        fake.calls("POST", "/v1/billing/subscriptions")[0].header("PayPal-Request-Id")
        == f"subscription-{subscription.pk}:subscription"
    )
    assert fake.subscriptions[sub_id]["custom_id"] == str(subscription.pk)

    back = requests.get(url, allow_redirects=False, timeout=5).headers["Location"]  # the buyer approves at PayPal
    page = client.get("/" + back.split("://", 1)[1].split("/", 1)[1])
    assert page.status_code == 200 and b"Series pass active" in page.content
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.renewals == 0
    assert subscription.current_period_end is not None
    assert client.get(f"/pay/paypal/subscriptions/{subscription.pk}/return?subscription_id=I-OTHER").status_code == 404

    def deliver(event_type: str, resource: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        sent = fake.notify(event_type, resource)
        with django_capture_on_commit_callbacks(execute=True):
            assert hook(client, connection, *sent).status_code == 200
        return sent

    sale = deliver("PAYMENT.SALE.COMPLETED", fake.bill(sub_id))
    subscription.refresh_from_db()
    assert subscription.renewals == 1 and subscription.status == SubscriptionStatus.ACTIVE

    fake.bill(sub_id, failed=True)
    deliver("BILLING.SUBSCRIPTION.PAYMENT.FAILED", fake._public(fake.subscriptions[sub_id]))
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAST_DUE and "PAYMENT_DENIED" in subscription.failure_reason
    with django_capture_on_commit_callbacks(execute=True):  # the renewal's webhook again, late: nothing more
        for _ in range(4):
            assert hook(client, connection, *sale).status_code == 200
    subscription.refresh_from_db()
    assert subscription.renewals == 1 and subscription.status == SubscriptionStatus.PAST_DUE and paid_audits(subscription) == 2

    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.subscription_cancel(actor=owner, subscription=subscription, reason="Moving away")
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELED and fake.subscriptions[sub_id]["status"] == "CANCELLED"
    [cancel] = fake.calls("POST", f"/v1/billing/subscriptions/{sub_id}/cancel")
    assert (
        cancel.header("PayPal-Request-Id") == f"subscription-{subscription.pk}-cancel"
        and cancel.json()["reason"] == "Moving away"
    )
    deliver("BILLING.SUBSCRIPTION.CANCELLED", fake._public(fake.subscriptions[sub_id]))
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELED
    assert len(fake.calls("POST", f"/v1/billing/subscriptions/{sub_id}/cancel")) == 1
    assert InboundEvent.objects.get(vendor_event_id=json.loads(sale[0])["id"]).deliveries == 5


def test_a_forged_subscription_notification_changes_nothing(
    client: Any, fake: PayPalFake, connection: Any, paypal_pass: Any, eager: None
) -> None:
    subscription, _ = paypal_pass
    fake.approve_subscription(subscription.provider_reference)
    body, headers = fake.notify(
        "BILLING.SUBSCRIPTION.ACTIVATED", fake._public(fake.subscriptions[subscription.provider_reference])
    )
    assert hook(client, connection, body.replace(b"ACTIVATED", b"CANCELLED"), headers).status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.INCOMPLETE and not InboundEvent.objects.exists()


# -- the API ---------------------------------------------------------------------------------------------------
def test_the_api_sells_a_pass_shows_it_and_cancels_it(
    client_owner: Any, org: Any, series_pass: Any, stripe_fake: StripeFake, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    connect(org)
    body = {"ticketTypeId": str(series_pass.pk), "provider": "stripe", "buyerName": "Ada", "buyerEmail": "ada@example.com"}
    created = client_owner.post("/api/v1/subscriptions", body, format="json")
    assert created.status_code == 201, created.content
    shown = created.json()
    sub_id = shown["providerReference"]
    invoice = stripe_fake.invoices[stripe_fake.subscriptions[sub_id]["latest_invoice"]]
    assert shown["checkout"]["clientSecret"] == invoice["_confirmation_secret"]["client_secret"]
    assert (shown["status"], shown["amount"], shown["interval"], shown["renewals"]) == ("incomplete", "30.00", "month", 0)
    assert created["Location"] == f"/api/v1/subscriptions/{shown['id']}"
    stripe_fake.pay_first_invoice(sub_id)
    subscriptions.subscription_refresh(connection=Subscription.objects.get().connection, provider_subscription_id=sub_id)
    detail = client_owner.get(f"/api/v1/subscriptions/{shown['id']}").json()
    assert detail["status"] == "active" and detail["checkout"] is None and detail["currentPeriodEnd"]
    assert [s["id"] for s in client_owner.get("/api/v1/subscriptions").json()["data"]] == [shown["id"]]
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client_owner.post(f"/api/v1/subscriptions/{shown['id']}/cancel", {"reason": "Moving away"}, format="json")
    assert cancelled.status_code == 200  # answered before the job ran (after the commit): then canceled at Stripe
    assert client_owner.get(f"/api/v1/subscriptions/{shown['id']}").json()["status"] == "canceled"
    assert stripe_fake.canceled == [sub_id]
    single = paid_ticket(paid_event(org, title="One night"), price="30.00")
    refused = client_owner.post("/api/v1/subscriptions", {**body, "ticketTypeId": str(single.pk)}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["target"] == "ticketTypeId"


def test_a_paypal_pass_sold_through_the_api_answers_the_approval_link(
    client_owner: Any, series_pass: Any, fake: PayPalFake, connection: Any
) -> None:
    body = {"ticketTypeId": str(series_pass.pk), "provider": "paypal", "buyerName": "Ada", "buyerEmail": "ada@example.com"}
    created = client_owner.post("/api/v1/subscriptions", body, format="json")
    assert created.status_code == 201, created.content
    [sub] = fake.subscriptions.values()
    assert created.json()["checkout"]["approvalUrl"] == f"{fake.url}/webapps/billing/subscriptions?ba_token=BA-{sub['id']}"
    assert sub["_return_url"].endswith(f"/pay/paypal/subscriptions/{created.json()['id']}/return")
