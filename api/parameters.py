"""Query parameters: a request may send only those the OpenAPI document declares for its operation.

The document is the contract a partner codes against, so it is also the list the
server accepts: a misspelled filter (``?stauts=draft``) is refused with
``UNKNOWN_PARAMETER`` instead of being ignored and answering the unfiltered list,
and a parameter the code reads but the document forgot fails its tests rather
than surprising a partner. Names are compared in snake_case, as the API request
middleware hands them to the views (``pageSize`` and ``page_size`` are one name).

The declared names depend only on the code, so they are worked out once per
process from the document's paths (about half a second) and kept, even when
settings change under tests.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from rest_framework.request import Request

from api.casing import to_camel, to_snake
from api.exceptions import ApiError
from core import errors as codes

_PATH_PARAMETER = re.compile(r"\{[^}]+\}")
_lock = threading.Lock()
_declared: dict[tuple[str, str], frozenset[str]] | None = None


def _shape(path: str) -> str:
    """A path template with its parameters' names left out, and no trailing slash: ``/api/v1/events/{}/sessions/{}``."""
    return _PATH_PARAMETER.sub("{}", path).rstrip("/") or "/"


def _resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    ref = item.get("$ref")
    if not ref:
        return item
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _build(document: dict[str, Any]) -> dict[tuple[str, str], frozenset[str]]:
    out: dict[tuple[str, str], frozenset[str]] = {}
    for path, item in document.get("paths", {}).items():
        shared = [_resolve(document, p) for p in item.get("parameters", [])]
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            parameters = shared + [_resolve(document, p) for p in operation.get("parameters", [])]
            names = frozenset(to_snake(p["name"]) for p in parameters if p.get("in") == "query")
            out[(_shape(path), method.upper())] = names
    return out


def declared() -> dict[tuple[str, str], frozenset[str]]:
    """Every operation's declared query parameters, by (path shape, method)."""
    global _declared
    if _declared is None:
        with _lock:
            if _declared is None:
                from api.schema import document

                _declared = _build(document())
    return _declared


def route_shape(request: Request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    from api.metering import route_template

    return _shape(route_template(match.route))


def check(request: Request) -> None:
    """Refuse a query parameter the operation does not declare (400 ``UNKNOWN_PARAMETER``).

    HEAD is answered as GET and is checked against GET's parameters. An
    operation missing from the document (none should be) is not checked here;
    ``tests/api/test_parameters.py`` proves every route is in it.
    """
    if not request.query_params:
        return
    shape = route_shape(request)
    if shape is None:
        return
    method = "GET" if request.method == "HEAD" else (request.method or "GET")
    allowed = declared().get((shape, method))
    if allowed is None:
        return
    unknown = sorted(name for name in request.query_params if name not in allowed)
    if unknown:
        accepted = ", ".join(sorted(to_camel(n) for n in allowed)) or "none"
        raise ApiError(
            codes.UNKNOWN_PARAMETER,
            f"Unknown query parameter {to_camel(unknown[0])!r}",
            details=f"This operation accepts these query parameters: {accepted}.",
            target=to_camel(unknown[0]),
        )


class DeclaredParametersView:
    """DRF view mixin: after authentication and permissions, refuse query parameters the document does not declare."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        check(request)
