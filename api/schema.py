"""OpenAPI 3 description of the conventions: camelCase names, the error format, the headers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from api.casing import to_camel

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details", "target", "status", "timestamp", "correlationId", "documentation"],
            "properties": {
                "code": {"type": "string", "example": "RESOURCE_NOT_FOUND", "description": "Stable code; see /api/errors/."},
                "message": {"type": "string", "example": "The requested resource could not be found"},
                "details": {
                    "description": "A sentence, or for validation errors a list of {target, code, message}.",
                    "oneOf": [
                        {"type": "string"},
                        {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "target": {"type": "string", "nullable": True},
                                    "code": {"type": "string"},
                                    "message": {"type": "string"},
                                },
                            },
                        },
                    ],
                },
                "target": {"type": "string", "nullable": True, "example": "startsAt"},
                "status": {"type": "integer", "example": 404},
                "timestamp": {"type": "string", "format": "date-time"},
                "correlationId": {"type": "string", "example": "550e8400-e29b-41d4-a716-446655440000"},
                "documentation": {"type": "string", "format": "uri"},
            },
        }
    },
}

_ERROR_STATUSES = {
    "400": "Invalid request (VALIDATION_ERROR, UNKNOWN_FIELD, MALFORMED_JSON, ...)",
    "401": "Authentication required",
    "403": "Not allowed for your role",
    "404": "Not found in your organization",
    "429": "Rate limited",
}


class PlatformAutoSchema(AutoSchema):
    global_params = [
        OpenApiParameter(
            "X-Correlation-ID",
            str,
            OpenApiParameter.HEADER,
            description="Correlation id; generated when absent, echoed on the response.",
        ),
        OpenApiParameter(
            "X-API-Version",
            str,
            OpenApiParameter.HEADER,
            description="Minor API version, e.g. `1.0`; the served version is echoed.",
        ),
        OpenApiParameter(
            "X-Organization-ID",
            str,
            OpenApiParameter.HEADER,
            description="Organization to act in, for members of several; defaults to the first.",
        ),
    ]

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters()) + list(self.global_params)
        method = self.method.upper()
        if method == "POST":
            params.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    str,
                    OpenApiParameter.HEADER,
                    description="Replays the stored response of the first request with this key for 24 hours.",
                )
            )
        conditional_action = method == "POST" and getattr(self.view, "action", None) in getattr(
            self.view, "conditional_actions", ()
        )
        if method in ("PUT", "PATCH", "DELETE") or conditional_action:
            params.append(
                OpenApiParameter(
                    "If-Match", str, OpenApiParameter.HEADER, description="ETag from a read; a changed resource answers 412."
                )
            )
        if method == "GET":
            params.append(
                OpenApiParameter(
                    "If-None-Match", str, OpenApiParameter.HEADER, description="ETag from a read; answers 304 when unchanged."
                )
            )
        return params

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
        statuses = dict(_ERROR_STATUSES)
        if self.method.upper() in ("PUT", "PATCH", "DELETE", "POST"):
            statuses["409"] = "Conflicts with the current state"
        if self.method.upper() in ("PUT", "PATCH", "DELETE"):
            statuses["412"] = "If-Match precondition failed"
        if self.method.upper() == "POST":
            statuses["422"] = "Idempotency-Key reused with a different request"
        for status, text in statuses.items():
            responses.setdefault(status, {"content": {"application/json": {"schema": error_ref}}, "description": text})
        return responses


def _camelize_schema(schema: Any) -> Any:
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                out[key] = {to_camel(k): _camelize_schema(v) for k, v in value.items()}
            elif key == "required" and isinstance(value, list):
                out[key] = [to_camel(v) for v in value]
            else:
                out[key] = _camelize_schema(value)
        return out
    if isinstance(schema, list):
        return [_camelize_schema(v) for v in schema]
    return schema


def camelize_schema(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook: camelCase property and query-parameter names; add ErrorResponse."""
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name, schema in list(schemas.items()):
        schemas[name] = _camelize_schema(schema)
    schemas["ErrorResponse"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for param in operation.get("parameters", []):
                if param.get("in") == "query":
                    param["name"] = to_camel(param["name"])
    return result


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Django session of a signed-in user; writes also need the X-CSRFToken header.",
        }
