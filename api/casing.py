"""camelCase on the wire, snake_case in Python.

Bodies are converted by the parsers and the renderer; query parameters by
``ApiRequestMiddleware`` (which calls ``underscoreize_query``).
"""

from __future__ import annotations

import codecs
import functools
import itertools
import re
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from rest_framework import parsers, renderers
from rest_framework.exceptions import ParseError
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

_SNAKE = re.compile(r"_([a-z0-9])")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")

# Keys of free-form maps whose inner keys belong to the client (custom answers, metadata).
OPAQUE_KEYS = frozenset({"metadata", "answers"})


@functools.lru_cache(maxsize=4096)
def to_camel(key: str) -> str:
    if "_" not in key:
        return key
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@functools.lru_cache(maxsize=4096)
def to_snake(key: str) -> str:
    return _CAMEL.sub(lambda m: "_" + m.group(1).lower(), key)


class Camelized(dict):  # type: ignore[type-arg]
    """A mapping already in wire form: ``camelize`` passes it through untouched (large bulk answers)."""


# Values that camelize returns as they are: checked by exact type first, the common case of a page's values.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def camelize(data: Any) -> Any:
    if type(data) in _SCALARS or isinstance(data, Camelized):
        return data
    if isinstance(data, dict):
        return {
            (to_camel(k) if isinstance(k, str) else k): (v if k in OPAQUE_KEYS or type(v) in _SCALARS else camelize(v))
            for k, v in data.items()
        }
    if isinstance(data, list | tuple | ReturnList):
        return [v if type(v) in _SCALARS else camelize(v) for v in data]
    return data


def underscoreize(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            (to_snake(k) if isinstance(k, str) else k): (v if to_snake(str(k)) in OPAQUE_KEYS else underscoreize(v))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [underscoreize(v) for v in data]
    return data


def underscoreize_query(query: QueryDict) -> QueryDict:
    out = QueryDict(mutable=True)
    for key, values in query.lists():
        out.setlist(to_snake(key), values)
    out._mutable = False
    return out


def camel_path(path: str) -> str:
    """``sessions.0.starts_at`` -> ``sessions[0].startsAt``."""
    out: list[str] = []
    for part in path.split("."):
        if part.isdigit() and out:
            out[-1] += f"[{part}]"
        else:
            out.append(to_camel(part))
    return ".".join(out)


class CamelCaseJSONParser(parsers.JSONParser):
    """JSON within the limits of ``api.payload`` (depth, finite numbers, no NUL), then snake_case keys."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        from api import payload  # not at import time: api.payload -> api.exceptions -> api.casing
        from api.exceptions import ApiError
        from core import errors as codes

        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = payload.loads(codecs.getreader(encoding)(stream).read())
            found = list(itertools.islice(payload.problems(data), 20))
        except ValueError as exc:  # UnicodeDecodeError included
            raise ParseError(f"JSON parse error - {exc}") from None
        except payload.BodyProblem as exc:
            found = [exc]
        deep = next((p for p in found if p.code == "TOO_DEEP"), None)
        if deep is not None:
            raise ApiError(codes.JSON_TOO_DEEP, details=deep.message, target=deep.target)
        if found:
            details = [{"target": p.target, "code": p.code, "message": p.message} for p in found]
            message = found[0].message if len(found) == 1 else codes.VALIDATION_ERROR.title
            raise ApiError(codes.VALIDATION_ERROR, message, details=details, target=found[0].target)
        return underscoreize(data)


class CamelCaseMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            result = super().parse(stream, media_type, parser_context)
        except MultiPartParserError as exc:  # pragma: no cover - DRF already wraps most
            raise ParseError(str(exc)) from exc
        data = QueryDict(mutable=True)
        for key, values in result.data.lists():
            data.setlist(to_snake(key), values)
        files = result.files.__class__()
        for key, values in result.files.lists():
            files.setlist(to_snake(key), values)
        return parsers.DataAndFiles(data, files)


class CamelCaseJSONRenderer(renderers.JSONRenderer):
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, ReturnDict | ReturnList | dict | list):
            data = camelize(data)
        return super().render(data, accepted_media_type, renderer_context)


def public_path(path: str) -> str:
    """A path template as the API reference names it: the routers' ``{event_pk}`` becomes ``{eventId}``."""
    return re.sub(r"\{(\w+)_pk\}", lambda m: "{" + to_camel(m.group(1)) + "Id}", path)
