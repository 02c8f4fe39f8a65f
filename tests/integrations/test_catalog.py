"""The event catalog: one registry behind the catalog endpoint, the OpenAPI webhooks section and delivery."""

from __future__ import annotations

import jsonschema
import pytest
from django.db import transaction

from core import outbox
from integrations import catalog

pytestmark = pytest.mark.django_db


def test_the_catalog_is_the_outbox_catalog():
    assert list(catalog.CATALOG) == list(outbox.EVENT_TYPES)
    assert {name: spec.description for name, spec in catalog.CATALOG.items()} == outbox.EVENT_TYPES
    assert len(catalog.OPENAPI_WEBHOOKS) == len(outbox.EVENT_TYPES) == 14


def test_publishing_an_unknown_type_fails_loudly(org):
    with pytest.raises(outbox.UnknownEventType), transaction.atomic():
        outbox.publish("registration.exploded", org.id, {})


def test_the_endpoint_lists_every_type_with_its_schema_and_a_valid_example(client_owner, settings):
    settings.WEBHOOK_SOURCE_IPS = ["203.0.113.10", "2001:db8::/64"]
    response = client_owner.get("/api/v1/webhook-event-types")
    assert response.status_code == 200
    body = response.json()
    assert body["sourceIps"] == ["203.0.113.10", "2001:db8::/64"]
    assert [entry["type"] for entry in body["data"]] == list(outbox.EVENT_TYPES)
    for entry in body["data"]:
        assert entry["description"] == outbox.EVENT_TYPES[entry["type"]]
        assert entry["family"] == entry["type"].split(".")[0]
        jsonschema.Draft202012Validator.check_schema(entry["schema"])
        jsonschema.validate(entry["example"], entry["schema"])
    by_type = {entry["type"]: entry for entry in body["data"]}
    assert {"id", "eventId", "status", "attendeeEmail"} <= set(by_type["registration.created"]["schema"]["properties"])
    assert "refund" in by_type["payment.refunded"]["example"] and "amount" in by_type["payment.refunded"]["example"]
    # a schema that cannot fail would accept this
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {**by_type["registration.created"]["example"], "status": 7}, by_type["registration.created"]["schema"]
        )
    assert client_owner.get("/api/v1/webhook-source-ips").json() == {"data": ["203.0.113.10", "2001:db8::/64"]}


def test_the_openapi_schema_has_the_same_catalog_in_its_webhooks_section(client_owner):
    schema = client_owner.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.1")
    assert list(schema["webhooks"]) == list(outbox.EVENT_TYPES)
    operation = schema["webhooks"]["registration.confirmed"]["post"]
    assert operation["summary"] == "Registration confirmed"
    envelope = operation["requestBody"]["content"]["application/json"]["schema"]
    assert envelope["required"] == ["id", "event", "timestamp", "version", "data"]
    assert envelope["properties"]["data"] == {"$ref": "#/components/schemas/Registration"}
    assert {p["name"] for p in operation["parameters"]} == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    refunded = schema["webhooks"]["payment.refunded"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert refunded["properties"]["data"]["allOf"][0] == {"$ref": "#/components/schemas/Payment"}
    # the catalog endpoint's JSON Schema is that component, inlined
    registration = schema["components"]["schemas"]["Registration"]
    assert set(catalog.data_schema("registration.confirmed")["properties"]) == set(registration["properties"])
