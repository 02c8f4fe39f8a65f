"""The OpenAPI 3 schema, its validation, and the docs UI served from local static files."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_endpoint_answers_openapi_3(api):
    response = api().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    document = response.json() if "json" in response["Content-Type"] else yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert any(path.startswith("/api/v1/events") for path in document["paths"])


def test_the_schema_is_generated_once_per_process_and_forgotten_when_settings_change(api, monkeypatch, settings):
    from drf_spectacular.generators import SchemaGenerator

    from api import schema as api_schema

    api_schema._documents.clear()
    calls = []
    generate = SchemaGenerator.get_schema
    monkeypatch.setattr(SchemaGenerator, "get_schema", lambda self, **kw: calls.append(1) or generate(self, **kw))
    first = api().get("/api/schema/", {"format": "json"}).json()
    assert api().get("/portal/openapi.json").json() == first  # the download serves the same document
    assert api().get("/api/schema/", {"format": "json"}).json() == first
    assert len(calls) == 1
    settings.API_SUPPORTED_VERSIONS = list(settings.API_SUPPORTED_VERSIONS)  # any change of settings
    api().get("/api/schema/", {"format": "json"})
    assert len(calls) == 2


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    document = yaml.safe_load(target.read_text())
    assert document["openapi"].startswith("3.")


def test_docs_ui_answers_and_uses_only_local_static(api):
    response = api().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']https?://""", html), "the docs must not load from a CDN"
    assert not re.search(r"https?://(cdn|unpkg|cdnjs|fonts\.googleapis)", html)
    for asset in re.findall(r"""(?:src|href)\s*=\s*["']([^"']+\.(?:js|css))["']""", html):
        assert asset.startswith("/static/"), asset
        assert api().get(asset).status_code == 200, asset


def test_error_response_component(schema):
    error = schema["components"]["schemas"]["ErrorResponse"]
    fields = error["properties"]["error"]["properties"]
    assert set(fields) == {"code", "message", "details", "target", "status", "timestamp", "correlationId", "documentation"}


def test_properties_and_parameters_are_camel_case(schema):
    event = schema["components"]["schemas"]["Event"]
    assert "startsAt" in event["properties"]
    assert "starts_at" not in event["properties"]
    for component in schema["components"]["schemas"].values():
        for name in component.get("properties", {}):
            assert "_" not in name, name
    for path in schema["paths"].values():
        for operation in path.values():
            for param in operation.get("parameters", []):
                if param["in"] == "query":
                    assert "_" not in param["name"], param["name"]


def test_error_responses_reference_the_error_schema(schema):
    operation = schema["paths"]["/api/v1/events/{id}"]["get"]
    assert operation["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    patch = schema["paths"]["/api/v1/events/{id}"]["patch"]
    assert "412" in patch["responses"]
    assert "503" in patch["responses"]  # BUSY (core.locks)


def test_every_api_path_is_under_v1(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
