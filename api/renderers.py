"""Representations beside JSON (ADR 0023): the renderers a view set offers per action, and the negotiation.

``ApiViewSet`` offers CSV and XML on every list and XML on every single read,
plus what a view set adds in ``formats`` (PDF, iCalendar), chosen by ``Accept``
or the ``format`` query parameter. Errors are always JSON: ``ApiViewSet``
renders an error with the JSON renderer whatever representation was asked for,
so the error format stays one.

CSV and XML render the same data as JSON (camelCase names): CSV one row per
item of a list, nested objects flattened to dotted columns (``attendee.name``),
arrays as JSON text; XML one element per field, arrays as ``<item>`` children.
Documents (PDF, iCalendar) are built by the view and passed on as bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from rest_framework import exceptions, parsers, renderers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.utils.mediatypes import _MediaType

from api.casing import camelize, underscoreize

XML_ROOT = "response"
XML_ITEM = "item"
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such cells get a leading '.
_FORMULA_START = ("=", "+", "@", "\t", "\r")
_FORMULA_CHARS = "".join(_FORMULA_START)


class FormatRenderer(renderers.BaseRenderer):
    """A representation other than JSON (errors are never rendered with one)."""


class DocumentRenderer(FormatRenderer):
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


class ICalendarRenderer(DocumentRenderer):
    media_type = "text/calendar"
    format = "ics"


def _items(data: Any) -> list[Any]:
    """The rows of an answer: a list's items (``{"data": [...], "pagination"}``), a bare list, or the one object."""
    if isinstance(data, Mapping) and isinstance(data.get("data"), list) and "pagination" in data:
        return list(data["data"])
    if isinstance(data, list):
        return data
    return [data]


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping) and value:
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, Mapping):
        yield prefix, None
    else:
        yield prefix, value


def csv_cell(value: Any) -> str:
    if value.__class__ is str:  # the common case first (an export's millions of cells)
        if value and (value[0] in _FORMULA_CHARS or (value[0] == "-" and not value[1:2].isdigit())):
            return "'" + value
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return json.dumps(value, separators=(",", ":"), default=str)
    text = str(value)
    if text.startswith(_FORMULA_START) or (text.startswith("-") and not text[1:2].isdigit()):
        return "'" + text
    return text


def csv_rows(items: Iterable[Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns (in first-seen order) and the flattened rows of ``items`` (already camelCase)."""
    columns: dict[str, None] = {}
    rows = []
    for item in items:
        row = dict(_flatten(item if isinstance(item, Mapping) else {"value": item}))
        for name in row:
            columns.setdefault(name, None)
        rows.append(row)
    return list(columns), rows


class CSVRenderer(FormatRenderer):
    """A list as CSV (RFC 4180): a header row, then one row per item; the page is the one JSON would answer."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        columns, rows = csv_rows(camelize(_items(data)))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row.get(name)) for name in columns])
        return out.getvalue().encode()


def _xml_value(gen: XMLGenerator, name: str, value: Any) -> None:
    attrs: dict[str, str] = {}
    tag = name
    if not _XML_NAME.match(name) or name.lower().startswith("xml"):
        tag, attrs = "entry", {"key": name}
    if value is None:
        gen.startElement(tag, AttributesImpl({**attrs, "nil": "true"}))
    elif isinstance(value, Mapping):
        gen.startElement(tag, AttributesImpl(attrs))
        for key, inner in value.items():
            _xml_value(gen, str(key), inner)
    elif isinstance(value, list | tuple):
        gen.startElement(tag, AttributesImpl(attrs))
        for inner in value:
            _xml_value(gen, XML_ITEM, inner)
    else:
        gen.startElement(tag, AttributesImpl(attrs))
        gen.characters("true" if value is True else "false" if value is False else str(value))
    gen.endElement(tag)


class XMLRenderer(FormatRenderer):
    """The JSON answer as XML, for systems that read nothing else: ``<response>`` holds the same fields."""

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        out = io.StringIO()
        gen = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
        gen.startDocument()
        _xml_value(gen, XML_ROOT, camelize(data))
        gen.endDocument()
        return out.getvalue().encode()


def _from_xml(element: Any) -> Any:
    children = list(element)
    if element.get("nil") == "true":
        return None
    if not children:
        return (element.text or "").strip()
    if all(child.tag == XML_ITEM for child in children):
        return [_from_xml(child) for child in children]
    out: dict[str, Any] = {}
    for child in children:
        key = child.get("key") if child.tag == "entry" and child.get("key") else child.tag
        out[key] = _from_xml(child)
    return out


class XMLParser(parsers.BaseParser):
    """An XML body read the way the XML renderer writes (elements for fields, ``<item>`` for array members).

    Parsed with defusedxml, refusing any DTD, entity declaration or external
    reference (billion laughs, XXE): such a body is 400 MALFORMED_REQUEST. Every
    value is a string, as in the document; the serializer checks the types.
    """

    media_type = "application/xml"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            root = SafeElementTree.fromstring(stream.read(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException as exc:
            raise exceptions.ParseError(f"XML with a DTD, entities or external references is refused ({type(exc).__name__}).")
        except SafeElementTree.ParseError as exc:
            raise exceptions.ParseError(f"XML parse error: {exc}")
        data = _from_xml(root)
        if not isinstance(data, dict):
            raise exceptions.ParseError("The XML root must hold the fields as elements.")
        return underscoreize(data)


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
        every = list(renderers)
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        offered = [r for r in every if r.format == fmt] if fmt else every
        if not offered:  # DRF answers 404 for an unknown format: it is a representation the resource lacks
            raise exceptions.NotAcceptable(available_renderers=every)
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
