"""The Usage page: requests and errors per API key and OAuth application over 24 hours and 7 days, by status class and
endpoint, from requests metered through the real API; the rate-limit tier; webhook success rate and latency from
real delivery attempts to a local receiver; tenancy, permissions and the page's query count."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.template.defaultfilters import floatformat
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiKey, Application, OrganizationKind
from accounts.roles import Role
from api import metering
from api.metering import METER
from api.models import CredentialKind
from core.audit import SYSTEM
from integrations import services as webhook_services
from integrations.models import WebhookAttempt
from tests.factories import OrganizationFactory
from tests.integrations.conftest import Receiver, serve
from tests.oauth.helpers import client_credentials_token, make_app
from tests.portal.helpers import INLINE

pytestmark = pytest.mark.django_db

USAGE = "/portal/usage/"


def new_key(organization: Any, name: str = "Staging sync", **fields: Any) -> tuple[ApiKey, APIClient]:
    key, raw = account_services.api_key_create(
        actor=SYSTEM,
        organization=organization,
        data={"name": name, "mode": "live", "scopes": ["events:read"], **fields},
        creator_role=None,
    )
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return key, caller


def new_app(organization: Any, name: str = "Partner sync") -> tuple[Application, APIClient]:
    app, secret = make_app(
        organization=organization, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"], name=name
    )
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Bearer {client_credentials_token(app, secret, 'events:read')}")
    return app, caller


def hours_ago(hours: float) -> int:
    return int((timezone.now() - dt.timedelta(hours=hours)).timestamp() // 3600)


def row(html: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row {row_id}"
    return match.group(1)


def figures(cells: str) -> dict[str, Any]:
    """requests, errors and each status class's count of a row of usage figures."""

    def number(metric: str) -> int:
        found = re.search(rf'data-metric="{metric}"[^>]*>(\d+)', cells)
        assert found, metric
        return int(found.group(1))

    classes = {name: int(count) for name, count in re.findall(r'data-class="(\dxx)"[^>]*>\dxx (\d+)<', cells)}
    return {"requests": number("requests"), "errors": number("errors"), **classes}


@pytest.fixture
def owner_client(client: Client, dev_member: Any) -> Client:
    client.force_login(dev_member(Role.OWNER))
    return client


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    state, server = serve()
    yield state
    server.shutdown()
    server.server_close()


def test_the_page_shows_each_credentials_requests_by_window_status_class_and_tier(owner_client, dev_org):
    key, key_caller = new_key(dev_org)
    app, app_caller = new_app(dev_org)
    ApiKey.objects.filter(pk=key.pk).update(rate_tier="internal")
    for _ in range(3):
        assert key_caller.get("/api/v1/ping").status_code == 200
    assert key_caller.get(f"/api/v1/events/{uuid.uuid4()}").status_code == 404
    assert app_caller.get("/api/v1/events").status_code == 200
    assert app_caller.get("/api/v1/registrations").status_code == 403
    METER.flush()
    # Older counts: three days ago (in the 7 days only) and nine days ago (in neither window).
    metering.write(
        {
            (CredentialKind.API_KEY, key.pk, dev_org.pk, "/api/v1/events", 5, hours_ago(72)): [10, 10, 500.0, 90.0],
            (CredentialKind.API_KEY, key.pk, dev_org.pk, "/api/v1/events", 3, hours_ago(72)): [2, 0, 4.0, 2.0],
            (CredentialKind.API_KEY, key.pk, dev_org.pk, "/api/v1/ping", 2, hours_ago(9 * 24)): [99, 0, 99.0, 1.0],
        }
    )

    response = owner_client.get(USAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Staging sync" in html and key.prefix in html and "Partner sync" in html and app.client_id in html
    key_day = row(html, f"usage-api_key:{key.pk}-24h")
    assert figures(key_day) == {"requests": 4, "errors": 1, "2xx": 3, "3xx": 0, "4xx": 1, "5xx": 0}
    assert "(25.0%)" in key_day
    assert figures(row(html, f"usage-api_key:{key.pk}-7d")) == {
        "requests": 16,
        "errors": 11,
        "2xx": 3,
        "3xx": 2,
        "4xx": 1,
        "5xx": 10,
    }
    assert 'data-tier="internal"' in key_day and "600 requests/minute, bursts of 200, 50 at once" in key_day
    app_week = row(html, f"usage-oauth_app:{app.pk}-7d")
    assert figures(app_week) == {"requests": 2, "errors": 1, "2xx": 1, "3xx": 0, "4xx": 1, "5xx": 0}
    assert 'data-tier="partner"' in app_week and "300 requests/minute" in app_week
    assert not INLINE.search(html)


def test_a_credentials_page_shows_its_endpoints_per_window(owner_client, dev_org):
    key, caller = new_key(dev_org)
    caller.get("/api/v1/ping")
    caller.get(f"/api/v1/events/{uuid.uuid4()}")
    caller.get(f"/api/v1/events/{uuid.uuid4()}")
    METER.flush()
    metering.write({(CredentialKind.API_KEY, key.pk, dev_org.pk, "/api/v1/venues", 2, hours_ago(48)): [7, 0, 70.0, 30.0]})

    html = owner_client.get(f"{USAGE}keys/{key.pk}/").content.decode()
    assert "API key Staging sync" in html and 'data-tier="partner"' in html
    day, week = html.split('id="window-7d"')
    endpoint = re.compile(r'<tr data-route="([^"]+)">(.*?)</tr>', re.S)
    assert {route: figures(cells)["requests"] for route, cells in endpoint.findall(day)} == {
        "/api/v1/events/{id}": 2,
        "/api/v1/ping": 1,
    }
    assert [route for route, _ in endpoint.findall(week)] == ["/api/v1/venues", "/api/v1/events/{id}", "/api/v1/ping"]
    venues = dict(endpoint.findall(week))["/api/v1/venues"]
    assert figures(venues)["2xx"] == 7 and "10.0 ms" in venues and "max 30.0 ms" in venues
    assert figures(row(day, "total-24h")) == {"requests": 3, "errors": 2, "2xx": 1, "3xx": 0, "4xx": 2, "5xx": 0}

    app, _app_caller = new_app(dev_org)
    html = owner_client.get(f"{USAGE}apps/{app.pk}/").content.decode()
    assert "OAuth app Partner sync" in html and "No requests in this window." in html


def test_webhook_success_rate_and_latency_come_from_the_delivery_attempts(owner_client, dev_org, dev_member, receiver):
    actor = dev_member(Role.OWNER)
    subscription, _ = webhook_services.subscription_create(
        actor=actor, organization=dev_org, data={"url": receiver.url, "event_types": ["registration.created"]}
    )
    receiver.answer(200, 200, 500, 200)
    now = timezone.now()
    for _ in range(4):
        delivery = webhook_services.subscription_test(actor=actor, subscription=subscription, event_type="registration.created")
        webhook_services.delivery_attempt(delivery_id=delivery.pk)
    attempts = list(WebhookAttempt.objects.order_by("id"))
    assert [a.response_status for a in attempts] == [200, 200, 500, 200]
    WebhookAttempt.objects.filter(pk=attempts[3].pk).update(attempted_at=now - dt.timedelta(days=3), duration_ms=4000)
    attempts[3].duration_ms = 4000

    html = owner_client.get(USAGE).content.decode()
    cells = row(html, f"webhooks-{subscription.pk}")
    day, week = re.findall(r'<td data-window="(?:24h|7d)">(.*?)</td>', cells, re.S)
    assert "66.7%" in day and 'data-metric="attempts">3<' in day
    day_avg = sum(a.duration_ms for a in attempts[:3]) / 3
    assert f'data-metric="latency-avg">{floatformat(day_avg, 0)}<' in day
    assert f'data-metric="latency-max">{max(a.duration_ms for a in attempts[:3])}<' in day
    assert "75.0%" in week and 'data-metric="attempts">4<' in week
    assert 'data-metric="latency-max">4000<' in week
    assert f'data-metric="latency-avg">{floatformat(sum(a.duration_ms for a in attempts) / 4, 0)}<' in week
    assert "75.0%" in row(html, "webhooks-all")


def test_the_empty_page_says_what_to_do_next(owner_client):
    html = owner_client.get(USAGE).content.decode()
    assert "No API keys or apps yet." in html and 'href="/portal/keys/"' in html
    assert "No webhook subscriptions yet." in html
    assert 'href="/portal/usage/"' in owner_client.get("/portal/dashboard/").content.decode()  # the navigation


def test_another_organizations_credentials_and_usage_are_never_shown(owner_client, dev_org, dev_member, receiver):
    other = OrganizationFactory(name="Beta Dev", kind=OrganizationKind.DEVELOPER)
    theirs, their_caller = new_key(other, name="Beta secret key")
    their_app, their_app_caller = new_app(other, name="Beta secret app")
    their_caller.get("/api/v1/ping")
    their_app_caller.get("/api/v1/ping")
    subscription, _ = webhook_services.subscription_create(
        actor=SYSTEM, organization=other, data={"url": receiver.url, "event_types": ["registration.created"]}
    )
    delivery = webhook_services.subscription_test(actor=SYSTEM, subscription=subscription, event_type="registration.created")
    webhook_services.delivery_attempt(delivery_id=delivery.pk)
    ours, caller = new_key(dev_org)
    caller.get("/api/v1/ping")
    METER.flush()

    html = owner_client.get(USAGE).content.decode()
    assert "Beta secret" not in html and theirs.prefix not in html and their_app.client_id not in html
    assert receiver.url not in html and "No webhook subscriptions yet." in html
    assert figures(row(html, f"usage-api_key:{ours.pk}-24h"))["requests"] == 1
    assert owner_client.get(f"{USAGE}keys/{theirs.pk}/").status_code == 404
    assert owner_client.get(f"{USAGE}apps/{their_app.pk}/").status_code == 404
    assert owner_client.get(f"{USAGE}keys/{uuid.uuid4()}/").status_code == 404

    # An OAuth application without an organization (authorization code, not the portal's) is nobody's here.
    loose, _ = make_app(name="Loose app")
    assert owner_client.get(f"{USAGE}apps/{loose.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, dev_org):
    key, _ = new_key(dev_org)
    for url in (USAGE, f"{USAGE}keys/{key.pk}/", f"{USAGE}apps/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/login/?next=")


@pytest.mark.parametrize("role", [Role.EDITOR, Role.FINANCE, Role.CHECKIN, Role.VIEWER])
def test_members_without_the_integrations_permission_get_a_403(client, dev_member, dev_org, role):
    key, _ = new_key(dev_org)
    client.force_login(dev_member(role))
    assert client.get(USAGE).status_code == 403
    assert client.get(f"{USAGE}keys/{key.pk}/").status_code == 403


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_owners_and_admins_see_the_page(client, dev_member, dev_org, role):
    key, _ = new_key(dev_org)
    client.force_login(dev_member(role))
    overview = client.get(USAGE)
    assert overview.status_code == 200 and key.prefix in overview.content.decode()
    detail = client.get(f"{USAGE}keys/{key.pk}/")
    assert detail.status_code == 200 and key.prefix in detail.content.decode()


def test_a_user_without_a_developer_organization_gets_a_404(client, member):
    client.force_login(member(Role.OWNER))  # of an organizer organization only
    assert client.get(USAGE).status_code == 404


def test_the_page_is_read_only(owner_client, dev_org):
    key, _ = new_key(dev_org)
    assert owner_client.post(USAGE).status_code == 405
    assert owner_client.post(f"{USAGE}keys/{key.pk}/").status_code == 405


def test_the_page_runs_a_fixed_number_of_queries(owner_client, dev_org, dev_member, django_assert_max_num_queries):
    def populate(n: int) -> None:
        for i in range(n):
            _key, caller = new_key(dev_org, name=f"Key {i}-{uuid.uuid4().hex[:4]}")
            _app, app_caller = new_app(dev_org, name=f"App {i}-{uuid.uuid4().hex[:4]}")
            caller.get("/api/v1/ping")
            app_caller.get("/api/v1/events")
            webhook_services.subscription_create(
                actor=SYSTEM,
                organization=dev_org,
                data={"url": f"https://hooks{i}.example/in", "event_types": ["registration.created"]},
            )
        METER.flush()

    populate(1)
    owner_client.get(USAGE)  # warm the session
    with django_assert_max_num_queries(10) as few:  # 9, and the environment's default (key modes)
        assert owner_client.get(USAGE).status_code == 200
    with_one = len(few.captured_queries)
    populate(4)
    with django_assert_max_num_queries(with_one):
        html = owner_client.get(USAGE).content.decode()
    assert html.count('data-credential="api_key:') == 2 * 5 and html.count('data-credential="oauth_app:') == 2 * 5


def test_a_test_keys_requests_in_the_sandbox_count_for_the_key_on_the_developer_organizations_page(owner_client, dev_org):
    from integrations import sandbox as sandboxes

    sandboxes.sandbox_provision(actor=SYSTEM, organization=dev_org)
    key, caller = new_key(dev_org, name="Sandbox try-out", mode="test")
    response = caller.get("/api/v1/ping")
    assert response.status_code == 200 and response.json()["organization"]["kind"] == "sandbox"
    METER.flush()
    html = owner_client.get(USAGE).content.decode()
    assert figures(row(html, f"usage-api_key:{key.pk}-24h"))["requests"] == 1
