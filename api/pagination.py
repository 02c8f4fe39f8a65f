"""Pagination in three styles, each answered with RFC 8288 Link headers.

- ``page`` (at most 100,000) / ``pageSize`` (default 50, at most 200), with the total count;
- ``limit`` (at most 200) / ``offset`` (at most 10,000,000), with the total count;
- ``cursor`` (with ``pageSize`` or ``limit``): keyset pagination over the list's
  sort order, stable under inserts and cheap at any depth; no total count.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from api import statements
from api.exceptions import ApiError
from api.payload import scalar_problem
from core import errors as codes

DEFAULT_PAGE_SIZE = 50

# The pagination object of every list (one component, referenced by each Paginated*List).
PAGINATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Present keys depend on the pagination style (page, limit/offset or cursor); "
    "the Link header carries first/prev/next/last.",
    "properties": {
        "page": {"type": "integer", "minimum": 1},
        "pageSize": {"type": "integer", "minimum": 1},
        "totalCount": {"type": "integer", "minimum": 0},
        "totalPages": {"type": "integer", "minimum": 0},
        "limit": {"type": "integer", "minimum": 1},
        "offset": {"type": "integer", "minimum": 0},
        "nextCursor": {"type": ["string", "null"]},
        "previousCursor": {"type": ["string", "null"]},
    },
}

MAX_PAGE_SIZE = 200
# Deeper than this, offsets cost the database a scan of every skipped row; the cursor style has no limit.
MAX_PAGE = 100_000
MAX_OFFSET = 10_000_000
_PAGINATION_PARAMS = {"page", "pageSize", "page_size", "limit", "offset", "cursor"}
# RFC 3339 section 5.6 date-time: a date, "T" (or "t", or a space as section 5.6's note allows), a time with
# optional fractions, and a zone ("Z" or an offset). A naive time is refused: it names no instant.
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


def parse_rfc3339(raw: str, name: str = "updatedSince") -> dt.datetime:
    """``raw`` as an aware datetime, or 400 INVALID_UPDATED_SINCE naming ``name``."""
    match = _RFC3339.match(raw.strip())
    value = None
    if match:
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        if zone in ("Z", "z"):
            offset = dt.timedelta(0)
        else:
            sign = -1 if zone[0] == "-" else 1
            offset = sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        try:
            if zone not in ("Z", "z") and int(zone[4:6]) > 59:
                raise ValueError("offset minutes run to 59")
            micro = int((fraction or ".0")[1:7].ljust(6, "0"))
            value = dt.datetime(
                int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59), micro, dt.timezone(offset)
            ).astimezone(dt.UTC)  # in UTC: the database refuses some offsets a date-time may carry (-20:02)
        except (ValueError, OverflowError):
            value = None
    if value is None:
        hint = " (an unencoded '+' arrives as a space: send %2B)" if re.search(r"\d \d{2}:\d{2}$", raw) else ""
        raise ApiError(
            codes.INVALID_UPDATED_SINCE,
            f"{name} must be an RFC 3339 date-time with a time zone, such as 2026-05-01T09:30:00Z{hint}",
            target=name,
        )
    return value


def since_field(queryset: QuerySet[Any]) -> str | None:
    """The field ``updatedSince`` compares: ``updated_at``, or ``created_at`` for rows never changed once written."""
    names = {f.name for f in queryset.model._meta.concrete_fields}
    return next((name for name in ("updated_at", "created_at") if name in names), None)


def _int_param(request: Request, name: str, camel: str, *, minimum: int, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(codes.INVALID_PAGINATION, f"{camel} must be a whole number", target=camel) from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ApiError(codes.INVALID_PAGINATION, f"{camel} must be {bound}", target=camel)
    return value


def _ordering(queryset: QuerySet[Any]) -> list[tuple[str, bool]]:
    fields = list(queryset.query.order_by) or list(queryset.model._meta.ordering or [])
    if not fields:
        fields = ["pk"]
    result = []
    for f in fields:
        if not isinstance(f, str):
            raise ApiError(codes.INVALID_PAGINATION, "This list cannot be paginated by cursor", target="cursor")
        result.append((f.lstrip("-"), f.startswith("-")))
    if result[-1][0] not in ("pk", "id"):
        result.append(("pk", False))
    return result


def _keyset(ordering: list[tuple[str, bool]], values: list[Any], forward: bool) -> Q:
    """Rows strictly after (forward) or before the position ``values`` in ``ordering``."""
    condition = Q()
    for i, (field, desc) in enumerate(ordering):
        greater = desc != forward  # after a desc field means smaller values
        clause = Q(**{f"{field}__{'gt' if greater else 'lt'}": values[i]})
        for j in range(i):
            clause &= Q(**{ordering[j][0]: values[j]})
        condition |= clause
    return condition


def _value(obj: Any, path: str) -> Any:
    """The value of an ordering field on a row, following ``related__field`` lookups."""
    if isinstance(obj, tuple):  # a row read as named values (``values_list(named=True)``), named by its lookups
        return getattr(obj, "id" if path == "pk" else path)
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


class _ExactEncoder(DjangoJSONEncoder):
    """Keeps microseconds (DjangoJSONEncoder cuts them to milliseconds, which would skip rows)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat()
        return super().default(o)


class FlexiblePagination(BasePagination):
    def __init__(self) -> None:
        self.links: dict[str, str] = {}
        self.meta: dict[str, Any] = {}
        # Set by ApiViewSet.page: what the page's SQL depends on, so the page style may run its recorded
        # statements (api.statements), and how rows are read (values_list for a serializer with row_fields).
        self.statement_key: tuple[Any, ...] | None = None
        self.rows_of: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None

    # -- style selection -------------------------------------------------------
    def paginate_queryset(
        self, queryset: QuerySet[Any] | statements.Deferred | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        params = request.query_params
        if isinstance(queryset, statements.Deferred):  # built only if the recorded statements cannot answer
            if self._recordable(params):
                return self._paginate_page(queryset, request, recorded=True)
            queryset = queryset.build()
        if not isinstance(queryset, QuerySet):  # counted and sliced in the database; the API pages nothing else
            raise TypeError(f"the API pages querysets, not {type(queryset).__name__}")
        if "updated_since" in params:
            since = parse_rfc3339(params["updated_since"])
            field = since_field(queryset)
            if field is None:  # every paginated model has one; tests/api/test_updated_since.py checks it
                raise TypeError(f"{queryset.model.__name__} has no timestamp for updatedSince")
            queryset = queryset.filter(**{f"{field}__gte": since})
            self.statement_key = None  # the recorded statements (api.statements) were recorded without it
        styles = [
            name
            for name, present in (
                ("page", "page" in params),
                ("offset", "offset" in params or ("limit" in params and "cursor" not in params)),
                ("cursor", "cursor" in params),
            )
            if present
        ]
        if len(styles) > 1:
            raise ApiError(codes.INVALID_PAGINATION, "Use one pagination style per request", target=styles[1])
        style = styles[0] if styles else "page"
        if style == "cursor" and "page_size" in params and "limit" in params:
            raise ApiError(codes.INVALID_PAGINATION, "Give pageSize or limit, not both", target="limit")
        if style == "page" and self.statement_key is not None and self.rows_of is not None:
            return self._paginate_page(queryset, request, recorded=True)
        if self.rows_of is not None:
            queryset = self.rows_of(queryset)
        if style == "offset":
            return self._paginate_offset(queryset, request)
        if style == "cursor":
            return self._paginate_cursor(queryset, request)
        return self._paginate_page(queryset, request)

    def _recordable(self, params: Any) -> bool:
        """The page style with nothing the recorded statements were recorded without (``paginate_queryset``)."""
        if self.statement_key is None or self.rows_of is None or "updated_since" in params:
            return False
        return not any(name in params for name in ("offset", "limit", "cursor"))

    def _page_size(self, request: Request) -> int:
        size = _int_param(request, "page_size", "pageSize", minimum=1, maximum=MAX_PAGE_SIZE)
        if size is None:
            size = _int_param(request, "limit", "limit", minimum=1, maximum=MAX_PAGE_SIZE)
        return size or DEFAULT_PAGE_SIZE

    def _paginate_page(
        self, queryset: QuerySet[Any] | statements.Deferred, request: Request, recorded: bool = False
    ) -> list[Any]:
        if "limit" in request.query_params:
            raise ApiError(codes.INVALID_PAGINATION, "Use pageSize with page", target="limit")
        page = _int_param(request, "page", "page", minimum=1, maximum=MAX_PAGE) or 1
        size = _int_param(request, "page_size", "pageSize", minimum=1, maximum=MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE
        if recorded:  # the count and the rows run as recorded the first time (api.statements)
            assert self.statement_key is not None and self.rows_of is not None
            start, rows_of, key, using = (page - 1) * size, self.rows_of, self.statement_key, queryset.db
            built = queryset.build if isinstance(queryset, statements.Deferred) else lambda: queryset
            total, items = statements.counted_page(lambda: rows_of(built()), key, start, size, using)
        else:
            assert isinstance(queryset, QuerySet)
            total = queryset.count()
            items = list(queryset[(page - 1) * size : page * size])
        pages = max(1, -(-total // size))
        self.meta = {"page": page, "page_size": size, "total_count": total, "total_pages": pages}
        self.links = {"first": self._url({"page": 1, "pageSize": size}), "last": self._url({"page": pages, "pageSize": size})}
        if page < pages:
            self.links["next"] = self._url({"page": page + 1, "pageSize": size})
        if page > 1:
            self.links["prev"] = self._url({"page": min(page - 1, pages), "pageSize": size})
        return items

    def _paginate_offset(self, queryset: QuerySet[Any], request: Request) -> list[Any]:
        if "page_size" in request.query_params:
            raise ApiError(codes.INVALID_PAGINATION, "Use limit with offset", target="pageSize")
        limit = _int_param(request, "limit", "limit", minimum=1, maximum=MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE
        offset = _int_param(request, "offset", "offset", minimum=0, maximum=MAX_OFFSET) or 0
        total = queryset.count()
        items = list(queryset[offset : offset + limit])
        self.meta = {"limit": limit, "offset": offset, "total_count": total}
        last_offset = max(0, ((total - 1) // limit) * limit) if total else 0
        self.links = {
            "first": self._url({"limit": limit, "offset": 0}),
            "last": self._url({"limit": limit, "offset": last_offset}),
        }
        if offset + limit < total:
            self.links["next"] = self._url({"limit": limit, "offset": offset + limit})
        if offset > 0:
            self.links["prev"] = self._url({"limit": limit, "offset": max(0, offset - limit)})
        return items

    # -- cursor ----------------------------------------------------------------
    def _signature(self, ordering: list[tuple[str, bool]]) -> str:
        return hashlib.sha256(repr(ordering).encode()).hexdigest()[:12]

    def _encode(self, values: list[Any], forward: bool, signature: str) -> str:
        raw = json.dumps({"v": values, "f": forward, "s": signature}, cls=_ExactEncoder, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def _decode(self, cursor: str, signature: str, width: int) -> tuple[list[Any], bool]:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
            values, forward, sig = payload["v"], payload["f"], payload["s"]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise ApiError(codes.INVALID_CURSOR, target="cursor") from None
        if sig != signature or not isinstance(values, list) or len(values) != width or not isinstance(forward, bool):
            raise ApiError(codes.INVALID_CURSOR, target="cursor")
        # The signature is no secret: a client may forge a cursor, so its values must be storable scalars.
        if any(isinstance(v, dict | list) or scalar_problem(v) is not None for v in values):
            raise ApiError(codes.INVALID_CURSOR, target="cursor")
        return values, forward

    def _paginate_cursor(self, queryset: QuerySet[Any], request: Request) -> list[Any]:
        size = self._page_size(request)
        ordering = _ordering(queryset)
        signature = self._signature(ordering)
        cursor = request.query_params.get("cursor", "")
        forward = True
        qs = queryset
        if cursor:
            values, forward = self._decode(cursor, signature, len(ordering))
            try:  # each value is converted for its field here (a date that does not exist, an id that is no UUID)
                qs = qs.filter(_keyset(ordering, values, forward))
            except (DjangoValidationError, ValueError, TypeError):
                raise ApiError(codes.INVALID_CURSOR, target="cursor") from None
        if not forward:
            qs = qs.order_by(*[("" if desc else "-") + f for f, desc in ordering])
        rows = list(qs[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        if not forward:
            rows.reverse()
        has_next = has_more if forward else True
        has_prev = bool(cursor) if forward else has_more

        def position(obj: Any) -> list[Any]:
            return [_value(obj, f) for f, _ in ordering]

        size_param = "limit" if "limit" in request.query_params else "pageSize"
        next_cursor = self._encode(position(rows[-1]), True, signature) if rows and has_next else None
        prev_cursor = self._encode(position(rows[0]), False, signature) if rows and has_prev else None
        self.meta = {"page_size": size, "next_cursor": next_cursor, "previous_cursor": prev_cursor}
        self.links = {"first": self._url({size_param: size, "cursor": ""})}
        if next_cursor:
            self.links["next"] = self._url({size_param: size, "cursor": next_cursor})
        if prev_cursor:
            self.links["prev"] = self._url({size_param: size, "cursor": prev_cursor})
        return rows

    # -- output ----------------------------------------------------------------
    def _url(self, replace: dict[str, Any]) -> str:
        kept = [
            (k, v)
            for k, v in parse_qsl(self.request.META.get("QUERY_STRING", ""), keep_blank_values=True)
            if k not in _PAGINATION_PARAMS
        ]
        kept.extend((k, str(v)) for k, v in replace.items())
        query = urlencode(kept)
        base = self.request.build_absolute_uri(self.request.path)
        return f"{base}?{query}" if query else base

    def link_header(self) -> str:
        return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in self.links.items())

    def get_paginated_response(self, data: Any) -> Response:
        response = Response({"data": data, "pagination": self.meta})
        if self.links:
            response["Link"] = self.link_header()
        if "total_count" in self.meta:
            response["X-Total-Count"] = str(self.meta["total_count"])
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {
                "data": schema,
                "pagination": {"$ref": "#/components/schemas/Pagination"},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        def param(
            name: str, description: str, kind: str = "integer", minimum: int = 1, maximum: int | None = None
        ) -> dict[str, Any]:
            schema: dict[str, Any] = {"type": kind}
            if maximum is not None:
                schema.update(minimum=minimum, maximum=maximum)
            return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}

        return [
            param("page", f"Page number (page style), 1 to {MAX_PAGE:,}; deeper, use the cursor style.", maximum=MAX_PAGE),
            param("pageSize", f"Items per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).", maximum=MAX_PAGE_SIZE),
            param("limit", f"Items to return (limit/offset or cursor style), 1 to {MAX_PAGE_SIZE}.", maximum=MAX_PAGE_SIZE),
            param("offset", f"Items to skip (limit/offset style), 0 to {MAX_OFFSET:,}.", minimum=0, maximum=MAX_OFFSET),
            param("cursor", "Opaque cursor from a Link header (cursor style); empty for the first page.", "string"),
            {
                "name": "updatedSince",
                "in": "query",
                "required": False,
                "description": "Only items created or changed at or after this instant (RFC 3339 date-time with a "
                "time zone, e.g. 2026-05-01T09:30:00Z; encode '+' as %2B). For a gap-free copy, start each run at "
                "the previous run's start minus a safety lag, or follow GET /api/v1/changes (the guide's "
                "'Incremental sync').",
                "schema": {"type": "string", "format": "date-time"},
            },
        ]
