"""Model instances from rows of hand-written SQL, converted exactly as the ORM converts them.

For the few statements on every request where building the query with the ORM
costs more than running it (ADR 0004): the SQL is written once, the values go
through the database backend's and the fields' converters, and ``Model.from_db``
makes the instance, as a queryset would.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model

M = TypeVar("M", bound=Model)


def columns(model: type[Model], alias: str) -> str:
    """The select list of every concrete column of ``model`` in a table aliased ``alias``."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def load(model: type[M], values: Sequence[Any], using: str = "default") -> M:
    """An instance of ``model`` from ``values`` in the order of :func:`columns`."""
    converted = list(values)
    for index, convert in _converters(model, using):
        converted[index] = convert(converted[index])
    return model.from_db(using, _attnames(model), converted)


@functools.cache
def _attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@functools.cache
def _converters(model: type[Model], using: str) -> list[tuple[int, Callable[[Any], Any]]]:
    """The converters the ORM applies to each column of ``model`` (backend's, then field's), worked out once."""
    connection = connections[using]
    found: list[tuple[int, Callable[[Any], Any]]] = []
    for index, field in enumerate(model._meta.concrete_fields):
        expression = field.get_col(model._meta.db_table)
        chain = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if chain:
            found.append((index, functools.partial(_convert, tuple(chain), expression, connection)))
    return found


def _convert(chain: tuple[Any, ...], expression: Any, connection: Any, value: Any) -> Any:
    for converter in chain:
        value = converter(value, expression, connection)
    return value


def insert(objs: Sequence[Model], using: str = "default", *, ignore_conflicts: bool = False) -> None:
    """INSERT ``objs`` (one model) in one statement, values prepared as ``save()`` would.

    Unlike ``save()``, a value already set is kept, also in an ``auto_now`` or
    ``auto_now_add`` field (so a caller can order rows written at once). No
    signals. A database-made key (an auto field) is read back into each object.
    With ``ignore_conflicts``, a row that would break a unique constraint is
    skipped (``ON CONFLICT DO NOTHING``); its key must then be given.
    """
    if not ignore_conflicts:
        insert_together([objs], using=using)
        return
    if not objs:
        return
    connection = connections[using]
    sql, params, returning = _insert_statement(list(objs), connection)
    if returning:
        raise ValueError("rows whose key the database makes cannot skip conflicts: give their keys")
    with connection.cursor() as cursor:
        cursor.execute(sql + " ON CONFLICT DO NOTHING", params)


def insert_together(groups: Sequence[Sequence[Model]], using: str = "default") -> None:
    """INSERT each group of objects (one model a group) as :func:`insert` does, all in one statement where possible.

    On PostgreSQL the groups become data-modifying CTEs of a single statement: one
    round trip for an order's registrations, their audit entries and outbox rows,
    which also shortens the time the order holds its event's lock. Row triggers
    run per row as usual. Elsewhere (SQLite has no INSERT in WITH) each group is
    its own statement, in order.
    """
    connection = connections[using]
    statements = [_insert_statement(list(objs), connection) for objs in groups if objs]
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or len(statements) == 1:
            for sql, params, returning in statements:
                cursor.execute(sql + (" RETURNING " + returning[1] if returning else ""), params)
                if returning:
                    _set_keys(returning[0], [row[0] for row in cursor.fetchall()])
            return
        parts: list[str] = []
        values: list[Any] = []
        selects: list[str] = []
        readers: list[list[Model]] = []
        for i, (sql, params, returning) in enumerate(statements):
            parts.append(f"w{i} AS ({sql}" + (f" RETURNING {returning[1]}" if returning else "") + ")")
            values.extend(params)
            if returning:
                selects.append(f"SELECT {len(readers)}, {returning[1]} FROM w{i}")
                readers.append(returning[0])
        final = " UNION ALL ".join(selects) if selects else "SELECT NULL, NULL WHERE FALSE"
        cursor.execute("WITH " + ", ".join(parts) + " " + final, values)
        keys: list[list[Any]] = [[] for _ in readers]
        for index, key in cursor.fetchall():
            keys[index].append(key)
        for objs, found in zip(readers, keys, strict=True):
            _set_keys(objs, found)


def _insert_statement(objs: list[Model], connection: Any) -> tuple[str, list[Any], tuple[list[Model], str] | None]:
    """The INSERT of ``objs``, its parameters, and (objects, column) when the database makes their key."""
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "db_returning", False)]
    returned = [f for f in model._meta.concrete_fields if getattr(f, "db_returning", False)]
    params: list[Any] = []
    for obj in objs:
        for field in fields:
            value = getattr(obj, field.attname)
            if value is None:
                value = field.pre_save(obj, add=True)
            params.append(field.get_db_prep_save(value, connection))
        obj._state.adding = False
        obj._state.db = connection.alias
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES " + ", ".join(
        [placeholder] * len(objs)
    )
    if not returned:
        return sql, params, None
    if len(returned) != 1 or returned[0] is not model._meta.pk:
        raise ValueError(f"{model.__name__}: only a database-made primary key can be read back")
    return sql, params, (objs, connection.ops.quote_name(str(returned[0].column)))


def _set_keys(objs: list[Model], keys: list[Any]) -> None:
    """Give each object its key, in the order the rows were inserted (PostgreSQL returns them in VALUES order)."""
    if len(keys) != len(objs):
        raise RuntimeError(f"{len(objs)} rows inserted, {len(keys)} keys returned")
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
