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
misses one. The feed stamps before it reads.

Retention (``purge``, daily in beat, ADR 0032). A change superseded by a later change of the
same object tells nothing the later one does not ("upsert": read the row again; "delete":
drop it), so once it is older than ``CHANGE_COMPACTION_SETTLE_SECONDS`` it is deleted; a
partner at any cursor still reads each object's latest change after it. Changes older than
``CHANGE_RETENTION_DAYS`` are deleted, and the organization's ``ChangeSequence.horizon``
keeps the highest sequence so deleted: a cursor below it may have missed a change and is
answered 410 ``CHANGE_CURSOR_EXPIRED``; a feed read without a cursor starts at it. Only
numbered changes are deleted: the purge numbers the old ones no reader numbered through
``stamp`` first, under the same lock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, IntegerField, Model, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core import locks
from core.errors import CHANGE_CURSOR_EXPIRED, DomainError
from core.models import Change, ChangeSequence

UPSERT, DELETE = "upsert", "delete"
# Changes numbered by one stamp at most (a reader stamps again on its next page).
STAMP_BATCH = 5000
# Changes one statement (and one transaction) of the purge deletes at most.
PURGE_BATCH = 1000


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


def _horizon(organization_id: uuid.UUID) -> Subquery:
    return Subquery(ChangeSequence.objects.filter(organization_id=organization_id).values("horizon")[:1])


def horizon(organization_id: uuid.UUID) -> int:
    """The highest sequence the retention deleted in the organization (0: none)."""
    found = ChangeSequence.objects.filter(organization_id=organization_id).values_list("horizon", flat=True).first()
    return found or 0


def feed(
    organization_id: uuid.UUID, *, after: int | None, limit: int, resources: Sequence[str] | None = None
) -> tuple[list[Change], bool, int]:
    """The changes numbered after ``after`` (oldest first, at most ``limit``), whether more follow, and where the
    answer starts (``after``; the horizon when ``after`` is None).

    Stamps first (``stamp``), so every change committed before the call is in the answer or after it.
    Raises CHANGE_CURSOR_EXPIRED (410) when the retention deleted a change numbered after ``after``.

    The horizon is read in the rows' own statement (one snapshot: a purge that committed before it
    shows in both, one that commits after it in neither), or after it when there is no row: a change
    deleted under the reader's feet always raises the horizon the reader checks.
    """
    stamp(organization_id)
    qs = Change.objects.filter(organization_id=organization_id, sequence__gt=after or 0).annotate(
        horizon=Coalesce(_horizon(organization_id), Value(0), output_field=IntegerField())
    )
    if after is None:
        qs = qs.filter(sequence__gt=Coalesce(_horizon(organization_id), Value(0), output_field=IntegerField()))
    if resources is not None:
        qs = qs.filter(resource__in=list(resources))
    annotated = list(qs.order_by("sequence")[: limit + 1])
    edge: int = annotated[0].horizon if annotated else horizon(organization_id)
    rows: list[Change] = list(annotated)
    if after is None:
        after = edge
    elif edge > after:
        raise DomainError(
            CHANGE_CURSOR_EXPIRED,
            details=f"Changes up to sequence {edge} are no longer kept ({settings.CHANGE_RETENTION_DAYS} days): "
            "copy the lists again and read the feed without a cursor.",
            target="cursor",
            extra={"horizon": edge},
        )
    return rows[:limit], len(rows) > limit, after


# -- retention -----------------------------------------------------------------------------------------
@dataclass
class Purged:
    stamped: int = 0  # old changes no reader had numbered, numbered now
    expired: int = 0  # changes past the retention, deleted
    compacted: int = 0  # superseded changes, deleted


def purge(*, now: dt.datetime | None = None, batch: int = PURGE_BATCH) -> Purged:
    """Number the old changes, then delete those past ``CHANGE_RETENTION_DAYS`` and the superseded ones older than
    ``CHANGE_COMPACTION_SETTLE_SECONDS``, ``batch`` rows a statement, each batch its own short transaction."""
    now = now or timezone.now()
    settle = now - dt.timedelta(seconds=settings.CHANGE_COMPACTION_SETTLE_SECONDS)
    done = Purged()
    done.stamped = _stamp_old(settle)
    done.expired = expire(before=now - dt.timedelta(days=settings.CHANGE_RETENTION_DAYS), batch=batch)
    done.compacted = compact(before=settle, batch=batch)
    return done


def _stamp_old(before: dt.datetime) -> int:
    """Number, through ``stamp``, the changes older than ``before`` that no feed read numbered yet.

    An organization nobody reads the feed of would otherwise keep its changes for ever. An
    organization whose counter is locked is skipped: a reader holds it and numbers them itself.
    """
    stamped = 0
    organizations = (
        Change.objects.filter(sequence__isnull=True, changed_at__lt=before).values_list("organization_id", flat=True).distinct()
    )
    for organization_id in list(organizations):
        try:
            while True:
                n = stamp(organization_id)
                stamped += n
                if n < STAMP_BATCH:
                    break
        except locks.Busy:
            continue
    return stamped


def expire(*, before: dt.datetime, batch: int = PURGE_BATCH) -> int:
    """Delete the numbered changes made before ``before``, raising each organization's horizon in the same
    transaction; returns how many. Never deletes a change without a sequence.

    Each batch locks the counters it raises only for its last statement, after its DELETE: the
    stamping (which locks the counter and numbers changes without a sequence, never these) waits
    at most that long.
    """
    deleted = 0
    while True:
        with transaction.atomic():
            rows = list(
                Change.objects.filter(changed_at__lt=before, sequence__isnull=False)
                .order_by("id")
                .values_list("id", "organization_id", "sequence")[:batch]
            )
            if not rows:
                return deleted
            deleted += Change.objects.filter(id__in=[r[0] for r in rows], sequence__isnull=False).delete()[0]
            tops: dict[uuid.UUID, int] = {}
            for _, organization_id, sequence in rows:
                tops[organization_id] = max(tops.get(organization_id, 0), sequence or 0)
            with locks.bounded():
                for organization_id in sorted(tops):  # one order for every purge: no deadlock between two
                    top = tops[organization_id]
                    ChangeSequence.objects.filter(organization_id=organization_id, horizon__lt=top).update(horizon=top)


def compact(*, before: dt.datetime, batch: int = PURGE_BATCH) -> int:
    """Delete the numbered changes made before ``before`` that a later-numbered change of the same object
    supersedes; returns how many. Walks the log in id order, ``batch`` rows a statement (each its own transaction).

    The latest change of every object stays, so a partner at any cursor still reads it; nothing
    is deleted that the horizon would have to cover.
    """
    later = Change.objects.filter(
        organization_id=OuterRef("organization_id"),
        resource=OuterRef("resource"),
        object_id=OuterRef("object_id"),
        sequence__gt=OuterRef("sequence"),
    )
    deleted, last_id = 0, 0
    while True:
        ids = list(
            Change.objects.filter(id__gt=last_id, changed_at__lt=before, sequence__isnull=False)
            .order_by("id")
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return deleted
        last_id = ids[-1]
        deleted += Change.objects.filter(id__in=ids, sequence__isnull=False).filter(Exists(later)).delete()[0]
