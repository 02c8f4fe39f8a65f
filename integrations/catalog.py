"""The webhook event catalog: one registry for the catalog endpoint, the OpenAPI ``webhooks`` section and delivery.

Every type of ``core.outbox.EVENT_TYPES`` (integration specification, section 6.1)
has an entry here naming the API serializer its ``data`` is rendered with (the
outbox row holds exactly that rendering) and the key of ``data`` that names the
platform Event (for subscriptions filtered to one event). The JSON Schema of
``data`` is the OpenAPI component drf-spectacular builds from that serializer;
the example is generated from the schema, so neither can drift from the API.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drf_spectacular.utils import OpenApiWebhook

from core.outbox import EVENT_TYPES

ENVELOPE_VERSION = "1.0"


@dataclass(frozen=True)
class EventTypeSpec:
    name: str
    description: str
    component: str  # the OpenAPI component of ``data`` (the API serializer's)
    event_key: str  # the key of ``data`` holding the platform Event's id
    extra: dict[str, str] | None = None  # keys added to the resource: key -> component (payment.refunded's refund)

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]


_SHAPES: dict[str, tuple[str, str]] = {
    # family -> (component of data, the key naming the platform Event)
    "event": ("Event", "id"),
    "session": ("Session", "eventId"),
    "registration": ("Registration", "eventId"),
    "payment": ("Payment", "eventId"),
    "checkin": ("CheckIn", "eventId"),
}

CATALOG: dict[str, EventTypeSpec] = {
    name: EventTypeSpec(
        name=name,
        description=description,
        component=_SHAPES[name.split(".", 1)[0]][0],
        event_key=_SHAPES[name.split(".", 1)[0]][1],
        extra={"refund": "Refund"} if name == "payment.refunded" else None,
    )
    for name, description in EVENT_TYPES.items()
}
FAMILIES = frozenset(spec.family for spec in CATALOG.values())


def matches(patterns: list[str], event_type: str) -> bool:
    """Whether ``event_type`` is named by one of ``patterns`` (a type, or a family such as ``registration.*``)."""
    family = event_type.split(".", 1)[0]
    return any(p == event_type or p == f"{family}.*" for p in patterns)


def unknown_patterns(patterns: list[str]) -> list[str]:
    return [p for p in patterns if p not in CATALOG and not (p.endswith(".*") and p[:-2] in FAMILIES)]


def event_id_of(event_type: str, data: dict[str, Any]) -> str | None:
    value = data.get(CATALOG[event_type].event_key)
    return None if value is None else str(value)


# -- schemas ------------------------------------------------------------------------------------
def _envelope_schema(spec: EventTypeSpec, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "event", "timestamp", "version", "data"],
        "properties": {
            "id": {"type": "string", "description": "The message id, equal to the `webhook-id` header.", "example": "msg_0b1c"},
            "event": {"type": "string", "enum": [spec.name]},
            "timestamp": {"type": "string", "format": "date-time", "description": "When the change happened."},
            "version": {"type": "string", "enum": [ENVELOPE_VERSION]},
            "data": data,
        },
    }


def _data_ref(spec: EventTypeSpec) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{spec.component}"}
    if not spec.extra:
        return ref
    added = {key: {"$ref": f"#/components/schemas/{component}"} for key, component in spec.extra.items()}
    return {"allOf": [ref, {"type": "object", "required": sorted(added), "properties": added}]}


_HEADERS = {
    "webhook-id": "The message id (`msg_...`), the same on every retry: deduplicate on it.",
    "webhook-timestamp": "Unix seconds of this attempt.",
    "webhook-signature": "`v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{body}`, space-separated "
    "when two secrets are valid (rotation).",
}


def _webhook(spec: EventTypeSpec) -> OpenApiWebhook:
    operation = {
        "summary": spec.description,
        "description": f"`{spec.name}`: sent to subscriptions of `{spec.name}` or `{spec.family}.*`, signed per the "
        "Standard Webhooks specification. Answer 2xx within 15 seconds.",
        "operationId": f"webhook_{spec.name.replace('.', '_')}",
        "parameters": [
            {"name": name, "in": "header", "required": True, "schema": {"type": "string"}, "description": text}
            for name, text in _HEADERS.items()
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _envelope_schema(spec, _data_ref(spec))}},
        },
        "responses": {
            "200": {
                "description": "Received (any 2xx). Anything else, a timeout or a redirect is retried; 410 disables "
                "the subscription."
            }
        },
    }
    return OpenApiWebhook(name=spec.name, decorator={"post": operation})


OPENAPI_WEBHOOKS: list[OpenApiWebhook] = [_webhook(spec) for spec in CATALOG.values()]


@functools.cache
def _components() -> dict[str, Any]:
    from api.schema import document

    return dict(document()["components"]["schemas"])


def _inline(node: Any, components: dict[str, Any]) -> Any:
    """``node`` with every ``$ref`` to a component replaced by the component (a standalone JSON Schema)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(components[node["$ref"].rsplit("/", 1)[-1]], components)
        return {key: _inline(value, components) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, components) for value in node]
    return node


_EXAMPLE_STRINGS = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2026-05-04T09:00:00Z",
    "date": "2026-05-04",
    "time": "09:00:00",
    "email": "ada@example.com",
    "uri": "https://example.com/",
    "decimal": "25.00",
}


def example_of(
    schema: dict[str, Any],
    resolve: Callable[[Any], Any] | None = None,
    *,
    skip_read_only: bool = False,
    depth: int = 0,
) -> Any:
    """A value that ``schema`` accepts: its example, else the first enum value, else one built from its type.

    ``resolve`` follows ``$ref`` nodes (a schema that is not inlined, as the OpenAPI document's
    request bodies in the Postman collection); ``skip_read_only`` leaves out what a client does
    not send. Nesting deeper than 8 levels (a schema that refers to itself) gives None.
    """
    if resolve is not None:
        schema = resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return None

    def sub(node: Any) -> Any:
        return example_of(node, resolve, skip_read_only=skip_read_only, depth=depth + 1)

    def plain(node: Any) -> Any:
        return resolve(node) if resolve is not None else node

    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if schema.get("enum"):
        return next((v for v in schema["enum"] if v is not None), None)
    if "allOf" in schema:
        parts = [sub(part) for part in schema["allOf"]]
        if all(isinstance(part, dict) for part in parts):
            return {key: value for part in parts for key, value in part.items()}
        return parts[0]
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            options = [s for s in schema[combinator] if plain(s).get("type") != "null"]
            return sub(options[0] if options else schema[combinator][0])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object":
        properties = schema.get("properties", {})
        if not properties and isinstance(schema.get("additionalProperties"), dict):
            return {"key": sub(schema["additionalProperties"])}
        return {key: sub(node) for key, node in properties.items() if not (skip_read_only and plain(node).get("readOnly"))}
    if kind == "array":
        return [sub(schema.get("items", {}))]
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return _EXAMPLE_STRINGS.get(schema.get("format", ""), "string")


@functools.cache
def data_schema(event_type: str) -> dict[str, Any]:
    """The JSON Schema (2020-12, standalone) of ``data`` of ``event_type``."""
    components = _components()
    schema = _inline(_data_ref(CATALOG[event_type]), components)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def example_data(event_type: str) -> dict[str, Any]:
    """An example ``data`` of ``event_type`` (a copy: callers may change it)."""
    return copy.deepcopy(_example_data(event_type))


@functools.cache
def _example_data(event_type: str) -> dict[str, Any]:
    data: dict[str, Any] = example_of(data_schema(event_type))
    return data


def entries() -> list[dict[str, Any]]:
    """The catalog as ``GET /webhook-event-types`` renders it (before camelCasing)."""
    return [
        {
            "type": spec.name,
            "description": spec.description,
            "family": spec.family,
            "schema": data_schema(spec.name),
            "example": example_data(spec.name),
        }
        for spec in CATALOG.values()
    ]
