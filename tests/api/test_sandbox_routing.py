"""Test credentials act only in their organization's sandbox, live credentials never do (ADR 0010).

Test API keys (``emp_test_``) and the tokens of test OAuth applications read and
write the sandbox's data, never the developer organization's; live ones the
reverse. The sandbox is found in the same query as the key or token.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiKey, Application, OrganizationKind
from accounts.selectors import acting_organization
from accounts.services import sandbox_create
from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry, OutboxEvent
from events.models import Event
from integrations.sandbox import sandbox_provision
from tests.conftest import error_of
from tests.factories import EventFactory, OrganizationFactory
from tests.oauth.helpers import client_credentials_token, make_app

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events"
SCOPES = ["events:read", "events:write"]


@pytest.fixture
def dev_org():
    return OrganizationFactory(name="Partner Labs", slug="partner-labs", kind=OrganizationKind.DEVELOPER)


@pytest.fixture
def real_event(dev_org):
    return EventFactory(organization=dev_org, title="Real Launch")


@pytest.fixture
def sandbox(dev_org):
    return sandbox_provision(actor=SYSTEM, organization=dev_org)


def key(organization: Any, mode: str) -> tuple[ApiKey, APIClient]:
    made, raw = account_services.api_key_create(
        actor=SYSTEM, organization=organization, data={"name": f"{mode} key", "scopes": SCOPES, "mode": mode}, creator_role=None
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return made, client


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["data"]}


def new_event(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Built in a test",
        "startsAt": "2030-06-01T09:00:00+02:00",
        "endsAt": "2030-06-01T17:00:00+02:00",
        "timeZone": "Europe/Berlin",
        "attendanceMode": "online",
        "onlineUrl": "https://meet.example.com/x",
        **overrides,
    }


def test_a_test_key_sees_only_the_sandbox_events(dev_org, real_event, sandbox):
    _, client = key(dev_org, "test")
    seen = ids(client.get(f"{EVENTS}?pageSize=100"))
    sandbox_events = {str(pk) for pk in Event.objects.filter(organization=sandbox).values_list("pk", flat=True)}
    assert seen and seen <= sandbox_events and str(real_event.pk) not in seen
    missing = client.get(f"{EVENTS}/{real_event.pk}")
    assert missing.status_code == 404 and error_of(missing)["code"] == "RESOURCE_NOT_FOUND"


def test_a_live_key_never_sees_sandbox_data(dev_org, real_event, sandbox):
    _, client = key(dev_org, "live")
    assert ids(client.get(EVENTS)) == {str(real_event.pk)}
    sandbox_event = Event.objects.filter(organization=sandbox).first()
    assert client.get(f"{EVENTS}/{sandbox_event.pk}").status_code == 404


def test_writes_of_a_test_key_land_in_the_sandbox_with_their_audit_and_outbox_rows(dev_org, sandbox):
    made, client = key(dev_org, "test")
    response = client.post(EVENTS, new_event(), format="json")
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert event.organization_id == sandbox.pk
    entry = AuditEntry.objects.get(action="event.created", object_id=str(event.pk))
    assert entry.organization_id == sandbox.pk and entry.actor_id == f"api_key:{made.pk}"
    assert OutboxEvent.objects.filter(organization_id=sandbox.pk, event_type="event.created", data__id=str(event.pk)).exists()
    assert not Event.objects.filter(organization=dev_org).exists()
    made.refresh_from_db()
    assert made.last_used_at is not None  # the key's own row: the key stays the developer organization's


def test_one_idempotency_key_from_a_test_and_a_live_key_makes_two_events(dev_org, sandbox):
    _, test_client = key(dev_org, "test")
    _, live_client = key(dev_org, "live")
    headers = {"HTTP_IDEMPOTENCY_KEY": "same-key-1"}
    first = test_client.post(EVENTS, new_event(), format="json", **headers)
    second = live_client.post(EVENTS, new_event(), format="json", **headers)
    assert first.status_code == second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Event.objects.get(pk=first.json()["id"]).organization_id == sandbox.pk
    assert Event.objects.get(pk=second.json()["id"]).organization_id == dev_org.pk


def test_a_test_key_without_a_sandbox_is_refused_and_audited(dev_org):
    made, client = key(dev_org, "test")
    response = client.get(EVENTS)
    assert response.status_code == 403 and error_of(response)["code"] == "SANDBOX_UNAVAILABLE"
    failure = AuditEntry.objects.get(action="auth.failed")
    assert failure.organization_id == dev_org.pk
    made.refresh_from_db()
    assert made.last_used_at is None


def test_a_live_key_of_a_sandbox_is_refused_and_a_test_key_of_it_acts_there(dev_org, sandbox):
    _, live = key(sandbox, "live")
    response = live.get(EVENTS)
    assert response.status_code == 403 and error_of(response)["code"] == "SANDBOX_LIVE_CREDENTIALS"
    _, test = key(sandbox, "test")
    assert test.get("/api/v1/ping").json()["organization"]["id"] == str(sandbox.pk)


def test_the_organization_header_may_name_the_keys_organization_or_its_sandbox(dev_org, sandbox, other_org):
    _, client = key(dev_org, "test")
    for named in (dev_org, sandbox):
        assert client.get(EVENTS, HTTP_X_ORGANIZATION_ID=str(named.pk)).status_code == 200
    refused = client.get(EVENTS, HTTP_X_ORGANIZATION_ID=str(other_org.pk))
    assert refused.status_code == 404 and error_of(refused)["code"] == "ORGANIZATION_NOT_FOUND"


@pytest.mark.parametrize("mode", ["live", "test"])
def test_key_authentication_costs_one_query_in_either_mode(dev_org, sandbox, mode, django_assert_num_queries):
    _, client = key(dev_org, mode)
    client.get("/api/v1/ping")  # writes last_used_at once
    with django_assert_num_queries(1):  # the key, its organization and the sandbox in one statement
        body = client.get("/api/v1/ping").json()
    assert body["organization"]["id"] == str(sandbox.pk if mode == "test" else dev_org.pk)


def test_a_test_application_token_acts_in_the_sandbox(dev_org, real_event, sandbox, django_assert_max_num_queries):
    app, secret = make_app(organization=dev_org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"], mode="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {client_credentials_token(app, secret, 'events:read')}")
    with django_assert_max_num_queries(1):  # the token with its application, organization and sandbox
        ping = client.get("/api/v1/ping").json()
    assert ping["organization"]["id"] == str(sandbox.pk) and ping["client"]["clientId"] == app.client_id
    seen = ids(client.get(EVENTS))
    assert seen and str(real_event.pk) not in seen

    live, live_secret = make_app(organization=dev_org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {client_credentials_token(live, live_secret, 'events:read')}")
    assert ids(client.get(EVENTS)) == {str(real_event.pk)}


def test_a_test_application_without_a_sandbox_is_refused(dev_org):
    app, secret = make_app(organization=dev_org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"], mode="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {client_credentials_token(app, secret, 'events:read')}")
    response = client.get(EVENTS)
    assert response.status_code == 403 and error_of(response)["code"] == "SANDBOX_UNAVAILABLE"


def test_acting_organization_is_the_one_rule(dev_org):
    assert acting_organization(dev_org, "live") == dev_org
    with pytest.raises(DomainError) as refused:
        acting_organization(dev_org, "test")
    assert refused.value.code == "SANDBOX_UNAVAILABLE"
    sandbox, created = sandbox_create(actor=SYSTEM, organization=dev_org)
    again, created_again = sandbox_create(actor=SYSTEM, organization=dev_org)
    assert created and not created_again and again == sandbox
    assert sandbox.kind == "sandbox" and sandbox.sandbox_of == dev_org and not sandbox.memberships.exists()
    dev_org.refresh_from_db()
    assert acting_organization(dev_org, "test") == sandbox and acting_organization(sandbox, "test") == sandbox
    with pytest.raises(DomainError) as live:
        acting_organization(sandbox, "live")
    assert live.value.code == "SANDBOX_LIVE_CREDENTIALS"
    with pytest.raises(ValueError):
        sandbox_create(actor=SYSTEM, organization=sandbox)
    assert AuditEntry.objects.filter(action="organization.sandbox_created", organization_id=dev_org.pk).count() == 1
