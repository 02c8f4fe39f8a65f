"""A Postman collection (format v2.1) generated from the live OpenAPI schema.

One request per operation, in a folder per tag, with its method, path (path
parameters as Postman variables), query parameters, headers, an example JSON
body built from the request schema, and Bearer authentication from the
``bearerToken`` collection variable.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from integrations import catalog

SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_NAMESPACE = uuid.UUID("6f1c6c4e-3f0b-4b8e-9a8e-6d8d2a1b7c10")


def _resolve(node: Any, schema: dict[str, Any]) -> Any:
    if isinstance(node, dict) and "$ref" in node:
        target: Any = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return target
    return node


def example_of(node: Any, schema: dict[str, Any]) -> Any:
    """An example a client would send for ``node`` of the OpenAPI document ``schema`` (``$ref`` followed)."""
    return catalog.example_of(node, lambda n: _resolve(n, schema), skip_read_only=True)


def _query_string(query: list[dict[str, Any]]) -> str:
    enabled = [f"{q['key']}={q['value']}" for q in query if not q["disabled"]]
    return "?" + "&".join(enabled) if enabled else ""


def _request(path: str, method: str, operation: dict[str, Any], shared: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
    parameters = [_resolve(p, schema) for p in [*shared, *operation.get("parameters", [])]]
    # A trailing slash is an empty last segment, as Postman writes it (``/api/v1/``).
    segments = [re.sub(r"^\{(.+)\}$", r":\1", s) for s in path.lstrip("/").split("/")]
    query = [
        {
            "key": p["name"],
            "value": str(example_of(p.get("schema", {}), schema) or ""),
            "description": p.get("description", ""),
            "disabled": not p.get("required", False),
        }
        for p in parameters
        if p.get("in") == "query"
    ]
    url: dict[str, Any] = {
        "raw": "{{baseUrl}}/" + "/".join(segments) + _query_string(query),
        "host": ["{{baseUrl}}"],
        "path": segments,
        "query": query,
        "variable": [
            {"key": p["name"], "value": "", "description": p.get("description", "")} for p in parameters if p.get("in") == "path"
        ],
    }
    headers = [
        {"key": p["name"], "value": "", "description": p.get("description", ""), "disabled": not p.get("required", False)}
        for p in parameters
        if p.get("in") == "header"
    ]
    request: dict[str, Any] = {
        "method": method.upper(),
        "header": headers,
        "url": url,
        "description": operation.get("description", ""),
    }
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = example_of(content["application/json"].get("schema", {}), schema)
        headers.append({"key": "Content-Type", "value": "application/json"})
        request["body"] = {"mode": "raw", "raw": json.dumps(body, indent=2), "options": {"raw": {"language": "json"}}}
    elif "multipart/form-data" in content:
        form = _resolve(content["multipart/form-data"].get("schema", {}), schema)
        request["body"] = {
            "mode": "formdata",
            "formdata": [
                {"key": name, "type": "file" if _resolve(prop, schema).get("format") == "binary" else "text", "value": ""}
                for name, prop in form.get("properties", {}).items()
                if not _resolve(prop, schema).get("readOnly")
            ],
        }
    if operation.get("security") == [] or operation.get("security") == [{}]:
        request["auth"] = {"type": "noauth"}
    return request


def collection(schema: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The Postman collection of ``schema`` (an OpenAPI document), pointed at ``base_url``."""
    folders: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            folders.setdefault(tag, []).append(
                {
                    "name": operation.get("summary") or f"{method.upper()} {path}",
                    "id": str(uuid.uuid5(_NAMESPACE, f"{method} {path}")),
                    "request": _request(path, method, operation, item.get("parameters", []), schema),
                }
            )
    info = schema.get("info", {})
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(_NAMESPACE, info.get("title", "") + info.get("version", ""))),
            "name": info.get("title", "API"),
            "description": info.get("description", ""),
            "version": info.get("version", ""),
            "schema": SCHEMA_URL,
        },
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{bearerToken}}", "type": "string"}]},
        "variable": [
            {"key": "baseUrl", "value": base_url, "type": "string"},
            {
                "key": "bearerToken",
                "value": "",
                "type": "string",
                "description": "An API key (emp_test_...) or an OAuth 2.0 access token",
            },
        ],
        "item": [{"name": tag, "item": requests} for tag, requests in sorted(folders.items())],
    }
