"""Pages of the API itself: the error reference generated from the code registry, and ping."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiKeyMode, OrganizationKind, RateTier
from accounts.roles import Role
from api import ratelimit
from api.casing import public_path
from api.context import Kind, resolve
from api.parameters import DeclaredParametersView
from api.permissions import IsOrganizationMember
from api.ratelimit import RateLimitedView
from api.schema import KeptSchemaMixin
from core.error_resolutions import RESOLUTIONS
from core.errors import lookup, registry


def error_index(request: HttpRequest) -> HttpResponse:
    return render(request, "api/errors.html", {"errors": registry()})


def error_detail(request: HttpRequest, code: str) -> HttpResponse:
    entry = lookup(code)
    if entry is None:
        raise Http404(code)
    return render(request, "api/error_detail.html", {"error": entry, "resolution": RESOLUTIONS.get(entry.code, "")})


class PingUserSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    email = serializers.EmailField()
    name = serializers.CharField()


class PingClientSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The calling API key (id, prefix, mode) or OAuth application (clientId)."""

    type = serializers.ChoiceField(choices=["api_key", "oauth_application"])
    name = serializers.CharField()
    id = serializers.UUIDField(required=False, help_text="API keys only.")
    prefix = serializers.CharField(required=False, help_text="API keys only.")
    mode = serializers.ChoiceField(choices=ApiKeyMode.choices, required=False, help_text="API keys only.")
    client_id = serializers.CharField(required=False, help_text="OAuth applications only.")


class PingOrganizationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    name = serializers.CharField()
    slug = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)


class PingRateLimitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    tier = serializers.ChoiceField(choices=RateTier.choices)
    requests_per_minute = serializers.IntegerField()
    burst = serializers.IntegerField()
    concurrent_requests = serializers.IntegerField()


class PingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=[Kind.SESSION, Kind.API_KEY, Kind.OAUTH])
    user = PingUserSerializer(allow_null=True, help_text="null for a client without a user.")
    client = PingClientSerializer(allow_null=True, help_text="null for a session.")
    organization = PingOrganizationSerializer(
        help_text="The organization the call acts in (a test key's is the sandbox, kind `sandbox`)."
    )
    role = serializers.ChoiceField(choices=Role.choices, allow_null=True)
    scopes = serializers.ListField(child=serializers.CharField(), allow_null=True, help_text="null: a session, limited by role.")
    rate_limit = PingRateLimitSerializer()
    server_time = serializers.DateTimeField()


class IndexLinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(help_text="The route's name, such as `event` or `event-session`.")
    href = serializers.CharField(
        help_text="Absolute URL; a template (RFC 6570) when `templated`, e.g. `.../events/{eventId}/sessions`."
    )
    templated = serializers.BooleanField()


class IndexSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.CharField(help_text="The minor version served (`X-API-Version`).")
    links = serializers.DictField(child=serializers.CharField(), help_text="self, schema (OpenAPI), docs (Swagger UI), errors.")
    resources = IndexLinkSerializer(many=True)


class PingView(DeclaredParametersView, RateLimitedView, APIView):
    """``GET /api/v1/ping``: who is calling, for connectivity tests. Any valid credentials; no scope needed."""

    permission_classes = [IsOrganizationMember]

    @extend_schema(responses=PingSerializer, summary="Check credentials and connectivity")
    def get(self, request: Request) -> Response:
        ctx = resolve(request)
        client = ctx.client
        described = None
        if ctx.kind == Kind.API_KEY:
            described = {
                "type": "api_key",
                "id": str(client.pk),
                "name": client.name,
                "prefix": client.prefix,
                "mode": client.mode,
            }
        elif ctx.kind == Kind.OAUTH:
            described = {"type": "oauth_application", "clientId": client.client_id, "name": client.name}
        user = ctx.user
        tier = ratelimit.tier(ctx.tier)
        return Response(
            {
                "kind": ctx.kind,
                "user": None if user is None else {"id": str(user.pk), "email": user.email, "name": user.name},
                "client": described,
                "organization": {
                    "id": str(ctx.organization.pk),
                    "name": ctx.organization.name,
                    "slug": ctx.organization.slug,
                    "kind": ctx.organization.kind,
                },
                "role": ctx.role,
                "scopes": None if ctx.scopes is None else sorted(ctx.scopes),
                "rate_limit": {
                    "tier": ctx.tier,
                    "requests_per_minute": tier.per_minute,
                    "burst": tier.burst,
                    "concurrent_requests": tier.concurrent,
                },
                "server_time": timezone.now(),
            }
        )


_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


@functools.lru_cache(maxsize=1)
def api_routes() -> tuple[tuple[str, str], ...]:
    """``(name, path)`` of every collection and stand-alone route under ``/api/v1/``, path parameters as
    ``{name}`` (RFC 6570), read from the URL configuration so that a new router entry is listed by itself.
    Routes of one object (``-detail`` and the actions on it) are reached from their collection."""
    routes: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and pattern.name and prefix.startswith("api/v1/"):
                path = _PARAM.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", prefix + route)
                if "{pk}" not in path and "{id}" not in path and not pattern.name.endswith("-detail") and path != "api/v1/":
                    routes.append((pattern.name.removesuffix("-list"), public_path("/" + path)))

    walk(get_resolver().url_patterns, "")
    return tuple(sorted(set(routes), key=lambda r: r[1]))


class IndexView(DeclaredParametersView, RateLimitedView, APIView):
    """``GET /api/v1/``: the API's resources and where the schema, docs and error reference are.

    Open to anyone, like the OpenAPI schema it summarises: a client finds its way
    before it holds credentials, and the list says nothing the public schema does
    not. Credentials that are sent are still checked (a bad one is a 401), and the
    request counts against the caller's rate limit.
    """

    permission_classes = [AllowAny]

    @extend_schema(responses=IndexSerializer, summary="Index of the API's resources", auth=[])
    def get(self, request: Request) -> Response:
        root = request.build_absolute_uri("/").rstrip("/")

        def link(path: str) -> str:
            return root + path  # not build_absolute_uri: it would quote the braces of a template

        return Response(
            {
                "version": getattr(request._request, "api_version", None),
                "links": {
                    "self": link("/api/v1/"),
                    "schema": link(reverse("schema")),
                    "docs": link(reverse("swagger-ui")),
                    "errors": link(reverse("api-errors")),
                },
                "resources": [{"name": name, "href": link(path), "templated": "{" in path} for name, path in api_routes()],
            }
        )


class SchemaView(KeptSchemaMixin, SpectacularAPIView):
    """``/api/schema/``: the OpenAPI document (YAML, or JSON with ``?format=json`` or ``Accept``), generated once per process."""


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI (``/api/docs/``) from local static files. Its start-up script is served apart (``?script``)
    and its styles are a static file, so the page runs under the platform's Content-Security-Policy."""

    template_name = "api/swagger_ui.html"
