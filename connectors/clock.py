"""The connectors' clock: ``now()``; tests move it (an hour of a vendor being down) by patching this module."""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def sleep(seconds: float) -> None:
    """Wait between retries (tests patch it to move the clock instead)."""
    time.sleep(seconds)
