"""OpenAPI 3 description of the conventions: camelCase names, the error format, the headers."""

from __future__ import annotations

import inspect
import re
from typing import Any, Literal

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
from api import scopes, versions
from api.casing import public_path, to_camel
from api.pagination import PAGINATION_SCHEMA
from api.ratelimit import RateLimitedView

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
                    "description": "A sentence; for VALIDATION_ERROR and UNKNOWN_FIELD a list of `ValidationProblem`; for "
                    "state transitions, seats, scopes and the like an object with the figures (`from`, `to`, "
                    "`allowedFrom`; `requiredScope`, `grantedScopes`; ...); for some conflicts a list of the objects "
                    "or values in the way.",
                    "anyOf": [
                        {"type": "string"},
                        {
                            "type": "array",
                            "items": {
                                "anyOf": [
                                    {"$ref": "#/components/schemas/ValidationProblem"},
                                    {"type": "object", "additionalProperties": True},
                                    {"type": "string"},
                                ]
                            },
                        },
                        {"type": "object", "additionalProperties": True},
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

VALIDATION_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One problem of a request: the camelCase path of the field or parameter, a code, a sentence.",
    "required": ["target", "code", "message"],
    "properties": {
        "target": {"type": ["string", "null"], "example": "sessions[0].startsAt"},
        "code": {"type": "string", "example": "REQUIRED"},
        "message": {"type": "string", "example": "This field is required."},
    },
}

# Response headers, declared once (components.headers) and referenced by the operations that send them.
RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    "X-Correlation-ID": {"description": "The request's correlation id (given or generated).", "schema": {"type": "string"}},
    "X-API-Version": {"description": "The minor API version that answered.", "schema": {"type": "string"}},
    "X-RateLimit-Limit": {"description": "Requests allowed per minute for the client's tier.", "schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"description": "Requests left in the current window.", "schema": {"type": "integer"}},
    "X-RateLimit-Reset": {"description": "Unix seconds when the window resets.", "schema": {"type": "integer"}},
    "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}},
    "ETag": {"description": "Validator of the representation (RFC 9110 §8.8.3).", "schema": {"type": "string"}},
    "Last-Modified": {"description": "When the resource last changed (HTTP date).", "schema": {"type": "string"}},
    "Link": {
        "description": "RFC 8288 links of the list: first, prev, next, last (last not for cursors).",
        "schema": {"type": "string"},
    },
    "X-Total-Count": {"description": "Items in the whole list (page and offset styles).", "schema": {"type": "integer"}},
    "Location": {"description": "URL of the created resource.", "schema": {"type": "string"}},
}
_RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")

_ERROR_STATUSES = {
    "400": "Invalid request (VALIDATION_ERROR, UNKNOWN_FIELD, MALFORMED_JSON, ...)",
    "401": "Authentication required",
    "403": "Not allowed for your role",
    "404": "Not found in your organization",
    "429": "Rate limited",
}


# -- summaries -----------------------------------------------------------------------------
# The resource a path segment names, in the singular ("an event") and as a list ("events").
_NOUNS: dict[str, tuple[str, str]] = {
    "api-keys": ("an API key", "API keys"),
    "audit-log": ("an audit entry", "the audit log"),
    "checkins": ("a check-in", "check-ins"),
    "email-domains": ("an email domain", "email domains"),
    "identity-providers": ("an identity provider", "identity providers"),
    "scim-tokens": ("a SCIM token", "SCIM tokens"),
    "connections": ("a connection", "connections"),
    "events": ("an event", "events"),
    "sub-events": ("a sub-event", "sub-events"),
    "attendees": ("an attendee", "attendees"),
    "sessions": ("a session", "sessions"),
    "speakers": ("a speaker", "speakers"),
    "materials": ("a material", "materials"),
    "ticket-types": ("a ticket type", "ticket types"),
    "invitations": ("an invitation", "invitations"),
    "invoices": ("an invoice", "invoices"),
    "payments": ("a payment", "payments"),
    "subscriptions": ("a series pass", "series passes"),
    "registrations": ("a registration", "registrations"),
    "users": ("a member", "members"),
    "venues": ("a venue", "venues"),
    "webhooks": ("a webhook subscription", "webhook subscriptions"),
    "webhook-deliveries": ("a webhook delivery", "webhook deliveries"),
    "exports": ("an export", "exports"),
    "export-schedules": ("an export schedule", "export schedules"),
    "calendar-feeds": ("a calendar feed", "calendar feeds"),
    "imports": ("an import", "imports"),
}
_VERBS = {"PUT": "Replace", "PATCH": "Update", "DELETE": "Delete"}
# Operations whose summary no rule derives (singletons, actions named otherwise than their verb).
_SUMMARIES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/events/{eventId}/registration-settings"): "Get an event's registration settings",
    ("GET", "/api/v1/email-templates"): "List the email message types, their variables and templates",
    ("POST", "/api/v1/email-templates"): "Save an email template",
    ("POST", "/api/v1/email-templates/preview"): "Preview an email template",
    ("POST", "/api/v1/email-templates/test-send"): "Send an email template as a test",
    ("GET", "/api/v1/events/{eventId}/email-analytics"): "Get an event's email analytics",
    ("PATCH", "/api/v1/events/{eventId}/registration-settings"): "Update an event's registration settings",
    ("GET", "/api/v1/events/{eventId}/sessions/{sessionId}/feedback"): "Get a session's feedback summary",
    ("POST", "/api/v1/events/{eventId}/sessions/{sessionId}/feedback"): "Rate a session",
    ("GET", "/api/v1/events/{eventId}/sessions/{sessionId}/materials/{id}/download"): "Download a material's file",
    ("GET", "/api/v1/events/{id}/stats"): "Get an event's figures",
    ("GET", "/api/v1/events/{id}/sub-events"): "List an event's sub-events",
    ("POST", "/api/v1/events/{id}/sub-events"): "Create sub-events of a series",
    ("POST", "/api/v1/checkins"): "Check in a ticket code",
    ("DELETE", "/api/v1/checkins/{id}"): "Undo a check-in",
    ("POST", "/api/v1/checkins/bulk"): "Check in many ticket codes",
    ("POST", "/api/v1/registrations/batch"): "Register many attendees in one request",
    ("POST", "/api/v1/imports"): "Upload an import file and check every row (dry run)",
    ("POST", "/api/v1/imports/{id}/run"): "Run a checked import",
    ("GET", "/api/v1/changes"): "List the changes after a cursor (creates, updates, deletes)",
    ("GET", "/api/v1/registrations/{id}/ticket"): "Get a registration's ticket",
    ("GET", "/api/v1/registrations/{id}/order-tickets"): "Get every ticket of a registration's order",
    ("GET", "/api/v1/registrations/{id}/certificate"): "Get a registration's certificate of attendance",
    ("GET", "/api/v1/document-branding"): "Get the organization's document branding",
    ("PATCH", "/api/v1/document-branding"): "Update the organization's document branding",
    ("GET", "/api/v1/ticket-keys"): "Get the public keys that verify ticket QR codes",
    ("POST", "/api/v1/ticket-keys/rotate"): "Rotate the organization's ticket signing key",
    ("GET", "/api/v1/reports/revenue"): "Get the revenue report",
    ("POST", "/api/v1/tickets/validate"): "Validate a ticket code without checking in",
    ("GET", "/api/v1/users/me"): "Get the signed-in user's profile",
    ("PATCH", "/api/v1/users/me"): "Update the signed-in user's profile",
    ("POST", "/api/v1/payments/{id}/confirm"): "Confirm a payment",
    ("POST", "/api/v1/payments/{id}/refund"): "Refund a payment",
    ("POST", "/api/v1/subscriptions/{id}/cancel"): "Cancel a series pass",
    ("POST", "/api/v1/webhook-deliveries/{id}/replay"): "Replay a webhook delivery",
    ("GET", "/api/v1/webhook-event-types"): "List the webhook event types",
    ("GET", "/api/v1/webhook-source-ips"): "List the addresses webhooks are sent from",
    ("POST", "/api/v1/webhooks/{id}/recover"): "Resend the failed deliveries of a subscription",
    ("POST", "/api/v1/webhooks/{id}/reveal-secret"): "Reveal a subscription's signing secret",
    ("POST", "/api/v1/webhooks/{id}/rotate-secret"): "Rotate a subscription's signing secret",
    ("POST", "/api/v1/webhooks/{id}/test"): "Send a test event to a subscription",
    ("POST", "/api/v1/identity-providers/{id}/rotate-key"): "Rotate the platform's SAML key for an identity provider",
    ("DELETE", "/api/v1/scim-tokens/{id}"): "Revoke a SCIM token",
    ("GET", "/api/v1/sso-enforcement"): "Get the single sign-on enforcement",
    ("PUT", "/api/v1/sso-enforcement"): "Enforce or stop enforcing single sign-on",
    ("POST", "/api/v1/connections/{id}/test"): "Test a connection's credentials with the vendor",
    ("GET", "/api/v1/connections/{id}/calls"): "List a connection's calls to the vendor",
    ("GET", "/api/v1/connections/{id}/notifications"): "List the notifications a vendor sent to a connection",
    ("POST", "/api/v1/connections/{id}/notifications/{notificationId}/replay"): "Process a vendor notification again",
}


def summary_for(method: str, path: str) -> str | None:
    """'List events', 'Create a session', 'Cancel an event' from the method and the (public) path."""
    path = public_path(path)
    if (method, path) in _SUMMARIES:
        return _SUMMARIES[(method, path)]
    parts = [p for p in path.removeprefix("/api/v1/").split("/") if p]
    if not parts:
        return None
    if parts[-1].startswith("{"):  # one object
        noun = _NOUNS.get(parts[-2])
        if noun is None:
            return None
        verb = _VERBS.get(method, "Get")
        return f"{verb} {noun[0]}"
    if len(parts) >= 2 and parts[-2].startswith("{") and parts[-1] not in _NOUNS:  # an action on one object
        noun = _NOUNS.get(parts[-3])
        if noun is None:
            return None
        return f"{parts[-1].replace('-', ' ').capitalize()} {noun[0]}"
    noun = _NOUNS.get(parts[-1])
    if noun is None:
        return None
    if method == "GET":
        return f"List {noun[1]}"
    if method == "POST":
        return f"Create {noun[0]}"
    return None


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
        self._declare_response_headers(operation)
        self._declare_representations(operation)
        return operation

    def _offered(self) -> list[Any]:
        offered = getattr(self.view, "offered_formats", None)
        return list(offered()) if callable(offered) else []

    def _declare_representations(self, operation: dict[str, Any]) -> None:
        """Each representation of a 200 besides JSON (ADR 0023), with its own schema: text, or binary for PDF."""
        offered = self._offered()
        responses = operation.get("responses", {})
        ok = responses.get("200") or responses.get("201")
        if not offered or not ok:
            return
        content = ok.setdefault("content", {})
        for renderer in offered:
            schema = {"type": "string", "format": "binary"} if renderer.media_type == "application/pdf" else {"type": "string"}
            content[renderer.media_type] = {"schema": schema}
        operation["responses"].setdefault(
            "406", {"description": "NOT_ACCEPTABLE: `details.available` lists the media types offered"}
        )
        if "content" not in operation["responses"]["406"]:
            operation["responses"]["406"]["content"] = {
                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}
            }

    # -- summaries and descriptions -----------------------------------------------------
    def get_description(self) -> str:  # type: ignore[override]
        """The action's docstring, else the view class's own: never one inherited from a base or mixin class."""
        action_or_method = getattr(self.view, getattr(self.view, "action", self.method.lower()), None)
        action_doc = inspect.getdoc(action_or_method) if action_or_method is not None else None
        if action_doc and not getattr(action_or_method, "__module__", "").startswith(("rest_framework", "django")):
            return action_doc
        own = self.view.__class__.__dict__.get("__doc__")
        return inspect.cleandoc(own) if own else ""

    def get_summary(self) -> str | None:
        """A short sentence for the operation (``extend_schema(summary=...)`` wins): 'List events', 'Cancel a session'."""
        return summary_for(self.method.upper(), self.path)

    def is_conditional_read(self) -> bool:
        """A GET of an API view set: answers carry ETag/Last-Modified and a matching If-None-Match gets 304."""
        return (
            self.method.upper() == "GET"
            and hasattr(self.view, "check_preconditions")
            and getattr(self.view, "action", None) != "download"
        )

    def is_conditional_write(self) -> bool:
        method = self.method.upper()
        conditional_action = method == "POST" and getattr(self.view, "action", None) in getattr(
            self.view, "conditional_actions", ()
        )
        return method in ("PUT", "PATCH", "DELETE") or conditional_action

    def _declare_response_headers(self, operation: dict[str, Any]) -> None:
        rate_limited = isinstance(self.view, RateLimitedView)
        ok = operation.get("responses", {}).get("200", {})
        paginated = "/Paginated" in str(ok.get("content", {}).get("application/json", {}).get("schema", {}))
        for status, response in operation.get("responses", {}).items():
            names = ["X-Correlation-ID", "X-API-Version"]
            if rate_limited:
                names += _RATE_HEADERS
            if status == "429":
                names.append("Retry-After")
            if status in ("200", "304") and self.is_conditional_read():
                names += ["ETag", "Last-Modified"]
                if paginated:
                    names += ["Link", "X-Total-Count"]
            if status == "200" and self.method.upper() in ("PUT", "PATCH"):
                names.append("ETag")
            if status == "201":
                names += ["ETag", "Location"]
            headers = response.setdefault("headers", {})
            for name in names:
                headers.setdefault(name, {"$ref": f"#/components/headers/{name}"})

    def _is_list(self) -> bool:
        return self.method.upper() == "GET" and bool(self._is_list_view())

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters()) + list(self.global_params)
        method = self.method.upper()
        offered = self._offered()
        if offered:
            names = ["json", *(r.format for r in offered)]
            params.append(
                OpenApiParameter(
                    "format",
                    str,
                    enum=names,
                    description="The representation, in place of the Accept header: "
                    + ", ".join(f"`{n}`" for n in names)
                    + " (406 NOT_ACCEPTABLE for any other).",
                )
            )
        if method == "POST":
            params.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    str,
                    OpenApiParameter.HEADER,
                    description="Replays the stored response of the first request with this key for 24 hours.",
                )
            )
        if self.is_conditional_write():
            params += [
                OpenApiParameter(
                    "If-Match", str, OpenApiParameter.HEADER, description="ETag from a read; a changed resource answers 412."
                ),
                OpenApiParameter(
                    "If-Unmodified-Since",
                    str,
                    OpenApiParameter.HEADER,
                    description="HTTP date; a resource changed since answers 412.",
                ),
            ]
        if self.is_conditional_read():
            params += [
                OpenApiParameter(
                    "If-None-Match", str, OpenApiParameter.HEADER, description="ETag from a read; answers 304 when unchanged."
                ),
                OpenApiParameter(
                    "If-Modified-Since", str, OpenApiParameter.HEADER, description="HTTP date; answers 304 when unchanged since."
                ),
            ]
        return params

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
        statuses = dict(_ERROR_STATUSES)
        if self.method.upper() in ("PUT", "PATCH", "DELETE", "POST"):
            statuses["409"] = "Conflicts with the current state"
            statuses["503"] = "BUSY: a lock this write needs was not granted in time; retry after Retry-After"
        if self.is_conditional_write():
            statuses["412"] = "If-Match / If-Unmodified-Since precondition failed"
        if self.method.upper() == "POST":
            statuses["422"] = "Idempotency-Key reused with a different request"
        for status, text in statuses.items():
            responses.setdefault(status, {"content": {"application/json": {"schema": error_ref}}, "description": text})
        for status, response in responses.items():  # an error a view declares by its description alone
            if status.startswith(("4", "5")) and not response.get("content"):
                response["content"] = {"application/json": {"schema": error_ref}}
        if self.is_conditional_read():
            responses.setdefault("304", {"description": "Not modified: the If-None-Match / If-Modified-Since copy is current"})
        # The web server refuses a request line past its limit before the application sees it (no JSON body).
        responses.setdefault("414", {"description": "URI too long: the request line exceeds the server's limit"})
        return responses


def _camelize_schema(schema: Any) -> Any:
    if isinstance(schema, dict):
        out: dict[str, Any] = {}
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
    schemas["ValidationProblem"] = VALIDATION_PROBLEM_SCHEMA
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for param in operation.get("parameters", []):
                if param.get("in") == "query":
                    param["name"] = to_camel(param["name"])
    return result


def _null_types(schema: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` as the 3.1 (JSON Schema) ``type: [..., "null"]``."""
    if isinstance(schema, dict):
        out = {k: _null_types(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable") is True:
            kind = out.get("type")
            if isinstance(kind, str):
                out["type"] = [kind, "null"]
            elif isinstance(kind, list) and "null" not in kind:
                out["type"] = [*kind, "null"]
            elif kind is None:
                out = {"anyOf": [out, {"type": "null"}]}
        return out
    if isinstance(schema, list):
        return [_null_types(v) for v in schema]
    return schema


WEBHOOK_SIGNATURE_SCHEME: dict[str, Any] = {
    "type": "apiKey",
    "in": "header",
    "name": "webhook-signature",
    "description": "Standard Webhooks signature: `v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{body}` "
    "with the subscription's signing secret (shown once, rotatable). Verify it before trusting the request.",
}


def conventions(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook (after camelize_schema): the document's shared parts, and its names as the docs use them.

    Path parameters are ``{eventId}``/``{sessionId}``; every list's pagination is
    one ``Pagination`` component; response headers are ``components.headers``;
    OpenAPI 3.0 ``nullable`` becomes a 3.1 null type; webhooks name their
    signature as their security.
    """
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Pagination"] = PAGINATION_SCHEMA
    components["headers"] = dict(RESPONSE_HEADERS)
    components.setdefault("securitySchemes", {})["webhookSignature"] = WEBHOOK_SIGNATURE_SCHEME

    paths = {}
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for param in operation.get("parameters", []):
                if param.get("in") != "path":
                    continue
                renamed = public_path("{" + param["name"] + "}")[1:-1]
                param["name"] = renamed
                param["schema"] = {"type": "string", "format": "uuid"}
                subject = "the " + renamed.removesuffix("Id") if renamed != "id" else "the resource"
                param.setdefault("description", f"Id (UUID) of {subject}.")
            # An operation open to anyone says so: an empty requirement makes credentials optional (OpenAPI 3.1 §4.8.10).
            if not operation.get("security"):
                operation["security"] = [{}]
        # The index is /api/v1/ in the URL configuration; a documented path has no trailing slash (it answers both).
        paths[public_path(path).rstrip("/") or "/"] = item
    result["paths"] = paths
    for webhook in result.get("webhooks", {}).values():
        for operation in webhook.values():
            if isinstance(operation, dict):
                operation.setdefault("security", [{"webhookSignature": []}])
    result["components"] = _null_types(components)
    result["paths"] = _null_types(result["paths"])
    if "webhooks" in result:
        result["webhooks"] = _null_types(result["webhooks"])
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

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[Any]] | list[dict[str, list[Any]]]:
        scope = auto_schema.required_scope() if isinstance(auto_schema, PlatformAutoSchema) else None
        if scope == scopes.USER_SESSION:
            return []  # tokens are refused there: no requirement of this scheme
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


def _documented_path(route: str) -> str:
    """A deprecation's route template (``/api/v1/events/{pk}``) as the document's path (``/api/v1/events/{id}``)."""
    return public_path(route.replace("{pk}", "{id}")).rstrip("/") or "/"


def _mark_field(schema: Any, path: list[str], components: dict[str, Any], seen: set[str]) -> bool:
    """Mark the property at ``path`` (``["rateLimit", "tier"]``) deprecated in a response schema, through its references.

    A list's envelope (``{"data": [...], "pagination": ...}``) is looked through to
    its items; other nested objects only by a dotted name, so a field named like
    a nested object's field marks only the one meant.
    """
    if isinstance(schema, list):
        return any([_mark_field(item, path, components, seen) for item in schema])
    if not isinstance(schema, dict):
        return False
    marked = False
    reference = schema.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/components/schemas/") and reference not in seen:
        marked = _mark_field(components.get(reference.rsplit("/", 1)[1]), path, components, seen | {reference})
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            marked = _mark_field(schema[key], path, components, seen) or marked
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return marked
    found = properties.get(path[0])
    if isinstance(found, dict):
        if len(path) == 1:
            found["deprecated"] = True
            marked = True
        else:
            marked = _mark_field(found, path[1:], components, seen) or marked
    envelope = properties.get("data")
    if found is None and isinstance(envelope, dict) and "items" in envelope and "pagination" in properties:
        marked = _mark_field(envelope["items"], path, components, seen) or marked
    return marked


def mark_deprecations(result: dict[str, Any], entries: list[versions.Deprecation]) -> list[str]:
    """Set ``deprecated: true`` in the document ``result`` for each entry; what names nothing in it, one line each.

    An operation gets the flag; a query parameter gets it on the operation's
    parameter; a field gets it on the property of the operation's success
    response schema (a dotted name reaches a nested object's field), which is a
    shared component: the field is deprecated wherever that schema is used.
    """
    components = result.get("components", {}).get("schemas", {})
    misses = []
    for entry in entries:
        operation = result.get("paths", {}).get(_documented_path(entry.route), {}).get(entry.method.lower())
        if not isinstance(operation, dict):
            misses.append(f"{entry.method} {entry.route} is not an operation of the document")
        elif entry.kind == "operation":
            operation["deprecated"] = True
        elif entry.kind == "parameter":
            found = [p for p in operation.get("parameters", []) if p.get("in") == "query" and p.get("name") == entry.name]
            for parameter in found:
                parameter["deprecated"] = True
            if not found:
                misses.append(f"{entry.method} {entry.route} has no query parameter {entry.name}")
        else:
            successes = [r for status, r in operation.get("responses", {}).items() if str(status).startswith("2")]
            schemas = [media.get("schema") for r in successes for media in r.get("content", {}).values()]
            if not _mark_field(schemas, entry.name.split("."), components, set()):
                misses.append(f"{entry.method} {entry.route} answers no field {entry.name}")
    return misses


def deprecations(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook (after conventions): ``deprecated: true`` on what ``api.versions.DEPRECATIONS`` declares.

    The registry is the one source: the same entries give the Deprecation and
    Sunset headers. An entry that names nothing in the document is left out here
    (the document is served whatever a registry says); tests/api/test_versions.py
    fails on it, so a typo cannot leave the document silent.
    """
    mark_deprecations(result, versions.DEPRECATIONS)
    return result


# -- the document, generated once per process ------------------------------------------
_documents: dict[tuple[str | None, str | None], dict[str, Any]] = {}
_rendered: dict[tuple[str | None, str | None, str], str | bytes] = {}


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

    schema: Any = None  # the document is not an operation of the API
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
