"""Money arithmetic: Decimal, cents, ROUND_HALF_UP. Ticket prices are gross (tax included)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_gross(gross: Decimal, rate_percent: Decimal) -> tuple[Decimal, Decimal]:
    """(net, tax) of a gross amount: tax = gross - gross / (1 + rate), rounded half up to cents; net = gross - tax."""
    gross = cents(gross)
    tax = cents(gross - gross / (1 + rate_percent / HUNDRED))
    return gross - tax, tax


def as_string(value: Decimal | None) -> str | None:
    return None if value is None else str(cents(value))
