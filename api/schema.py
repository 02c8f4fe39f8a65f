"""OpenAPI 3 description of the conventions: camelCase names, the error format, the headers."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from accounts import scopes as scope_table
from api import scopes
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
                                    "target": {"type": ["string", "null"]},
                                    "code": {"type": "string"},
                                    "message": {"type": "string"},
                                },
                            },
                        },
                    ],
                },
                "target": {"type": ["string", "null"], "example": "startsAt"},
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

    def required_scope(self) -> str | None:
        """The scope of this operation in ``api.scopes.ENDPOINT_SCOPES`` (resolving the path to its route name)."""
        for sample in ("00000000-0000-4000-8000-000000000000", "1"):
            try:
                match = resolve(re.sub(r"\{[^}]+\}", sample, self.path))
            except Resolver404:
                continue
            return scopes.scope_for(match.url_name, self.method.upper())
        return None

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if not operation:
            return operation
        scope = self.required_scope()
        if scope == scopes.USER_SESSION:
            note = "Only for signed-in users of the console (session); tokens and API keys are refused."
        elif scope == scopes.ANY:
            note = "Any valid credentials; no scope needed."
        elif scope == scopes.PUBLIC:
            note = "No credentials needed; credentials that are sent must be valid."
        else:
            note = f"Scope: `{scope}` (OAuth tokens and API keys; a user's token is also limited by the user's role)."
        operation["x-required-scope"] = scope
        operation["description"] = (operation.get("description", "") + "\n\n" + note).strip()
        return operation

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


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = ["apiKeyBearer", "apiKeyHeader"]

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        # Either header carries the key: two alternative requirements, not one that needs both.
        return [{"apiKeyBearer": []}, {"apiKeyHeader": []}]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "emp_live_... or emp_test_...",
                "description": "An API key of the organization (`Authorization: Bearer emp_live_...`); "
                "each operation names the scope it needs in `x-required-scope`.",
            },
            {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "The same API key in its own header."},
        ]


class OAuth2Scheme(OpenApiAuthenticationExtension):
    """OAuth 2.0 access tokens: the flows of the authorization server, and each operation's scope as its requirement."""

    target_class = "api.authentication.OAuthTokenAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]] | None:
        scope = auto_schema.required_scope() if isinstance(auto_schema, PlatformAutoSchema) else None
        if scope == scopes.USER_SESSION:
            return None  # tokens are refused there
        return {self.name: [] if scope in (None, scopes.ANY, scopes.PUBLIC) else [scope]}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        issuer = settings.OAUTH_ISSUER
        every = {name: description for name, (description, _) in scope_table.SCOPES.items()}
        api_only = {name: every[name] for name in scope_table.API_SCOPES}
        return {
            "type": "oauth2",
            "description": "Access tokens (JWT, RFC 9068) of the platform's authorization server: the authorization code "
            "grant with PKCE (S256) for users, client credentials for an application acting in its organization. "
            f"Metadata: {issuer}/.well-known/openid-configuration. Each operation names its scope.",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": f"{issuer}/authorize/",
                    "tokenUrl": f"{issuer}/token/",
                    "refreshUrl": f"{issuer}/token/",
                    "scopes": every,
                },
                "clientCredentials": {"tokenUrl": f"{issuer}/token/", "scopes": api_only},
            },
        }


# -- the document, generated once per process ------------------------------------------
_documents: dict[tuple[str | None, str | None], dict[str, Any]] = {}
_rendered: dict[tuple[str | None, str | None, str], bytes] = {}


def document(version: str | None = None, urlconf: str | None = None) -> dict[str, Any]:
    """The public OpenAPI document of ``version``: generated on first use, then kept, since only the code changes it.

    Generating it walks every view and serializer (about half a second); the
    schema endpoint, the portal's downloads and Postman collection, and the
    webhook catalog's components all read this one copy. Changed settings
    (tests) forget it.
    """
    key = (version, urlconf)
    found = _documents.get(key)
    if found is None:
        from drf_spectacular.generators import SchemaGenerator

        found = _documents[key] = SchemaGenerator(urlconf=urlconf, api_version=version).get_schema(request=None, public=True)
    return found


@receiver(setting_changed)
def _forget_documents(**kwargs: Any) -> None:
    _documents.clear()
    _rendered.clear()


class KeptSchemaMixin:
    """For drf-spectacular's schema views: answer with ``document()``, rendered once per format, not per request.

    Rendering costs too: about 50 ms as JSON and 300 ms as YAML for the whole
    API, so the rendered bytes are kept beside the document.
    """

    schema = None  # the document is not an operation of the API
    api_version: str | None
    urlconf: str | None
    serve_public: bool

    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.serve_public:  # a per-user schema depends on the request: generate it
            return super().get(request, *args, **kwargs)  # type: ignore[misc]
        version = self.api_version or request.version or self._get_version_parameter(request)  # type: ignore[attr-defined]
        renderer = request.accepted_renderer
        key = (version, self.urlconf, renderer.format)
        body = _rendered.get(key)
        if body is None:
            body = _rendered[key] = renderer.render(document(version, self.urlconf), request.accepted_media_type)
        charset = f"; charset={renderer.charset}" if renderer.charset else ""
        response = HttpResponse(body, content_type=f"{renderer.media_type}{charset}")
        response["Content-Disposition"] = f'inline; filename="{self._get_filename(request, version)}"'  # type: ignore[attr-defined]
        return response
