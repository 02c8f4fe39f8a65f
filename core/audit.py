"""Recording audit entries from services."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.db import models

from core import generations
from core.correlation import get_correlation_id
from core.models import AuditEntry


class Actor(Protocol):
    """Whoever performs a write: a user now, an API client or the system later."""

    @property
    def audit_id(self) -> str: ...

    @property
    def audit_label(self) -> str: ...


class SystemActor:
    """The platform itself (scheduled jobs, demo data)."""

    audit_id = "system"
    audit_label = "system"


SYSTEM = SystemActor()


class Anonymous:
    """A caller not (yet) known: a refused sign-in or credential, named by its address."""

    audit_id = "anonymous"

    def __init__(self, ip: str) -> None:
        self.audit_label = f"anonymous ({ip})" if ip else "anonymous"


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _jsonable(getattr(instance, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose value changed, as {field: {"from": old, "to": new}}."""
    return {key: {"from": before.get(key), "to": after[key]} for key in after if before.get(key) != after[key]}


def assign(instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Set the ``allowed`` fields of ``data`` on ``instance``; return what changed, for ``record``."""
    fields = [name for name in data if name in set(allowed)]
    before = snapshot(instance, fields)
    for name in fields:
        setattr(instance, name, data[name])
    return diff(before, snapshot(instance, fields))


def record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None,
    organization_id: uuid.UUID | None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry; call it inside the service's transaction.

    ``target`` is None for what concerns no stored object (a failed sign-in with an unknown key).

    When the transaction commits, the organization's cache generation moves on
    (``core.generations``, when the read cache is on), so no cached read outlives the write.
    """
    found = entry(actor=actor, action=action, target=target, organization_id=organization_id, changes=changes)
    found.save(force_insert=True)
    return found


def entry(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None,
    organization_id: uuid.UUID | None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """The entry ``record`` writes, unsaved, for a service that writes it together with other rows (``core.rows``).

    Moves the organization's cache generation on commit, as ``record`` does.
    """
    if organization_id is not None:
        generations.bump_on_commit(organization_id)
    return AuditEntry(
        organization_id=organization_id,
        actor_id=str(actor.audit_id)[:64],
        actor_label=str(actor.audit_label)[:255],
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=str(target)[:255] if target is not None else "",
        changes=_jsonable(dict(changes or {})),
        correlation_id=get_correlation_id(),
    )
