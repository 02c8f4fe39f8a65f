"""The API reference page, the OpenAPI download and the Postman collection generated from the live schema."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator

from portal.guide.postman import METHODS, SCHEMA_URL

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _static(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_reference_runs_swagger_ui_from_local_files_with_its_start_up_code_in_a_static_file(client):
    response = client.get("/portal/reference/")
    assert response.status_code == 200
    text = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S)
    assert scripts and all("src=" in attrs and body.strip() == "" for attrs, body in scripts)
    assert 'data-schema-url="/api/schema/"' in text
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', text):
        _static(client, url)
    assert "swagger-ui-bundle.js" in text and "SwaggerUIBundle" in _static(client, "/static/portal/reference.js").decode()
    assert "https://" not in text.split("<main>")[0]


def test_the_openapi_json_download_is_the_schema(client, schema):
    response = client.get("/portal/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response["Content-Disposition"] == 'attachment; filename="event-platform-openapi.json"'
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.1") and document["paths"].keys() == schema["paths"].keys()


def test_the_openapi_yaml_download_is_the_schema(client, schema):
    response = client.get("/portal/openapi.yaml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert "attachment" in response["Content-Disposition"] and ".yaml" in response["Content-Disposition"]
    document = yaml.safe_load(response.content)
    assert document["paths"].keys() == schema["paths"].keys()
    # The URL names the format: a client asking for JSON (curl -H "Accept: application/json") still gets the file.
    asked_json = client.get("/portal/openapi.yaml", HTTP_ACCEPT="application/json")
    assert asked_json.status_code == 200 and asked_json.content == response.content


def _requests(collection):
    for folder in collection["item"]:
        yield from folder["item"]


def test_the_postman_collection_has_every_operation_of_the_schema(client, schema):
    response = client.get("/portal/postman.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    collection = json.loads(response.content)
    assert collection["info"]["schema"] == SCHEMA_URL
    assert collection["auth"] == {"type": "bearer", "bearer": [{"key": "token", "value": "{{bearerToken}}", "type": "string"}]}
    assert {v["key"]: v["value"] for v in collection["variable"]}["baseUrl"] == "http://testserver"

    expected = {(m.upper(), path) for path, item in schema["paths"].items() for m in METHODS if m in item}
    found = {}
    for request in _requests(collection):
        r = request["request"]
        path = "/" + "/".join(re.sub(r"^:(.+)$", r"{\1}", s) for s in r["url"]["path"])
        found[(r["method"], path)] = r
    assert len(expected) > 90
    assert expected == found.keys()

    for (method, path), r in found.items():
        operation = schema["paths"][path][method.lower()]
        path_params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert {v["key"] for v in r["url"]["variable"]} == path_params
        query_params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert {q["key"] for q in r["url"]["query"]} == query_params
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            assert r["body"]["mode"] == "raw"
            json.loads(r["body"]["raw"])


def test_the_example_body_follows_the_request_schema(client):
    collection = json.loads(client.get("/portal/postman.json").content)
    create = next(
        r["request"]
        for r in _requests(collection)
        if r["request"]["method"] == "POST" and r["request"]["url"]["path"] == ["api", "v1", "webhooks"]
    )
    body = json.loads(create["body"]["raw"])
    assert isinstance(body["url"], str) and isinstance(body["eventTypes"], list)
    assert "id" not in body and "createdAt" not in body  # read-only fields are left out
