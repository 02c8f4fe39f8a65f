"""Representations beside JSON (ADR 0023): the renderers a view set offers per action through ``ApiViewSet.formats``.

The view builds the bytes of a document (a PDF invoice) and answers them as the
response's data; the renderer only passes them on with its media type. Errors
are always JSON: ``ApiViewSet`` renders an error with the JSON renderer whatever
representation the client asked for, so the error format stays one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import exceptions, renderers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.utils.mediatypes import _MediaType


class DocumentRenderer(renderers.BaseRenderer):
    """Bytes the view rendered, answered as they are."""

    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        if data is None:  # a 304 or 204: no body
            return b""
        raise TypeError(f"{type(self).__name__} renders bytes a view built, not {type(data).__name__}")


class PDFRenderer(DocumentRenderer):
    media_type = "application/pdf"
    format = "pdf"


def media_types(renderer_classes: Any) -> list[str]:
    return [r.media_type for r in renderer_classes]


class QualityNegotiation(DefaultContentNegotiation):
    """Content negotiation that honours the Accept header's quality values (RFC 9110 §12.5.1).

    DRF's default orders the client's media ranges by specificity only, so
    ``application/pdf, application/json;q=0.5`` would answer JSON. Here each
    renderer takes the quality of the most specific range that matches it (so
    ``application/json;q=0, */*`` refuses JSON and takes anything else); the best
    quality wins, then the more specific range, then the client's order, then the
    view's order (JSON first). Nothing acceptable is 406 with the renderers on offer.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[renderers.BaseRenderer], format_suffix: str | None = None
    ) -> tuple[renderers.BaseRenderer, str]:
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        offered = list(self.filter_renderers(list(renderers), fmt) if fmt else renderers)
        ranges = []
        for index, token in enumerate(
            request.META.get("HTTP_ACCEPT", "").split(",") if request.META.get("HTTP_ACCEPT") else ["*/*"]
        ):
            if token.strip():
                media = _MediaType(token.strip())
                try:
                    quality = float(media.params.get("q", 1))
                except ValueError:
                    quality = 1.0
                ranges.append((media, quality, index))
        candidates = []
        for order, renderer in enumerate(offered):
            own = _MediaType(renderer.media_type)
            matches = [(media.precedence, quality, index) for media, quality, index in ranges if own.match(media)]
            if not matches:
                continue
            precedence, quality, index = max(matches, key=lambda m: (m[0], -m[2]))
            if quality > 0:
                candidates.append((-quality, -precedence, index, order, renderer))
        if not candidates:
            raise exceptions.NotAcceptable(available_renderers=offered)
        best = min(candidates, key=lambda c: c[:4])[-1]
        return best, best.media_type
