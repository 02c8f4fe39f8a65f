"""The change log behind incremental sync (spec §10.3): every create, update and delete of a tracked row.

An app declares the rows a partner may copy with ``track(Model, resource=..., permission=...)``
in its ``AppConfig.ready``; a ``post_save`` or ``post_delete`` of such a row then writes a
``core.models.Change`` in the same transaction. Writes that bypass the signals (the
raw multi-row inserts of hot paths, ``core.rows``) add ``rows_for(...)`` to the rows they
insert together (``outbox.publish_many(together_with=...)``).

Why a sequence given after the commit. Ids and timestamps are taken when a row is
written, not when it commits: a transaction that wrote change 100 may commit after
the one that wrote 101, and a reader who saw 101 and kept "after 101" as its cursor
would never see 100. So a change gets its ``sequence`` only once it is committed:
``stamp`` takes the organization's ``ChangeSequence`` row lock, reads the committed
changes that have none yet (in id order) and numbers them after the last one given.
Any change committed later is numbered later, so "everything after my cursor" never
misses one. The feed stamps before it reads; nothing has to run in the background.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core import locks
from core.models import Change, ChangeSequence

UPSERT, DELETE = "upsert", "delete"
# Changes numbered by one stamp at most (a reader stamps again on its next page).
STAMP_BATCH = 5000


@dataclass(frozen=True)
class Tracked:
    resource: str  # the API's name of the collection: "registrations", "events"...
    permission: str  # what a caller needs to read it (accounts.roles.Perm)
    organization: str  # the attribute holding the organization's id


_TRACKED: dict[type[Model], Tracked] = {}


def track(model: type[Model], *, resource: str, permission: str, organization: str = "organization_id") -> None:
    """Record every save and delete of ``model`` in the change log, as ``resource``."""
    _TRACKED[model] = Tracked(resource, permission, organization)
    post_save.connect(_saved, sender=model, dispatch_uid=f"core.changes.save.{model._meta.label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"core.changes.delete.{model._meta.label}")


def resources() -> dict[str, str]:
    """Every tracked resource and the permission that reads it."""
    return {t.resource: t.permission for t in _TRACKED.values()}


def _organization_of(instance: Model, tracked: Tracked) -> Any:
    value: Any = instance
    for part in tracked.organization.split("."):
        value = getattr(value, part)
    return value


def rows_for(instances: Iterable[Model], action: str = UPSERT, now: dt.datetime | None = None) -> list[Change]:
    """Unsaved change rows for ``instances`` (all of tracked models), for a caller that inserts rows itself."""
    now = now or timezone.now()
    out = []
    for instance in instances:
        tracked = _TRACKED[type(instance)]
        out.append(
            Change(
                organization_id=_organization_of(instance, tracked),
                resource=tracked.resource,
                object_id=str(instance.pk),
                action=action,
                changed_at=now,
            )
        )
    return out


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # fixtures loading
        Change.objects.bulk_create(rows_for([instance]))


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    Change.objects.bulk_create(rows_for([instance], DELETE))


# -- the feed ------------------------------------------------------------------------------------------
def _counter(organization_id: uuid.UUID) -> ChangeSequence:
    """The organization's counter, locked (created on the first read of its feed)."""
    with locks.bounded():
        counter = ChangeSequence.objects.select_for_update().filter(organization_id=organization_id).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            ChangeSequence.objects.create(organization_id=organization_id)
    except IntegrityError:
        pass  # another reader created it first
    with locks.bounded():
        return ChangeSequence.objects.select_for_update().get(organization_id=organization_id)


def stamp(organization_id: uuid.UUID) -> int:
    """Number the organization's committed changes that have no sequence yet; returns how many.

    Locks the organization's ``ChangeSequence`` row: two readers never number the same
    change, and the second sees (READ COMMITTED: each statement reads what is committed
    when it starts) what the first numbered. Raises BUSY when the lock wait runs out.
    """
    with transaction.atomic():
        counter = _counter(organization_id)
        pending = list(
            Change.objects.filter(organization_id=organization_id, sequence__isnull=True).order_by("id").only("id")[:STAMP_BATCH]
        )
        if not pending:
            return 0
        for number, change in enumerate(pending, start=counter.last + 1):
            change.sequence = number
        Change.objects.bulk_update(pending, ["sequence"], batch_size=1000)
        counter.last += len(pending)
        counter.save(update_fields=["last"])
        return len(pending)


def feed(
    organization_id: uuid.UUID, *, after: int, limit: int, resources: Sequence[str] | None = None
) -> tuple[list[Change], bool]:
    """The changes numbered after ``after`` (oldest first, at most ``limit``), and whether more follow.

    Stamps first (``stamp``), so every change committed before the call is in the answer or after it.
    """
    stamp(organization_id)
    qs = Change.objects.filter(organization_id=organization_id, sequence__gt=after)
    if resources is not None:
        qs = qs.filter(resource__in=list(resources))
    rows = list(qs.order_by("sequence")[: limit + 1])
    return rows[:limit], len(rows) > limit
