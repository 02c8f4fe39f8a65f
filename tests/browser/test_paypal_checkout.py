"""An attendee pays with PayPal in headless Chromium: the approval link (the fake PayPal's page) sends the browser
back to the platform's return page, which captures the order; another attendee cancels at PayPal instead."""

from __future__ import annotations

from typing import Any

import pytest

from core.audit import SYSTEM
from payments import paypal as flow
from payments import services as payment_services
from payments.models import PaymentStatus
from tests.payments.factories import paid_event, paid_ticket, pending_order
from tests.payments.paypal.conftest import connection, fake

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

__all__ = ["connection", "fake"]  # the PayPal tests' fixtures: the fake PayPal and a PayPal connection of ``org``


def test_pay_with_paypal_and_cancel_at_paypal(
    tab: Any, fake: Any, connection: Any, org: Any, live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    ticket = paid_ticket(paid_event(org, title="Acme Summit"), name="Standard", price="25.00")
    paying = payment_services.payment_create(
        actor=SYSTEM, registrations=pending_order(SYSTEM, ticket, "ada@example.com"), provider="paypal"
    )
    tab.page.goto(flow.checkout(actor=SYSTEM, payment=paying))  # PayPal approves and redirects to the return page
    tab.page.wait_for_selector("#outcome")
    assert tab.page.inner_text("h1") == "Payment received"
    assert "25.00 EUR" in tab.page.inner_text("main")
    tab.shot("paid")
    paying.refresh_from_db()
    assert paying.status == PaymentStatus.SUCCEEDED and len(fake.captures) == 1

    leaving = payment_services.payment_create(
        actor=SYSTEM, registrations=pending_order(SYSTEM, ticket, "bob@example.com"), provider="paypal"
    )
    tab.page.goto(flow.checkout(actor=SYSTEM, payment=leaving) + "&cancel=1")
    tab.page.wait_for_selector("#outcome")
    assert tab.page.inner_text("h1") == "Payment cancelled"
    tab.shot("cancelled")
    leaving.refresh_from_db()
    assert leaving.status == PaymentStatus.FAILED and len(fake.captures) == 1
    tab.assert_no_errors()


def test_buy_a_series_pass_with_paypal(tab: Any, fake: Any, connection: Any, org: Any, live_server: Any, settings: Any) -> None:
    """The subscriber approves the pass's subscription at PayPal and lands on the platform's page, which asks PayPal."""
    from payments import subscriptions
    from payments.models import SubscriptionStatus

    settings.SITE_URL = live_server.url
    series = paid_event(org, title="Jazz Nights")
    paid_event(org, title="Jazz Night 1", parent=series)
    ticket = paid_ticket(series, name="Season pass", price="30.00")
    subscription = subscriptions.subscription_start(
        actor=SYSTEM, ticket_type=ticket, buyer_name="Ada", buyer_email="ada@example.com", provider="paypal"
    )
    tab.page.goto(flow.subscribe(actor=SYSTEM, subscription=subscription))
    tab.page.wait_for_selector("#outcome")
    assert tab.page.inner_text("h1") == "Series pass active"
    assert "30.00 EUR a month" in tab.page.inner_text("main")
    tab.shot("series-pass")
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    tab.assert_no_errors()
