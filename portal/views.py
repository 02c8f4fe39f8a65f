"""Server-rendered pages of the developer portal: the front page, the integration guide, the API reference."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api import versions
from api.schema import KeptSchemaMixin, document
from portal.guide import postman
from portal.guide.context import for_section as context_for_section
from portal.guide.sections import AUDIENCES, SECTIONS, section_by_slug


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: what a partner developer can do here and where to start."""
    return render(request, "portal/home.html")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def guide_index(request: HttpRequest) -> HttpResponse:
    """The guide's front matter (about, audience, conventions) and its table of contents."""
    context = {"sections": SECTIONS, "audiences": AUDIENCES, "api_version": versions.DEFAULT_VERSION}
    return render(request, "portal/guide/index.html", context)


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
        **context_for_section(slug),
    }
    return render(request, f"portal/guide/{slug}.html", context)


def reference(request: HttpRequest) -> HttpResponse:
    """Swagger UI on the live schema, from local static files; its start-up code is portal/reference.js."""
    return render(request, "portal/reference.html")


class _FormatOfTheUrl(BaseContentNegotiation):
    """A download's format is the one its URL names (``.json``, ``.yaml``), whatever the client's ``Accept`` says."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list[Any], format_suffix: str | None = None) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


class _Download:
    """The OpenAPI document as a file to save, public like the rest of the portal."""

    content_negotiation_class = _FormatOfTheUrl
    permission_classes = [AllowAny]
    schema = None  # not an operation of the API
    filename = ""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)  # type: ignore[misc]
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


class OpenApiJsonDownload(_Download, KeptSchemaMixin, SpectacularJSONAPIView):
    filename = "event-platform-openapi.json"


class OpenApiYamlDownload(_Download, KeptSchemaMixin, SpectacularYAMLAPIView):
    filename = "event-platform-openapi.yaml"


def postman_collection(request: HttpRequest) -> JsonResponse:
    """The Postman collection (v2.1) of every operation of the live schema."""
    response = JsonResponse(postman.collection(document(), _base_url(request)), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="event-platform.postman_collection.json"'
    return response
