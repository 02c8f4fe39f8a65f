"""Database type handling tuned for the read path.

Django registers its own ``timestamptz`` loader on each PostgreSQL connection
(to pin the time zone); it subclasses psycopg's pure-Python loader and costs
about 17 µs a value, several milliseconds for a page of events. Django already
sets the session time zone to UTC, and psycopg's C loader then returns the
same ``datetime`` with ``datetime.timezone.utc`` about ten times faster.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings


def use_c_timestamptz_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "postgresql" or not settings.USE_TZ or settings.TIME_ZONE != "UTC":
        return
    import psycopg
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    oid = psycopg.postgres.types["timestamptz"].oid
    c_loader: Any = psycopg.adapters.get_loader(oid, Format.TEXT)
    if c_loader is None or not c_loader.__module__.startswith("psycopg_binary"):
        return  # no C extension: keep Django's loader

    class UtcTimestamptzLoader(Loader):
        # Django compares this with the connection's zone on every cursor.
        timezone = dt.UTC

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            # psycopg fetches ``loader.load`` once per column: hand it the C method.
            self.load = c_loader(oid, context).load  # type: ignore[method-assign]

        def load(self, data: Any) -> Any:  # replaced per instance in __init__
            raise NotImplementedError

    connection.connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)
