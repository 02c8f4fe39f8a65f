"""The OpenAPI 3 schema, its validation, and the docs UI served from local static files."""

from __future__ import annotations

import json
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
    settings.API_READ_CACHE_SECONDS = settings.API_READ_CACHE_SECONDS  # any change of settings
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
    # The index is /api/v1 itself: a documented path has no trailing slash (Redocly's recommended rules).
    assert all(path.startswith("/api/v1/") or path == "/api/v1" for path in schema["paths"])
    assert not [path for path in schema["paths"] if path.endswith("/")]
    assert schema["paths"]["/api/v1"]["get"]["security"] == [{}]  # open to anyone, credentials optional


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_has_its_own_summary_and_no_inherited_docstring(schema):
    summaries = [operation.get("summary") for _, _, operation in _operations(schema)]
    assert all(summaries), [op["operationId"] for _, _, op in _operations(schema) if not op.get("summary")]
    assert len(set(summaries)) == len(summaries)  # each names its own operation
    for _, _, operation in _operations(schema):
        assert "DRF view mixin" not in operation["description"]
        assert "Base of the views" not in operation["description"]


def test_request_bodies_are_json_except_the_material_upload(schema):
    multipart = [
        (method, path)
        for path, method, operation in _operations(schema)
        if "multipart/form-data" in operation.get("requestBody", {}).get("content", {})
    ]
    assert multipart == [
        ("post", "/api/v1/events/{eventId}/sessions/{sessionId}/materials"),
        ("post", "/api/v1/imports"),  # a CSV or XLSX file (docs/imports.md)
    ]
    xml = [
        (method, path)
        for path, method, operation in _operations(schema)
        if "application/xml" in operation.get("requestBody", {}).get("content", {})
    ]
    assert xml == [("post", "/api/v1/registrations")]  # legacy systems book in XML (ADR 0023)
    for _, _, operation in _operations(schema):
        for media_type in operation.get("requestBody", {}).get("content", {}):
            assert media_type in ("application/json", "multipart/form-data", "application/xml")


def test_a_form_body_is_refused_where_only_json_is_declared(api, world):
    owner = world["org"].memberships.get(role="owner").user
    response = api(owner).post("/api/v1/venues", {"name": "Hall"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_path_parameters_are_named_as_the_docs_name_them(schema):
    assert "/api/v1/events/{eventId}/sessions/{sessionId}/materials/{id}" in schema["paths"]
    for path, _, operation in _operations(schema):
        assert "_pk" not in path
        for param in operation["parameters"]:
            if param["in"] == "path":
                assert param["name"] in ("id", "eventId", "sessionId", "notificationId"), param
                assert param["schema"] == {"type": "string", "format": "uuid"}


def test_the_document_is_openapi_3_1_without_nullable(schema):
    assert schema["openapi"] == "3.1.0"
    assert '"nullable"' not in json.dumps(schema)
    assert schema["servers"] and schema["info"]["license"]["name"]


def test_lists_share_one_pagination_component_and_declare_their_headers(schema):
    schemas = schema["components"]["schemas"]
    paginated = [name for name in schemas if name.startswith("Paginated")]
    assert len(paginated) > 10
    for name in paginated:
        assert schemas[name]["properties"]["pagination"] == {"$ref": "#/components/schemas/Pagination"}
    ok = schema["paths"]["/api/v1/events"]["get"]["responses"]["200"]["headers"]
    assert {"ETag", "Last-Modified", "Link", "X-Total-Count", "X-RateLimit-Limit", "X-RateLimit-Remaining"} <= set(ok)
    assert "Retry-After" in schema["paths"]["/api/v1/events"]["get"]["responses"]["429"]["headers"]
    assert set(schema["components"]["headers"]) >= {"ETag", "Last-Modified", "Link", "X-RateLimit-Reset", "Retry-After"}


def test_conditional_and_limit_statuses_are_documented_where_they_happen(schema):
    events = schema["paths"]["/api/v1/events/{id}"]
    assert {"304", "414", "429"} <= set(events["get"]["responses"])
    assert {"412", "414", "429"} <= set(events["patch"]["responses"])
    assert "412" in schema["paths"]["/api/v1/events/{id}/publish"]["post"]["responses"]
    assert "304" not in schema["paths"]["/api/v1/ping"]["get"]["responses"]  # ping sets no validators
    assert "412" not in schema["paths"]["/api/v1/registrations"]["post"]["responses"]


def test_sort_is_declared_on_the_lists_that_honour_it(schema):
    def sort_of(path):
        [param] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "sort"]
        return param

    for path in ("/api/v1/events", "/api/v1/events/{eventId}/sessions", "/api/v1/registrations"):
        assert "startsAt" in sort_of(path)["description"] or "createdAt" in sort_of(path)["description"]
    assert re.fullmatch(sort_of("/api/v1/events")["schema"]["pattern"], "-startsAt,title")
    assert not any(p["name"] == "sort" for p in schema["paths"]["/api/v1/venues"]["get"]["parameters"])


def test_error_details_admit_what_the_server_sends(schema):
    import jsonschema

    error = {**schema["components"]["schemas"]["ErrorResponse"], "components": schema["components"]}
    base = {
        "code": "X",
        "message": "m",
        "target": None,
        "status": 409,
        "timestamp": "2026-01-01T00:00:00Z",
        "correlationId": "c",
        "documentation": "http://x/api/errors/X",
    }
    for details in (
        "A sentence.",
        [{"target": "startsAt", "code": "REQUIRED", "message": "Required."}],
        {"from": "cancelled", "to": "published", "allowedFrom": ["draft"]},
        {"requiredScope": "profile", "grantedScopes": ["events:read"]},
        [{"sessionId": "s", "title": "t"}],
        ["2026-01-01T00:00:00+00:00"],
    ):
        jsonschema.validate({"error": {**base, "details": details}}, error)


def test_typed_sub_objects_and_enums(schema):
    schemas = schema["components"]["schemas"]
    assert schemas["EventStats"]["properties"]["registrations"]["$ref"].endswith("/RegistrationStats")
    assert "revenue" in schemas["EventStats"]["properties"]
    assert schemas["Ticket"]["properties"]["event"]["$ref"].endswith("/TicketEvent")
    assert "$ref" in json.dumps(schemas["CheckIn"]["properties"]["attendee"])
    assert "$ref" in json.dumps(schemas["Ping"]["properties"]["rateLimit"])
    assert "$ref" in json.dumps(schemas["ApiKey"]["properties"]["status"])
    assert "$ref" in json.dumps(schemas["Invitation"]["properties"]["status"])
    assert schemas["Event"]["properties"]["onlineUrl"]["type"] == ["string", "null"]
    assert schema["webhooks"]["event.created"]["post"]["security"] == [{"webhookSignature": []}]


def test_an_event_without_join_url_answers_null_and_null_clears_it(api, world):
    owner = world["org"].memberships.get(role="owner").user
    url = f"/api/v1/events/{world['ids']['a_event']}"
    assert api(owner).get(url).json()["onlineUrl"] is None
    assert api(owner).patch(url, {"onlineUrl": "https://meet.example/a"}).json()["onlineUrl"] == "https://meet.example/a"
    assert api(owner).patch(url, {"onlineUrl": None}).json()["onlineUrl"] is None
