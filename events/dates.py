"""The range of dates an event, session or occurrence may take."""

from __future__ import annotations

import datetime as dt

DATE_RANGE_MESSAGE = "Give a date between the years 2000 and 2200."


def in_date_range(value: dt.datetime) -> bool:
    """Event dates lie between the years 2000 and 2200."""
    return 2000 <= value.year <= 2200
