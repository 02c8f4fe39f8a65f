"""Compiled statements of list pages, kept per process and run again without the ORM building them.

Building a list's SQL with the ORM (resolving every selected field, its joins,
the filters and the order, then compiling) costs more CPU than PostgreSQL
spends answering it (ADR 0024). The SQL of a page is a pure function of what
the view built its queryset from: the organization, the typed filter object,
the order, the page. A view that names those as a *statement key*
(``ApiViewSet.page(..., statement_key=...)``) has its count and rows run once
through the ORM, which records the statements it executes (an
``execute_wrapper``: exactly Django's SQL and parameters) and the converters of
the rows' columns; later requests with the same key run the recorded statements
straight on the cursor and convert the values as the ORM does, the count
folded into the rows' statement as a scalar subquery (one round trip a page).

The key must hold everything the SQL depends on; the caller builds it from the
selector's inputs, which decide the queryset alone (no clock, no randomness).
Entries are bounded (least recently used go first) and never go stale: the same
inputs give the same SQL for the life of the process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.utils import create_namedtuple_class

MAX_ENTRIES = 512

_entries: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


class Deferred:
    """A list's queryset, built only when it is needed: not when its key's recorded statements answer the page.

    Building even an unevaluated queryset (its filters, joins and order) costs the ORM more than the
    recorded statements cost to run; a view whose list has a statement key hands ``ApiViewSet.page`` this
    instead (``events.views``), and the paginator calls ``build`` only for another page style, a filter it
    adds (``updatedSince``) or a key seen for the first time.
    """

    def __init__(self, build: Callable[[], QuerySet[Any]], model: type[Any]) -> None:
        self.build, self.model = build, model

    @property
    def db(self) -> str:
        return str(router.db_for_read(self.model))


def _get(key: Hashable) -> Any:
    with _lock:
        found = _entries.get(key)
        if found is not None:
            _entries.move_to_end(key)
        return found


def _put(key: Hashable, value: Any) -> None:
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()


def _recording(run: Callable[[], Any], using: str) -> tuple[Any, list[tuple[str, Any]]]:
    """``run()``'s result and the statements it executed on ``using``."""
    executed: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connections[using].execute_wrapper(record):
        result = run()
    return result, executed


def count(build: Callable[[], QuerySet[Any]], key: Hashable, using: str) -> int:
    """``build().count()``, its statement recorded under ``key`` the first time (``build`` runs only then)."""
    found = _get(("count", using, key))
    if found is None:
        total, executed = _recording(build().count, using)
        if len(executed) == 1:
            _put(("count", using, key), executed[0])
        return int(total)
    sql, params = found
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0])


def named_rows(build: Callable[[], QuerySet[Any]], key: Hashable, using: str) -> list[Any]:
    """The rows of ``build()``, a sliced ``values_list(..., named=True)``, its statement recorded under ``key``
    the first time (``build`` runs only then)."""
    found = _get(("rows", using, key))
    if found is None:
        queryset = build()
        rows, executed = _recording(lambda: list(queryset), using)
        if len(executed) == 1:
            compiler = queryset.query.get_compiler(using)
            compiler.as_sql()  # sets up the selected columns, as executing did
            converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
            names = (*queryset.query.extra_select, *queryset.query.values_select, *queryset.query.annotation_select)
            _put(("rows", using, key), (*executed[0], list(converters.items()), names))
        return rows
    sql, params, converters, names = found
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        fetched: list[Any] = cursor.fetchall()
    return _named(fetched, converters, names, using)


def counted_page(
    build: Callable[[], QuerySet[Any]], key: tuple[Any, ...], start: int, size: int, using: str
) -> tuple[int, list[Any]]:
    """``build()``'s count and its rows ``[start:start + size]`` (named tuples, as ``named_rows``).

    Recorded, they run as one statement: the count, an uncorrelated scalar subquery (evaluated once), added as
    the last column of the rows' SELECT (the rows' ORDER BY may name columns by position), so a page costs one
    round trip to the database, not two. An empty page (past the last) carries no count; the recorded count then
    runs alone.
    """
    page_key = (*key, start, size)
    found = _get(("page", using, page_key))
    if found is None:
        total = count(build, key, using)
        rows = named_rows(lambda: build()[start : start + size], page_key, using)
        counted, listed = _get(("count", using, key)), _get(("rows", using, page_key))
        if counted is not None and listed is not None:
            (count_sql, count_params), (rows_sql, rows_params, converters, names) = counted, listed
            columns, rest = _split_at_from(rows_sql)
            if rest and "%" not in columns:  # no parameter before the count's: its parameters go first
                sql = f"{columns}, ({count_sql}){rest}"
                _put(("page", using, page_key), (sql, (*count_params, *rows_params), converters, names))
        return total, rows
    sql, params, converters, names = found
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        fetched: list[Any] = cursor.fetchall()
    if not fetched:
        return count(build, key, using), []
    total = int(fetched[0][-1])
    return total, _named([row[:-1] for row in fetched], converters, names, using)


def _split_at_from(sql: str) -> tuple[str, str]:
    """``sql`` cut before its own `` FROM `` (outside parentheses and quotes): its column list and the rest;
    ``(sql, "")`` when there is none."""
    depth, quote = 0, ""
    for i, char in enumerate(sql):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char == " " and sql.startswith(" FROM ", i):
            return sql[:i], sql[i:]
    return sql, ""


def _named(fetched: list[Any], converters: list[Any], names: tuple[str, ...], using: str) -> list[Any]:
    """The fetched rows converted as ``SQLCompiler.apply_converters`` does (this thread's connection), as named tuples."""
    if converters:
        connection = connections[using]
        converted = []
        for row in fetched:
            values = list(row)
            for index, (chain, expression) in converters:
                value = values[index]
                for converter in chain:
                    value = converter(value, expression, connection)
                values[index] = value
            converted.append(values)
        fetched = converted
    row_class = create_namedtuple_class(*names)
    new = tuple.__new__
    return [new(row_class, row) for row in fetched]
