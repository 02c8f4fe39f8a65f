"""Calendar changes whose ``calendars_on_outbox`` message was lost (the broker down at the commit, a worker killed)
reach the calendars through the calendars' beat job: it handles the last hour's calendar triggers again, so a missed
one gets its sync jobs and one already handled submits nothing (its jobs are found by their keys)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from connectors.models import ConnectorJob, JobStatus
from core.audit import SYSTEM
from core.models import OutboxEvent
from events import services as event_services
from integrations.calendars import sync

pytestmark = pytest.mark.django_db
VENDORS = ["google", "microsoft"]


def title(entry: dict[str, Any]) -> str:
    return str(entry.get("summary") or entry.get("subject"))


def syncs() -> int:
    return ConnectorJob.objects.filter(operation=sync.SYNC_OPERATION).count()


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_change_whose_message_was_lost_is_synced_by_the_sweep_once(
    vendor, fakes, conference, connect, django_capture_on_commit_callbacks
):
    fake = fakes[vendor]
    connect(vendor)
    assert sorted(title(e) for e in fake.live()) == ["Keynote (Summit)", "Summit"]
    before = syncs()
    # The change commits, but what runs after the commit (the message to calendars_on_outbox) never happens.
    with django_capture_on_commit_callbacks(execute=False):
        event_services.event_update(actor=SYSTEM, event=conference, data={"title": "Summit 2030"})
    row = OutboxEvent.objects.filter(event_type="event.updated").latest("created_at")
    assert syncs() == before and sorted(title(e) for e in fake.live()) == ["Keynote (Summit)", "Summit"]

    with django_capture_on_commit_callbacks(execute=True):
        assert sync.sweep_outbox(now=timezone.now()) == 0  # within its first minute: the message may still come
    later = row.created_at + dt.timedelta(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert sync.sweep_outbox(now=later) == 1
    job = ConnectorJob.objects.filter(operation=sync.SYNC_OPERATION).latest("created_at")
    assert job.status == JobStatus.SUCCEEDED and job.idempotency_key.endswith(f":{row.pk}")
    assert sorted(title(e) for e in fake.live()) == ["Keynote (Summit 2030)", "Summit 2030"]

    # The next ticks find the row's job by its key: nothing more is submitted or written.
    calls = len(fake.requests)
    with django_capture_on_commit_callbacks(execute=True):
        assert sync.sweep_outbox(now=later + dt.timedelta(minutes=5)) == 0
    assert syncs() == before + 1 and len(fake.requests) == calls
    # Rows older than the look-back are not read again.
    with django_capture_on_commit_callbacks(execute=True):
        assert sync.sweep_outbox(now=row.created_at + sync.SWEEP_LOOKBACK + dt.timedelta(seconds=1)) == 0


def test_a_change_whose_message_came_is_not_synced_again_and_no_calendar_means_no_work(
    google, conference, connect, django_capture_on_commit_callbacks, org
):
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_update(actor=SYSTEM, event=conference, data={"title": "Before connecting"})
    first = OutboxEvent.objects.filter(event_type="event.updated").latest("created_at")
    with django_capture_on_commit_callbacks(execute=True):
        assert sync.sweep_outbox(now=first.created_at + dt.timedelta(minutes=2)) == 0  # no calendar connected

    connect("google")
    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_update(actor=SYSTEM, event=conference, data={"title": "Summit 2030"})
    row = OutboxEvent.objects.filter(event_type="event.updated").latest("created_at")
    job = ConnectorJob.objects.filter(operation=sync.SYNC_OPERATION).latest("created_at")
    assert job.idempotency_key.endswith(f":{row.pk}") and job.status == JobStatus.SUCCEEDED
    count = syncs()
    with django_capture_on_commit_callbacks(execute=True):
        # The earlier row (before the connection) may bring the new calendar in step: it writes nothing new.
        sync.sweep_outbox(now=row.created_at + dt.timedelta(minutes=2))
    assert ConnectorJob.objects.filter(operation=sync.SYNC_OPERATION, idempotency_key__endswith=f":{row.pk}").count() == 1
    assert all(
        j.status == JobStatus.SUCCEEDED and j.result.get("written", 0) == 0
        for j in ConnectorJob.objects.filter(operation=sync.SYNC_OPERATION).order_by("created_at")[count:]
    )
    assert sorted(str(e["summary"]) for e in google.live()) == ["Keynote (Summit 2030)", "Summit 2030"]
