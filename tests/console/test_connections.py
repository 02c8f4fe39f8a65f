"""The console's connections pages: connect a vendor from its declared fields, test, disconnect, read the call log
and the notifications and replay one; owners and admins only; another organization's connection is a 404."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from accounts.roles import Perm, Role, role_has
from connectors import services
from connectors.models import Connection, InboundEvent
from core.audit import SYSTEM
from tests.connectors import toy

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake() -> Iterator[toy.ToyFake]:
    server = toy.ToyFake().start()
    toy.BASE_URL["url"] = server.url
    toy.HANDLED.clear()
    yield server
    server.stop()


def _connect(organization: Any) -> Connection:
    return services.connection_create(
        actor=SYSTEM,
        organization=organization,
        kind="crm",
        vendor="toy",
        mode="test",
        credentials={"api_key": "toy_test_abc123", "webhook_secret": "whsec_toysecret"},
    )


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_pages_open_for_the_roles_that_manage_integrations(world: Any, as_role: Any, role: str) -> None:
    connection = _connect(world.org)
    allowed = role_has(role, Perm.INTEGRATIONS_MANAGE) and role_has(role, Perm.CONSOLE_OPEN)
    client = as_role(role)
    for url in (reverse("console:connections"), reverse("console:connection", args=[connection.pk])):
        assert client.get(url).status_code == (200 if allowed else 403), (role, url)
    posted = client.post(reverse("console:connection", args=[connection.pk]), {"action": "disconnect"})
    assert posted.status_code == (302 if allowed else 403)
    connection.refresh_from_db()
    assert (connection.status == "disconnected") == allowed


def test_another_organizations_connection_is_404(world: Any, as_role: Any) -> None:
    theirs = _connect(world.other_org)
    client = as_role("owner")
    assert client.get(reverse("console:connection", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("console:connection", args=[theirs.pk]), {"action": "disconnect"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "connected"
    assert str(theirs.pk) not in client.get(reverse("console:connections")).content.decode()


def test_connect_from_the_vendors_fields_then_test_and_read_the_log(world: Any, as_role: Any, fake: toy.ToyFake) -> None:
    client = as_role("owner")
    form = client.get(reverse("console:connections"), {"vendor": "crm:toy"}).content.decode()
    assert 'name="credential_api_key"' in form and 'type="password"' in form and 'name="setting_region"' in form
    response = client.post(
        reverse("console:connections"),
        {
            "action": "connect",
            "vendor": "crm:toy",
            "mode": "test",
            "name": "Sales CRM",
            "credential_api_key": "toy_test_abc123",
            "credential_webhook_secret": "whsec_toysecret",
            "setting_region": "eu",
        },
    )
    connection = Connection.objects.get(organization=world.org)
    assert response.status_code == 302 and response["Location"] == reverse("console:connection", args=[connection.pk])
    assert connection.settings == {"region": "eu"} and services.credentials_of(connection)["api_key"] == "toy_test_abc123"
    page = client.post(reverse("console:connection", args=[connection.pk]), {"action": "test"}, follow=True).content.decode()
    assert "Works: Connected as Toy account." in page
    assert "account.retrieve" in page and "req_me" in page
    assert "toy_test_abc123" not in page and "whsec_toysecret" not in page


def test_bad_credentials_are_explained_and_nothing_is_stored(world: Any, as_role: Any) -> None:
    response = as_role("owner").post(
        reverse("console:connections"),
        {
            "action": "connect",
            "vendor": "crm:toy",
            "mode": "live",
            "credential_api_key": "toy_test_x",
            "credential_webhook_secret": "s",
        },
        follow=True,
    )
    assert "does not have the expected format" in response.content.decode()
    assert not Connection.objects.exists()


def test_a_notification_is_listed_and_processed_again(
    world: Any, as_role: Any, fake: toy.ToyFake, client: Any, memory_broker: None
) -> None:
    connection = _connect(world.org)
    body = json.dumps({"id": "evt_7", "type": "contact.updated", "data": {"id": "c_7"}}).encode()
    client.post(
        f"/hooks/{connection.pk}",
        data=body,
        content_type="application/json",
        HTTP_TOY_SIGNATURE=toy.sign("whsec_toysecret", body),
    )
    event = InboundEvent.objects.get()
    owner = as_role("owner")
    assert "evt_7" in owner.get(reverse("console:connection", args=[connection.pk])).content.decode()
    InboundEvent.objects.filter(pk=event.pk).update(status="failed", error="boom")
    page = owner.post(
        reverse("console:connection", args=[connection.pk]), {"action": "replay", "notification": str(event.pk)}, follow=True
    )
    assert "Notification evt_7 will be processed again." in page.content.decode()
    event.refresh_from_db()
    assert event.status == "received"
