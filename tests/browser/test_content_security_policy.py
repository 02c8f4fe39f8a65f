"""Pages outside the portal under the platform's Content-Security-Policy, in headless Chromium: the API docs
(Swagger UI), the error reference, the organizer console, and the authorization server's sign-in and consent,
whose answer redirects the browser to the client on another origin. The console must stay free of errors,
CSP violations included."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from accounts.roles import Role
from core import csp
from tests.factories import EventFactory, MembershipFactory, OrganizationFactory, UserFactory, verified
from tests.oauth.helpers import authorize_path, make_app

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.fixture
def client_app() -> Iterator[str]:
    """An OAuth client's redirect endpoint on 127.0.0.1 (another origin than the live server's localhost)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>Client</title><p>Signed in.</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/callback"
    server.shutdown()
    server.server_close()


def _policy_of(response: Any) -> str:
    return str(response.headers.get(csp.HEADER.lower(), ""))


def test_the_api_docs_and_the_error_reference_render_under_the_policy(tab):
    docs = tab.open("/api/docs/")
    assert _policy_of(docs) == csp.CONTENT_SECURITY_POLICY
    # The operations, from the live schema (generated on this first request: slow on a busy machine).
    tab.page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)
    tab.page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)
    tab.shot("api docs")
    errors = tab.open("/api/errors/")
    assert _policy_of(errors) == csp.CONTENT_SECURITY_POLICY
    # Styled by its static stylesheet (an inline one would have been blocked).
    assert tab.page.eval_on_selector("header", "e => getComputedStyle(e).backgroundColor") == "rgb(16, 42, 67)"
    tab.shot("error reference")
    tab.assert_no_errors()


def test_the_console_works_under_the_policy(tab):
    user = verified(UserFactory(email="root@platform.example", is_staff=True, is_superuser=True))
    event = EventFactory(organization=OrganizationFactory(name="Acme Events"))
    page = tab.page
    tab.open("/admin/login/")  # the platform's one sign-in, back to the console
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    tab.shot("console home")
    tab.open("/admin/events/event/")
    tab.shot("console events")
    tab.open(f"/admin/events/event/{event.pk}/change/")
    # The admin's scripts ran: the date widgets got their shortcuts.
    page.wait_for_selector(".datetimeshortcuts", timeout=10_000)
    tab.shot("console event")
    tab.open("/admin/django_celery_beat/periodictask/add/")
    # django-celery-beat's script, served as a static file, hid the translation row.
    assert page.locator(".field-crontab_translation").is_hidden()
    tab.shot("console periodic task")
    tab.assert_no_errors()


def test_sign_in_and_consent_answer_the_client_on_its_own_origin(tab, client_app):
    """The consent form's answer is a redirect to the client: Chromium checks form-action on it."""
    organization = OrganizationFactory(name="Acme Events")
    user = verified(UserFactory(email="ada@acme.example"))
    MembershipFactory(user=user, organization=organization, role=Role.OWNER)
    app, _ = make_app(organization=organization, redirect_uris=client_app, name="Partner app")
    page = tab.page
    tab.open(authorize_path(app, client_app))
    page.wait_for_url("**/portal/accounts/login/**")
    tab.shot("sign in")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/o/authorize/**")
    assert "Authorize Partner app" in page.content()
    tab.shot("consent")
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{client_app}?**")
    assert "code=" in page.url and "state=s1" in page.url
    assert "Signed in." in page.content()
    tab.assert_no_errors()
