"""A partner's first hour, in headless Chromium: sign up, verify, sign in, create a test key and call the API with it,
register a test app and call the API with its token.

Each step goes through the real pages on the live server; the page's console
must stay free of errors, Content Security Policy violations included.
"""

from __future__ import annotations

import base64
import json
import urllib.request
from typing import Any

import pytest

from tests.celery_worker import wait_until
from tests.integrations import conftest as webhook_fixtures
from tests.integrations.helpers import verify
from tests.portal.helpers import PASSWORD, link_in_last_email

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


# The webhook tests' fixtures: a receiver on loopback, the local-development settings that let deliveries reach it,
# and tasks run at once in the live server's thread (after the commit, as a worker would take them).
receiver = webhook_fixtures.receiver
_local_delivery = webhook_fixtures._local_delivery
_memory_broker = webhook_fixtures._memory_broker


def _get(url: str, key: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def sign_up_and_in(tab: Any, email: str) -> None:
    """Sign up through the pages, open the link of the verification email, sign in. Each test signs up its own
    address: the platform limits verification emails per address (django-allauth's rate limits, kept in the cache,
    which outlives a test's database)."""
    page = tab.page
    tab.open("/portal/")
    tab.shot("01 home")
    page.get_by_role("link", name="Sign up").first.click()
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=organization_name]", "Ada Integrations")
    tab.shot("02 sign up")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/confirm-email/")
    tab.shot("03 verification sent")

    page.goto(tab.base_url + link_in_last_email(email, r"https?://\S+/portal/accounts/confirm-email/\S+"))
    tab.shot("04 confirm email")
    page.get_by_role("button", name="Confirm").click()

    page.goto(tab.base_url + "/portal/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    tab.shot("05 sign in")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/dashboard/")
    assert page.get_by_role("heading", name="Ada Integrations").is_visible()
    tab.shot("06 dashboard")


def create_test_key(tab: Any) -> str:
    page = tab.page
    page.get_by_role("link", name="API keys").first.click()
    page.wait_for_url("**/portal/keys/")
    tab.shot("07 api keys empty")
    page.fill("input[name=name]", "Local development")
    page.select_option("select[name=mode]", "test")
    page.check("input[name=scopes][value='events:read']")
    page.get_by_role("button", name="Create key").click()
    secret = page.input_value("#new-api-key")
    assert secret.startswith("emp_test_")
    tab.shot("08 api key created")
    # Once shown, never again: the list shows the prefix only.
    page.reload()
    assert secret not in page.content()
    return secret


def create_test_app(tab: Any) -> tuple[str, str]:
    """Register a test app with the client-credentials grant on the Apps page; its client ID and the secret shown once."""
    page = tab.page
    page.get_by_role("link", name="Apps", exact=True).first.click()
    page.wait_for_url("**/portal/apps/")
    tab.shot("09 apps empty")
    page.fill("input[name=name]", "Local sync")
    page.check("input[name=mode][value=test]")
    page.check("input[name=client_type][value=confidential]")
    page.check("input[name=authorization_grant_type][value=client-credentials]")
    page.check("input[name=allowed_scopes][value='events:read']")
    page.get_by_role("button", name="Register app").click()
    secret = page.input_value("#new-client-secret")
    client_id = page.input_value("#client-id")
    tab.shot("10 app registered")
    # Once shown, never again: the app's page and the list show the client ID only.
    page.get_by_role("link", name="Apps", exact=True).first.click()
    page.wait_for_url("**/portal/apps/")
    assert secret not in page.content() and client_id in page.content()
    tab.shot("11 apps")
    page.get_by_role("link", name="Local sync").first.click()
    page.wait_for_url("**/portal/apps/*/")
    assert secret not in page.content() and client_id in page.content()
    tab.shot("12 app")
    return client_id, secret


def _client_credentials_token(base_url: str, client_id: str, secret: str) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = urllib.request.Request(
        base_url + "/o/token/",
        data=b"grant_type=client_credentials&scope=events%3Aread",
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.loads(response.read())["access_token"])


def test_sign_up_verify_sign_in_create_a_test_key_and_an_app_and_ping(tab, live_server):
    sign_up_and_in(tab, "ada@partner.example")
    secret = create_test_key(tab)

    status, body = _get(live_server.url + "/api/v1/ping", secret)
    assert status == 200, body
    assert (body["kind"], body["client"]["mode"], body["scopes"]) == ("api_key", "test", ["events:read"]), body

    client_id, app_secret = create_test_app(tab)
    status, body = _get(live_server.url + "/api/v1/ping", _client_credentials_token(live_server.url, client_id, app_secret))
    assert status == 200 and body["client"]["clientId"] == client_id, body
    tab.assert_no_errors()


def subscribe_in_the_sandbox(tab: Any, url: str) -> str:
    """Switch to the Sandbox environment and subscribe ``url`` to registration.created; the signing secret shown once."""
    page = tab.page
    page.get_by_role("link", name="Sandbox").first.click()
    page.wait_for_url("**/portal/sandbox/")
    tab.shot("13 sandbox")
    page.select_option("#environment-switch", "sandbox")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_selector("text=You are working in the sandbox")
    page.get_by_role("link", name="Webhooks", exact=True).first.click()
    page.wait_for_url("**/portal/webhooks/")
    tab.shot("14 webhooks empty")
    page.get_by_role("link", name="New subscription").click()
    page.fill("input[name=url]", url)
    page.fill("input[name=description]", "Local receiver")
    page.check("input[name=event_types][value='registration.created']")
    tab.shot("15 new subscription")
    page.get_by_role("button", name="Create subscription").click()
    secret = page.input_value("#signing-secret")
    assert secret.startswith("whsec_")
    tab.shot("16 subscription created")
    return secret


def trigger_and_replay(tab: Any, receiver: Any, secret: str) -> None:
    """Fire registration.created in the sandbox, find the delivery in the log, open it and replay it."""
    page = tab.page
    page.get_by_role("link", name="Sandbox").first.click()
    page.select_option("select[name=event_type]", "registration.created")
    page.get_by_role("button", name="Fire event").click()
    page.wait_for_url("**/portal/sandbox/")
    tab.shot("17 event fired")
    [first] = wait_until(lambda: receiver.requests, what="the delivery of registration.created")
    body = verify(secret, first)  # signed with the subscription's secret (Standard Webhooks)
    assert body["event"] == "registration.created"

    page.get_by_role("link", name="Webhooks", exact=True).first.click()
    page.get_by_role("link", name="All deliveries").first.click()
    page.wait_for_url("**/portal/webhooks/deliveries/")
    row = page.locator("tr", has_text="registration.created").first
    assert "Succeeded" in row.inner_text() or "succeeded" in row.inner_text()
    tab.shot("18 deliveries")
    row.get_by_role("link").first.click()
    page.wait_for_url("**/portal/webhooks/deliveries/*/")
    assert first.headers["webhook-id"] in page.content()
    tab.shot("19 delivery")
    page.get_by_role("button", name="Replay").click()
    page.wait_for_load_state()
    requests = wait_until(lambda: receiver.requests[1:] and receiver.requests, what="the replay")
    assert len(requests) == 2 and requests[1].headers["webhook-id"] == first.headers["webhook-id"]
    assert verify(secret, requests[1])["data"] == body["data"]
    tab.shot("20 replayed")


def test_a_partner_subscribes_in_the_sandbox_triggers_an_event_sees_it_delivered_and_replays_it(tab, receiver, eager):
    sign_up_and_in(tab, "grace@partner.example")
    create_test_key(tab)
    secret = subscribe_in_the_sandbox(tab, receiver.url)
    trigger_and_replay(tab, receiver, secret)
    tab.page.get_by_role("link", name="Usage").first.click()
    tab.page.wait_for_url("**/portal/usage/")
    tab.shot("21 usage")
    tab.assert_no_errors()


def test_the_guide_and_the_api_reference_render_under_the_content_security_policy(tab):
    tab.open("/portal/guide/")
    tab.shot("guide")
    tab.page.get_by_role("link", name="Webhooks").first.click()
    tab.page.wait_for_url("**/portal/guide/webhooks/")
    tab.shot("guide webhooks")
    tab.open("/portal/reference/")
    tab.page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)  # the schema is generated on first use
    tab.shot("api reference")
    tab.assert_no_errors()
