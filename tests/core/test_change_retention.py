"""The change log's retention (core.changes.purge, ADR 0032): bounded batches, numbered rows only, a horizon that only
rises, and a stamping reader never raced. The partner's view (410, compaction seen through the feed) is in
tests/api/test_sync.py."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import changes
from core.models import Change, ChangeSequence
from core.tasks import purge_changes
from tests.core.test_locks import other_connection

OLD = dt.timedelta(days=100)


def log(organization_id: uuid.UUID, object_id: str, *, age: dt.timedelta = OLD, action: str = changes.UPSERT) -> Change:
    return Change.objects.create(
        organization_id=organization_id,
        resource="venues",
        object_id=object_id,
        action=action,
        changed_at=timezone.now() - age,
    )


def sequences(organization_id: uuid.UUID) -> list[int | None]:
    return list(Change.objects.filter(organization_id=organization_id).order_by("id").values_list("sequence", flat=True))


@pytest.mark.django_db
def test_rows_without_a_sequence_are_never_deleted_by_the_retention_or_the_compaction():
    org = uuid.uuid4()
    for object_id in ("a", "a", "b"):
        log(org, object_id)
    future = timezone.now() + dt.timedelta(days=1)
    assert changes.expire(before=future) == 0
    assert changes.compact(before=future) == 0
    assert sequences(org) == [None, None, None]
    # Numbered, the same rows go: the compaction first (a's first change), then the retention (all).
    changes.stamp(org)
    assert changes.compact(before=future) == 1
    assert changes.expire(before=future) == 2
    assert sequences(org) == [] and changes.horizon(org) == 3


@pytest.mark.django_db
def test_the_purge_numbers_the_old_changes_no_reader_numbered_then_applies_the_retention():
    org, recent_org = uuid.uuid4(), uuid.uuid4()
    for object_id in ("a", "b", "c"):
        log(org, object_id)
    log(recent_org, "x", age=dt.timedelta(minutes=1))  # inside the settle window: left to the feed's readers

    done = changes.purge()

    assert (done.stamped, done.expired, done.compacted) == (3, 3, 0)
    assert sequences(org) == [] and changes.horizon(org) == 3
    assert sequences(recent_org) == [None]


@pytest.mark.django_db
def test_the_horizon_only_rises_and_is_kept_per_organization():
    org, other = uuid.uuid4(), uuid.uuid4()
    for object_id in ("a", "b", "c"):
        log(org, object_id)
    log(other, "z")
    changes.stamp(org)
    changes.stamp(other)
    # Delete sequence 3 first (the one made longest ago), then 1 and 2: the horizon stays at 3.
    Change.objects.filter(organization_id=org, sequence=3).update(changed_at=timezone.now() - OLD - OLD)
    assert changes.expire(before=timezone.now() - OLD - dt.timedelta(days=1)) == 1
    assert changes.horizon(org) == 3 and changes.horizon(other) == 0
    assert changes.expire(before=timezone.now()) == 3
    assert changes.horizon(org) == 3 and changes.horizon(other) == 1
    assert ChangeSequence.objects.get(organization_id=org).last == 3  # the stamping's counter is untouched


@pytest.mark.django_db
def test_each_statement_deletes_a_bounded_batch(settings):
    org = uuid.uuid4()
    for i in range(5):
        log(org, f"old-{i}")
    for _ in range(5):
        log(org, "busy", age=dt.timedelta(days=1))  # 4 superseded changes of one object
    changes.stamp(org)

    with CaptureQueriesContext(connection) as ctx:
        assert changes.expire(before=timezone.now() - dt.timedelta(days=90), batch=2) == 5
        assert changes.compact(before=timezone.now(), batch=2) == 4

    deletes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3 + 3  # ceil(5 / 2) for each
    for sql in deletes:
        (ids,) = re.findall(r'"core_change"\."id" IN \(([^)]*)\)', sql)
        assert len(ids.split(",")) <= 2, sql
    # Each retention batch is its own transaction (a savepoint inside the test's): the DELETE and the horizon.
    assert sum(1 for q in ctx.captured_queries if q["sql"].startswith("SAVEPOINT")) >= 3
    assert sequences(org) == [10]


@pytest.mark.django_db
def test_the_beat_task_runs_the_purge():
    org = uuid.uuid4()
    log(org, "a")
    log(org, "a", age=dt.timedelta(days=2))
    log(org, "a", age=dt.timedelta(days=1))
    assert purge_changes() == {"stamped": 3, "expired": 1, "compacted": 1}
    assert sequences(org) == [3] and changes.horizon(org) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_organization_whose_counter_a_reader_holds_is_skipped_not_waited_for(settings: Any):
    """The purge never numbers changes itself: it calls ``stamp``, which waits for the counter's row lock at most
    DB_LOCK_TIMEOUT_MS; an organization a reader is stamping now keeps its unnumbered changes for the next run."""
    settings.DB_LOCK_TIMEOUT_MS = 300
    held, free = uuid.uuid4(), uuid.uuid4()
    for org in (held, free):
        ChangeSequence.objects.create(organization_id=org)
        log(org, "a")
    with other_connection() as reader:
        reader.execute(f"SELECT last FROM {ChangeSequence._meta.db_table} WHERE organization_id = %s FOR UPDATE", [held])
        done = changes.purge()
    assert (done.stamped, done.expired) == (1, 1)
    assert sequences(held) == [None] and changes.horizon(held) == 0
    assert sequences(free) == [] and changes.horizon(free) == 1
    assert changes.purge().expired == 1 and sequences(held) == []  # the next run, the lock released
