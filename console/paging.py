"""Keyset paging for long lists (an event's 50,000 registrations): each page starts after the last row of the one
before, on an index-ordered (sort key, id) pair, so page 1,000 costs what page 1 costs."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

# sort name -> (field, descending)
SORTS: dict[str, tuple[str, bool]] = {
    "created": ("created_at", False),
    "-created": ("created_at", True),
    "name": ("attendee_name", False),
    "-name": ("attendee_name", True),
    "email": ("attendee_email", False),
}
DEFAULT_SORT = "-created"


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None


def _encode(value: Any, pk: Any) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, dt.datetime) else value, str(pk)])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, field: str) -> tuple[Any, uuid.UUID] | None:
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if field == "created_at":
            value = dt.datetime.fromisoformat(value)
        return value, uuid.UUID(pk)
    except (ValueError, TypeError):
        return None


def order_of(sort: str) -> list[str]:
    field, descending = SORTS.get(sort, SORTS[DEFAULT_SORT])
    return [f"-{field}", "-id"] if descending else [field, "id"]


def keyset_page(queryset: QuerySet[Any], *, sort: str, cursor: str | None, size: int) -> Page:
    """The ``size`` rows of ``queryset`` (ordered by ``order_of(sort)``) after ``cursor``, and the cursor of the next page."""
    field, descending = SORTS.get(sort, SORTS[DEFAULT_SORT])
    qs = queryset.order_by(*order_of(sort))
    position = _decode(cursor, field) if cursor else None
    if position is not None:
        value, pk = position
        op = "lt" if descending else "gt"
        qs = qs.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{op}": pk}))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, _encode(getattr(rows[-1], field), rows[-1].pk) if more and rows else None)
