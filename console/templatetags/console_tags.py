"""Template filters of the organizer console: times in an event's zone, money, labels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import template

register = template.Library()


@register.filter
def in_zone(value: dt.datetime | None, zone: str) -> str:
    """``value`` in the time zone ``zone`` (an event's), e.g. "Thu 3 Dec 2026, 14:00"."""
    if value is None:
        return "—"
    local = value.astimezone(ZoneInfo(zone or "UTC"))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


@register.filter
def hhmm(value: dt.datetime | None, zone: str) -> str:
    if value is None:
        return ""
    return f"{value.astimezone(ZoneInfo(zone or 'UTC')):%H:%M}"


@register.filter
def money(value: Any, currency: str = "") -> str:
    """1234.5 -> "1,234.50 EUR"."""
    if value in (None, ""):
        return "—"
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    return f"{amount:,.2f} {currency}".strip()


@register.filter
def percent(part: int | None, whole: int | None) -> int:
    if not whole:
        return 0
    return round(100 * (part or 0) / whole)


@register.filter
def label(value: str) -> str:
    """A status or code as words: "pending_payment" -> "Pending payment"."""
    text = str(value or "").replace("_", " ").replace(".", " ").strip().lower()
    return text[:1].upper() + text[1:]


@register.filter
def kind(object_type: str) -> str:
    """An audit entry's object type as a word: "registrations.checkin" -> "Checkin"."""
    return label(str(object_type or "").rsplit(".", 1)[-1])
