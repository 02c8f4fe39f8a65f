"""Pages that update live from the event stream (realtime/, Server-Sent Events), in headless Chromium against the
platform's ASGI application served by uvicorn: the console desk's check-in counts when another door checks someone
in, and the portal's webhook deliveries as they are made and attempted. Neither page is reloaded; console errors
(a Content-Security-Policy violation among them) fail the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.test import Client

from accounts import services as account_services
from accounts.models import OrganizationKind
from accounts.roles import Role
from core.audit import SYSTEM
from integrations import services as integration_services
from tests.asgi_server import AsgiServer
from tests.browser.conftest import Page, open_tab
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.integrations.conftest import serve
from tests.realtime.test_sse import check_in_over_http
from tests.registrations.factories import DoorsOpenEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tab(browser: Any, asgi_server: AsgiServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_tab(browser, asgi_server.url, request)


def signed_in_as(tab: Page, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    tab.page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": tab.base_url}])


def raw_key(organization: Any, *scopes: str) -> str:
    _, raw = account_services.api_key_create(
        actor=SYSTEM, organization=organization, data={"name": "Door 2", "scopes": list(scopes)}, creator_role=None
    )
    return raw


def test_the_desk_counts_follow_check_ins_at_another_door_without_a_reload(tab, asgi_server, org):
    event = DoorsOpenEventFactory(organization=org, capacity=100, title="Acme Summit")
    free = TicketTypeFactory(event=event, name="Free")
    tickets = [RegistrationFactory(ticket_type=free, attendee_name=f"Guest {i}") for i in range(3)]
    door = UserFactory(email="door@acme.example")
    MembershipFactory(user=door, organization=org, role=Role.CHECKIN)
    other_door = raw_key(org, "checkins:write")

    signed_in_as(tab, door)
    page = tab.page
    tab.open(f"/console/desk/{event.pk}/")
    page.wait_for_selector("#desk[data-live=on]")
    assert page.text_content("#count-in") == "0" and page.text_content("#count-left") == "3"
    marker = page.evaluate("() => (window.__notReloaded = true)")  # gone if the page were loaded again

    for n, ticket in enumerate(tickets[:2], start=1):
        check_in_over_http(asgi_server, other_door, ticket)
        # Well within the 30 s the desk still polls at when it is live: the stream brought it.
        page.wait_for_function(f"() => document.getElementById('count-in').textContent === '{n}'", timeout=4_000)
    assert page.text_content("#count-left") == "1"
    assert page.evaluate("() => window.__notReloaded") is marker is True
    tab.shot("desk counts after two check-ins at another door")
    tab.assert_no_errors()


def test_the_portal_deliveries_page_shows_new_deliveries_and_their_outcome_without_a_reload(tab, asgi_server, settings, eager):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    receiver, server = serve()
    try:
        developers = OrganizationFactory(name="Ada Integrations", kind=OrganizationKind.DEVELOPER)
        ada = UserFactory(email="ada@integrations.example")
        MembershipFactory(user=ada, organization=developers, role=Role.OWNER)
        subscription, _ = integration_services.subscription_create(
            actor=SYSTEM, organization=developers, data={"url": receiver.url, "event_types": ["registration.created"]}
        )
        key = raw_key(developers, "webhooks:write", "webhooks:read")

        signed_in_as(tab, ada)
        page = tab.page
        tab.open("/portal/webhooks/deliveries/")
        page.wait_for_selector(".deliveries-live[data-live=on]", state="attached")
        assert page.is_visible("[data-deliveries-empty]") and page.locator("table.deliveries").is_hidden()
        page.evaluate("() => (window.__notReloaded = true)")

        # A test event sent through the API (a worker sends it at once: tasks run eagerly here).
        receiver.answer(503)  # the first attempt fails, the replay succeeds
        answer = httpx.post(
            f"{asgi_server.url}/api/v1/webhooks/{subscription.pk}/test",
            json={"eventType": "registration.created"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
        assert answer.status_code in (200, 201, 202), answer.text
        row = page.locator("table.deliveries tbody tr").first
        row.wait_for()
        assert page.locator("[data-deliveries-empty]").is_hidden()
        assert "registration.created" in row.inner_text() and "Test" in row.inner_text()
        page.wait_for_function(
            "() => document.querySelector('table.deliveries tbody tr [data-cell=response]').textContent.trim() === '503'",
            timeout=5_000,
        )
        assert row.locator("[data-cell=attempts]").inner_text() == "1"
        tab.shot("deliveries after a failed attempt")

        [delivery] = subscription.deliveries.all()
        delivery.refresh_from_db()
        assert delivery.next_attempt_at is not None and delivery.status == "pending"
        integration_services.deliveries_attempt(delivery_ids=[delivery.pk], now=delivery.next_attempt_at)
        page.wait_for_function(
            "() => document.querySelector('table.deliveries tbody tr [data-cell=status]').textContent.trim() === 'Succeeded'",
            timeout=8_000,
        )
        assert row.locator("[data-cell=attempts]").inner_text() == "2"
        assert row.locator("[data-cell=response]").inner_text() == "200"
        assert page.locator("table.deliveries tbody tr").count() == 1
        assert page.evaluate("() => window.__notReloaded") is True
        tab.shot("deliveries after the retry succeeded")
        tab.assert_no_errors()
    finally:
        server.shutdown()
        server.server_close()
