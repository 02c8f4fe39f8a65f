"""Why the settings of docs/operations.md: PgBouncer in transaction mode lends a server connection for one
transaction, so a prepared statement or a WITH HOLD cursor left on it is missing on the next one.

Each case makes the next transaction of the connection under test land on another server connection: a second
client takes the first server connection (PgBouncer hands out the one used last) and keeps it in a transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.utils import DatabaseError

from core.models import OutboxEvent
from tests.pgbouncer import PgBouncer, pgbouncer

__all__ = ["pgbouncer"]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def through(pgbouncer: PgBouncer) -> Iterator[Any]:
    """through(**settings) -> a Django connection ``pgb`` to the test database via PgBouncer with those settings."""
    made: list[DatabaseWrapper] = []

    def make(options: dict[str, Any] | None = None, disable_server_side_cursors: bool = False) -> DatabaseWrapper:
        settings_dict = {
            **connection.settings_dict,
            "HOST": "127.0.0.1",
            "PORT": pgbouncer.port,
            "OPTIONS": options or {},
            "DISABLE_SERVER_SIDE_CURSORS": disable_server_side_cursors,
        }
        wrapper = DatabaseWrapper(settings_dict, alias="pgb")
        connections["pgb"] = wrapper
        made.append(wrapper)
        return wrapper

    yield make
    for wrapper in made:
        wrapper.close()
    del connections["pgb"]


def _hold_the_last_server_connection(pgbouncer: PgBouncer) -> psycopg.Connection[Any]:
    """Another client opens a transaction: it gets the server connection used last and keeps it."""
    other = psycopg.connect(
        host="127.0.0.1", port=pgbouncer.port, user=connection.settings_dict["USER"], dbname=connection.settings_dict["NAME"]
    )
    other.execute("SELECT 1")  # psycopg opened a transaction (not autocommit): the server connection stays with it
    return other


def _backend(wrapper: DatabaseWrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def test_prepared_statements_fail_behind_transaction_pooling_and_client_side_binding_does_not(
    through: Any, pgbouncer: PgBouncer
) -> None:
    # DATABASE_SERVER_SIDE_BINDING=true, DATABASE_PREPARE_THRESHOLD=0: every query is prepared on first use.
    prepared = through({"server_side_binding": True, "prepare_threshold": 0})
    first = _backend(prepared)
    other = _hold_the_last_server_connection(pgbouncer)
    try:
        with pytest.raises(DatabaseError, match=r"prepared statement \S+ does not exist"):
            assert _backend(prepared) != first  # the same query, now on another server connection
    finally:
        other.close()
        prepared.close()

    # The documented setting (client-side binding, the default): the same moves go through.
    plain = through()
    first = _backend(plain)
    other = _hold_the_last_server_connection(pgbouncer)
    try:
        assert _backend(plain) != first
    finally:
        other.close()


def test_an_iterator_outside_a_transaction_needs_server_side_cursors_off(through: Any, pgbouncer: PgBouncer) -> None:
    OutboxEvent.objects.bulk_create(
        [OutboxEvent(organization_id="00000000-0000-0000-0000-000000000001", event_type="x", data={}) for _ in range(5)]
    )
    # The default: .iterator() declares a WITH HOLD cursor and fetches from it in later transactions.
    through()
    rows = OutboxEvent.objects.using("pgb").iterator(chunk_size=2)
    assert next(rows).event_type == "x"
    other = _hold_the_last_server_connection(pgbouncer)
    try:
        with pytest.raises(psycopg.errors.InvalidCursorName, match=r"cursor \S+ does not exist"):  # raised by psycopg's fetch
            list(rows)
    finally:
        other.close()

    # ?disable_server_side_cursors=true on DATABASE_URL: the rows come in one result.
    through(disable_server_side_cursors=True)
    rows = OutboxEvent.objects.using("pgb").iterator(chunk_size=2)
    assert next(rows).event_type == "x"
    other = _hold_the_last_server_connection(pgbouncer)
    try:
        assert len(list(rows)) == 4
    finally:
        other.close()
