"""The hosted checkout page of a Stripe payment in headless Chromium: its policy names Stripe's origins only, and
Stripe.js (stubbed with Playwright's route(): it cannot load offline) is given the publishable key and the
intent's client secret and mounts its Payment Element, with no console error or CSP violation."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors import services as connector_services
from core.audit import SYSTEM
from payments import services
from payments.pages import checkout_path
from tests.factories import OrganizationFactory
from tests.fakes.stripe import StripeFake
from tests.payments.factories import paid_event, paid_ticket, pending_order

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Stands in for https://js.stripe.com/v3/: records what the page gives Stripe and draws a card field.
STRIPE_JS_STUB = """
window.Stripe = function (key) {
  window.__stripe = { key: key };
  return {
    elements: function (options) {
      window.__stripe.clientSecret = options.clientSecret;
      return {
        create: function (type) {
          window.__stripe.element = type;
          return { mount: function (selector) {
            var box = document.querySelector(selector);
            box.setAttribute("data-mounted", type);
            box.textContent = "Card number  4242 4242 4242 4242   12/34   123";
          } };
        }
      };
    },
    confirmPayment: function () { return Promise.resolve({ error: { message: "Your card was declined." } }); }
  };
};
"""


@pytest.fixture
def stripe_fake(settings: Any) -> Iterator[StripeFake]:
    fake = StripeFake().start()
    settings.STRIPE_API_BASE = fake.url
    yield fake
    fake.stop()


def test_the_checkout_page_loads_stripe_js_under_stripes_origins_only(tab: Any, stripe_fake: StripeFake) -> None:
    org = OrganizationFactory(name="Acme Events")
    connector_services.connection_create(
        actor=SYSTEM,
        organization=org,
        kind="payment",
        vendor="stripe",
        mode="test",
        credentials={"secret_key": "sk_test_abc123", "webhook_secret": "whsec_abc123"},
        settings={"publishable_key": "pk_test_abc123"},
    )
    ticket = paid_ticket(paid_event(org, title="Acme Summit"), price="25.00")
    payment = services.payment_create(actor=SYSTEM, registrations=pending_order(SYSTEM, ticket), provider="stripe")
    checkout = services.payment_checkout(actor=SYSTEM, payment=payment)
    stripe_loads: list[str] = []

    def stub(route: Any) -> None:
        stripe_loads.append(route.request.url)
        route.fulfill(status=200, content_type="application/javascript", body=STRIPE_JS_STUB)

    tab.page.route("https://js.stripe.com/**", stub)
    response = tab.open(checkout_path(payment))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' https://js.stripe.com https://*.js.stripe.com;" in policy
    assert "frame-src 'self' https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com" in policy
    assert "connect-src 'self' https://api.stripe.com" in policy and "'unsafe-inline'" not in policy
    tab.page.wait_for_selector("#payment-element[data-mounted='payment']")
    assert stripe_loads == ["https://js.stripe.com/v3/"]
    given = tab.page.evaluate("window.__stripe")
    assert given == {"key": "pk_test_abc123", "clientSecret": checkout.client_secret, "element": "payment"}
    assert tab.page.text_content("h1") == "Acme Summit"
    assert "25.00 EUR" in tab.page.text_content("[data-testid=amount]")
    shot = tab.shot("checkout")
    tab.page.click("#submit")
    tab.page.wait_for_selector("#payment-message:not([hidden])")
    assert tab.page.text_content("#payment-message") == "Your card was declined."
    tab.assert_no_errors()
    out = Path("/tmp/shots/stripe")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, out / "checkout.png")
