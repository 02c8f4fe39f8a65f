"""Server-rendered pages of the developer portal: the front page, the integration guide, the API reference."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.scopes import SCOPES
from api.scopes import ENDPOINT_SCOPES
from core.error_resolutions import RESOLUTIONS
from core.errors import registry
from integrations.catalog import ENVELOPE_VERSION, entries
from payments.providers import sandbox
from portal.guide import configuration, docs, postman
from portal.guide.sections import SECTIONS, TIER_DESCRIPTIONS, section_by_slug


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: what a partner developer can do here and where to start."""
    return render(request, "portal/home.html")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _context(slug: str, request: HttpRequest) -> dict[str, Any]:
    """What a section's template shows beyond its prose: the registries it is generated from."""
    if slug == "configuration":
        return {"variables": configuration.variables()}
    if slug == "errors":
        return {"errors": [(e, RESOLUTIONS.get(e.code, "")) for e in registry()]}
    if slug == "webhooks":
        return {
            "event_types": [
                {**e, "schema_json": json.dumps(e["schema"], indent=2), "example_json": json.dumps(e["example"], indent=2)}
                for e in entries()
            ],
            "envelope_version": ENVELOPE_VERSION,
            "verify": docs.code_blocks("webhooks.md", "Verifying the signature"),
        }
    if slug == "rate-limits":
        return {
            "tiers": [(name, TIER_DESCRIPTIONS.get(name, ""), tier) for name, tier in settings.RATE_LIMIT_TIERS.items()],
            "rate_limits_enabled": settings.RATE_LIMITS_ENABLED,
        }
    if slug == "authentication":
        by_scope: dict[str, list[str]] = {}
        for (route, method), scope in sorted(ENDPOINT_SCOPES.items()):
            by_scope.setdefault(scope, []).append(f"{method} {route}")
        return {
            "scopes": [(name, description, by_scope.get(name, [])) for name, (description, _) in SCOPES.items()],
            "access_token_seconds": settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"],
        }
    if slug == "sandbox":
        return {
            "cards": [
                (sandbox.SUCCEEDS, "succeeds", ""),
                *((number, "declined", code) for number, (code, _) in sandbox._DECLINES.items()),
            ]
        }
    if slug == "versioning":
        return {"versions": settings.API_SUPPORTED_VERSIONS, "default_version": settings.API_DEFAULT_VERSION}
    return {}


def guide_index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/guide/index.html", {"sections": SECTIONS})


def guide_section(request: HttpRequest, slug: str) -> HttpResponse:
    section = section_by_slug(slug)
    if section is None:
        raise Http404(slug)
    position = SECTIONS.index(section)
    context = {
        "section": section,
        "sections": SECTIONS,
        "previous": SECTIONS[position - 1] if position else None,
        "next": SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None,
        "base_url": _base_url(request),
        **_context(slug, request),
    }
    return render(request, f"portal/guide/{slug}.html", context)


def reference(request: HttpRequest) -> HttpResponse:
    """Swagger UI on the live schema, from local static files; its start-up code is portal/reference.js."""
    return render(request, "portal/reference.html")


class _Download:
    """The OpenAPI document as a file to save, public like the rest of the portal."""

    permission_classes = [AllowAny]
    schema = None  # not an operation of the API
    filename = ""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)  # type: ignore[misc]
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


class OpenApiJsonDownload(_Download, SpectacularJSONAPIView):
    filename = "event-platform-openapi.json"


class OpenApiYamlDownload(_Download, SpectacularYAMLAPIView):
    filename = "event-platform-openapi.yaml"


def postman_collection(request: HttpRequest) -> JsonResponse:
    """The Postman collection (v2.1) of every operation of the live schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    response = JsonResponse(postman.collection(schema, _base_url(request)), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="event-platform.postman_collection.json"'
    return response
