"""Helpers for hand-written ``to_representation`` on hot read paths.

They give exactly what DRF's fields give (``DateTimeField`` in ISO 8601 with
``Z`` for UTC, ``UUIDField`` as text), without building and walking field
objects for every row.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from decimal import Decimal
from typing import Any

from django.utils import timezone

# The zones whose offset is always zero: a value in one of them needs no conversion to another.
_UTC_ZONES = frozenset({dt.UTC, zoneinfo.ZoneInfo("UTC")})


def iso(value: dt.datetime | None, zone: Any = None) -> str | None:
    """The value in the current time zone (or ``zone``, the current one looked up once for many values), as DRF gives it."""
    if value is None:
        return None
    tz = value.tzinfo
    if tz is None:
        text = value.isoformat()
    else:
        zone = zone or timezone.get_current_timezone()
        # A UTC value shown in UTC: the conversion would change nothing (the common case: the C loader's values).
        text = value.isoformat() if tz in _UTC_ZONES and zone in _UTC_ZONES else value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def text(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def money(value: Decimal | int | str, places: int = 2) -> str:
    """A DecimalField's text (``COERCE_DECIMAL_TO_STRING``): always ``places`` decimals, never an exponent."""
    return f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-places)):f}"
