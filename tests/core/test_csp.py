"""Every HTML page carries the platform's Content-Security-Policy (core.csp): the URL resolver is walked and every
pattern requested, as an anonymous visitor and as a signed-in user (a platform superuser who also owns a developer
organization, so the console and the portal both show their pages), with real objects behind the ids."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from accounts import services as account_services
from accounts.models import OrganizationKind
from accounts.roles import Role
from core import csp
from core.audit import SYSTEM
from portal.security import PARTNER_IMAGES_CONTENT_SECURITY_POLICY
from tests.factories import MembershipFactory, OrganizationFactory, SessionFactory, SpeakerFactory, UserFactory
from tests.integrations.factories import WebhookAttemptFactory
from tests.oauth.helpers import authorize_path, make_app
from tests.portal.helpers import INLINE
from tests.registrations.factories import RegistrationFactory
from tests.urlwalk import routes

pytestmark = pytest.mark.django_db

LOGO = "https://cdn.partner.example/logo.png"
# Pages the walk must reach as HTML (so that it cannot pass by reaching none), as (who, path) pairs.
MUST_SEE = {
    ("anonymous", "/portal/"),
    ("anonymous", "/portal/accounts/login/"),
    ("anonymous", "/portal/guide/"),
    ("anonymous", "/portal/reference/"),
    ("anonymous", "/api/docs/"),
    ("anonymous", "/api/errors/"),
    ("anonymous", "/api/errors/x"),  # an unknown code: the 404 page
    ("signed-in", "/admin/"),
    ("signed-in", "/admin/events/event/"),
    ("signed-in", "/portal/dashboard/"),
    ("signed-in", "/portal/apps/"),
    ("signed-in", "/portal/webhooks/"),
    ("signed-in", "/portal/accounts/2fa/"),
    ("signed-in", "/api/docs/"),
}


@pytest.fixture
def world() -> dict[str, Any]:
    """A superuser owning a developer organization and organizing events, and one row of every kind the pages show."""
    user = UserFactory(email="root@platform.example", is_staff=True, is_superuser=True)
    developer = OrganizationFactory(name="Partner Labs", kind=OrganizationKind.DEVELOPER)
    MembershipFactory(user=user, organization=developer, role=Role.OWNER)
    registration = RegistrationFactory()
    organizer = registration.organization
    MembershipFactory(user=user, organization=organizer, role=Role.OWNER)
    session = SessionFactory(event=registration.event)
    SpeakerFactory(event=registration.event)
    attempt = WebhookAttemptFactory(
        delivery__subscription__organization=developer, delivery__organization=developer, delivery__status="failed"
    )
    app, _ = make_app(organization=developer, logo_url=LOGO, redirect_uris="https://partner.example/callback")
    key, _ = account_services.api_key_create(
        actor=SYSTEM, organization=developer, data={"name": "CI", "scopes": ["events:read"]}, creator_role=None
    )
    return {
        "user": user,
        "ids": {
            "portal:webhook": attempt.delivery.subscription_id,
            "portal:webhook-delivery": attempt.delivery_id,
            "portal:app": app.pk,
            "portal:key-usage": key.pk,
            "portal:app-usage": app.pk,
            "portal:guide-section": "webhooks",
            "portal:accept-invitation": "not-a-token",
        },
        "app": app,
        "session": session,
    }


def _value(world: dict[str, Any]) -> Any:
    """The id of a real object for a pattern's parameter where one fits (admin object pages, portal pages)."""

    def value(route_name: str, parameter: str) -> str | None:
        admin = re.fullmatch(r"admin:(\w+?)_(\w+)_(change|delete|history)", route_name)
        if admin and parameter == "object_id":
            try:
                model = apps.get_model(admin[1], admin[2])
            except LookupError:
                return None
            first = model._default_manager.order_by("pk").first()
            return str(first.pk) if first else None
        for prefix, pk in world["ids"].items():
            if route_name == prefix or route_name.startswith(f"{prefix}-"):
                return str(pk)
        return None

    return value


def _is_html(response: Any) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _assert_strict(path: str, response: Any) -> None:
    policy = response.get(csp.HEADER, "")
    assert policy, f"{path}: {response.status_code} {response['Content-Type']} without a Content-Security-Policy"
    for directive in ("default-src 'self'", "script-src 'self';", "style-src 'self';", "object-src 'none'"):
        assert directive in policy, (path, policy)
    assert "unsafe" not in policy, (path, policy)
    # The page does not rely on what the policy blocks: no inline script, style or event handler.
    if response.status_code == 200 and not response.streaming:
        html = response.content.decode()
        assert not INLINE.findall(html), (path, INLINE.findall(html))


def test_every_html_page_has_the_content_security_policy(world):
    paths = sorted({route.path for route in routes(_value(world))})
    seen: set[tuple[str, str]] = set()
    for who in ("anonymous", "signed-in"):
        client = Client()
        for path in paths:
            if who == "signed-in":
                client.force_login(world["user"])  # again each time: a page may sign the user out
            response = client.get(path)
            if _is_html(response):
                _assert_strict(path, response)
                seen.add((who, path))
    assert MUST_SEE <= seen, sorted(MUST_SEE - seen)
    console = {p for who, p in seen if who == "signed-in" and p.startswith("/admin/") and p.endswith("/change/")}
    assert len(console) >= 15, sorted(console)  # the console's object pages, with real rows behind them


def test_the_policy_is_the_platforms_everywhere_but_where_a_page_needs_more(client, world):
    client.force_login(world["user"])
    for path in ("/portal/", "/admin/", "/admin/events/event/", "/api/docs/", "/api/errors/", "/nowhere/"):
        assert client.get(path)[csp.HEADER] == csp.CONTENT_SECURITY_POLICY, path
    assert client.get("/portal/apps/")[csp.HEADER] == PARTNER_IMAGES_CONTENT_SECURITY_POLICY


def test_json_and_static_files_carry_no_policy(client):
    assert csp.HEADER not in client.get("/api/schema/")
    assert csp.HEADER not in client.get("/.well-known/openid-configuration")
    assert csp.HEADER not in client.get("/static/portal/portal.css")


def test_the_csrf_failure_and_error_pages_have_it_too(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["user"])
    refused = client.post("/portal/team/invitations/", {"email": "x@example.com", "role": Role.ADMIN})
    assert refused.status_code == 403 and _is_html(refused)
    assert refused[csp.HEADER] == csp.CONTENT_SECURITY_POLICY
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404 and missing[csp.HEADER] == csp.CONTENT_SECURITY_POLICY


def test_the_debug_error_pages_stay_readable(client, settings):
    settings.DEBUG = True
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404 and "<style" in missing.content.decode()
    assert csp.HEADER not in missing
    assert client.get("/api/errors/")[csp.HEADER] == csp.CONTENT_SECURITY_POLICY  # pages keep it under DEBUG


def test_the_consent_page_may_answer_to_the_client_and_show_its_logo(client, world):
    """Browsers check form-action on the redirect that answers a form: the client's origin is allowed, nothing else."""
    path = authorize_path(world["app"], "https://partner.example/callback")
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/portal/accounts/login/?next=")
    assert client.get(anonymous["Location"])[csp.HEADER] == csp.CONTENT_SECURITY_POLICY
    client.force_login(world["user"])
    consent = client.get(path)
    assert consent.status_code == 200 and "Authorize Partner app" in consent.content.decode()
    assert consent[csp.HEADER] == csp.policy(form_action=["https://partner.example"], img_src=["https://cdn.partner.example"])
    _assert_strict(path, consent)


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://partner.example/callback", "https://partner.example"),
        ("https://partner.example:8443/cb?x=1", "https://partner.example:8443"),
        ("http://127.0.0.1:8765/callback", "http://127.0.0.1:*"),  # a native app's loopback port varies
        ("http://localhost/callback", "http://localhost:*"),
        ("http://[::1]:8765/callback", ""),  # CSP has no IPv6 literals
        ("com.example.app:/oauth2redirect", "com.example.app:"),
        ("", ""),
        ("https://[bad", ""),
    ],
)
def test_source_of(url, source):
    assert csp.source_of(url) == source


def test_policy_adds_sources_once_and_refuses_unknown_directives():
    assert "img-src 'self' data: https:;" in csp.policy(img_src=["https:", "https:", "data:", ""])
    with pytest.raises(ValueError):
        csp.policy(script_source=["https:"])
