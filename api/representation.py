"""Helpers for hand-written ``to_representation`` on hot read paths.

They give exactly what DRF's fields give (``DateTimeField`` in ISO 8601 with
``Z`` for UTC, ``UUIDField`` as text), without building and walking field
objects for every row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone


def iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    text = timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def text(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def money(value: Decimal | int | str, places: int = 2) -> str:
    """A DecimalField's text (``COERCE_DECIMAL_TO_STRING``): always ``places`` decimals, never an exponent."""
    return f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-places)):f}"
