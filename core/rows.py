"""Model instances from rows of hand-written SQL, converted exactly as the ORM converts them.

For the few statements on every request where building the query with the ORM
costs more than running it (ADR 0004): the SQL is written once, the values go
through the database backend's and the fields' converters, and ``Model.from_db``
makes the instance, as a queryset would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model

M = TypeVar("M", bound=Model)


def columns(model: type[Model], alias: str) -> str:
    """The select list of every concrete column of ``model`` in a table aliased ``alias``."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def load(model: type[M], values: Sequence[Any], using: str = "default") -> M:
    """An instance of ``model`` from ``values`` in the order of :func:`columns`."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        expression = field.get_col(model._meta.db_table)
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
            value = converter(value, expression, connection)
        converted.append(value)
    return model.from_db(using, [field.attname for field in fields], converted)


def insert(objs: Sequence[Model], using: str = "default") -> None:
    """INSERT ``objs`` (one model, primary keys already set) in one statement, values prepared as ``save()`` would.

    Unlike ``save()``, a value already set is kept, also in an ``auto_now`` or
    ``auto_now_add`` field (so a caller can order rows written at once). No
    signals, no returned ids: for rows with client-made keys written on hot paths.
    """
    if not objs:
        return
    model = type(objs[0])
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "db_returning", False)]
    params: list[Any] = []
    for obj in objs:
        for field in fields:
            value = getattr(obj, field.attname)
            if value is None:
                value = field.pre_save(obj, add=True)
            params.append(field.get_db_prep_save(value, connection))
        obj._state.adding = False
        obj._state.db = using
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES " + ", ".join(
        [placeholder] * len(objs)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
