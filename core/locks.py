"""Bounded lock waits: no write waits for a row lock longer than ``DB_LOCK_TIMEOUT_MS`` (ADR 0018).

PostgreSQL lets a statement wait for a row lock as long as the holder keeps it,
so requests for a busy event would queue without limit. Every place that takes
a row lock (``select_for_update``, a locking UPDATE) does it inside
:func:`bounded`, which first sets ``lock_timeout`` for the rest of the
transaction (``SET LOCAL``: it ends with the transaction, so a pooler in
transaction mode never hands it to another client, and a rolled-back savepoint
takes it back), then turns a wait that ran out (SQLSTATE 55P03,
``lock_not_available``) into :class:`Busy`. The API answers it 503 ``BUSY``
with ``Retry-After``; Celery tasks retry it; the portal shows its message.

SQLite has no row locks (a writer takes the whole database and waits on the
connection's own busy timeout), so nothing is set there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import OperationalError, transaction

from core.errors import BUSY, DomainError

# PostgreSQL's SQLSTATE for a lock wait that ran out of lock_timeout (also NOWAIT).
LOCK_NOT_AVAILABLE = "55P03"

DEFAULT_TIMEOUT_MS = 3000

# A check that must hold until the write (an HTTP If-Match / If-Unmodified-Since): the caller hands it to
# the service, which calls it with the object the write is about, as read under the service's own locks,
# so no other writer can slip in between the check and the write. It raises to refuse.
Precondition = Callable[[Any], None]


class Busy(DomainError):
    """A lock wait ran out: the transaction was rolled back; the caller may retry after ``retry_after`` seconds."""

    def __init__(self) -> None:
        self.retry_after = retry_after_seconds()
        super().__init__(BUSY, details=f"A lock was not granted within {timeout_ms()} ms.")

    def __reduce__(self) -> tuple[type[Busy], tuple[()]]:
        # Celery pickles a task's exception (retry, result backend); rebuilt from nothing, like raised.
        return (type(self), ())


def timeout_ms() -> int:
    return max(int(getattr(settings, "DB_LOCK_TIMEOUT_MS", DEFAULT_TIMEOUT_MS)), 1)


def retry_after_seconds() -> int:
    """Retry-After for a BUSY answer: about as long as the request already waited, at least a second."""
    return max(1, math.ceil(timeout_ms() / 1000))


def bound_lock_wait(using: str | None = None) -> None:
    """Let every lock wait of the current transaction last at most ``DB_LOCK_TIMEOUT_MS`` (PostgreSQL).

    One statement per call (``SET LOCAL``). Outside a transaction a lock would be
    released at once, so that is refused as a programming error.
    """
    connection = transaction.get_connection(using)
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("a row lock must be taken inside a transaction")
    with connection.cursor() as cursor:
        # An int from settings, not client input; SET takes no bind parameters on the server.
        cursor.execute(f"SET LOCAL lock_timeout = {timeout_ms()}")


def is_lock_timeout(exc: BaseException) -> bool:
    """True for the error of a lock wait that ran out (PostgreSQL 55P03)."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE or getattr(cause, "pgcode", None) == LOCK_NOT_AVAILABLE


@contextmanager
def bounded(using: str | None = None) -> Iterator[None]:
    """Take row locks in this block with a bounded wait; a wait that runs out raises :class:`Busy`.

    Use inside the transaction that needs the locks. The bound stays in force
    for the rest of the transaction, so later implicit waits (an UPDATE of a row
    another transaction locked) are bounded too; the API's exception handler
    turns those into BUSY as well.
    """
    bound_lock_wait(using)
    try:
        yield
    except OperationalError as exc:
        if is_lock_timeout(exc):
            raise Busy() from exc
        raise


def check(precondition: Precondition | None, locked: Any) -> None:
    """Run the caller's precondition on ``locked`` (call right after the service's locks, before its own checks)."""
    if precondition is not None:
        precondition(locked)
