"""An export survives a real Celery worker killed halfway (tests.celery_worker: ``celery -A config worker`` as a
subprocess, on Redis when REDIS_URL is set): the worker restarts, the job runs again from the start under its next
attempt, and there is exactly one result file with every row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from core.jobs import send_now
from integrations import tasks
from integrations.models import ExportJob, ExportStatus
from tests.celery_worker import wait_until
from tests.integrations.factories import confirmed_registrations

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 30_000


def test_an_export_survives_a_worker_killed_halfway(client_owner, org, celery_worker_factory):
    confirmed_registrations(org, ROWS)
    media = str(django_settings.MEDIA_ROOT)
    env = {"MEDIA_ROOT": media, "EXPORT_BATCH_ROWS": "250", "EXPORT_LEASE_SECONDS": "4"}
    worker = celery_worker_factory(env=env)

    response = client_owner.post("/api/v1/exports", {"type": "registrations", "format": "csv"}, format="json")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]

    def halfway() -> bool:
        job = ExportJob.objects.get(pk=job_id)
        assert job.status != ExportStatus.SUCCEEDED, "the export finished before the worker could be killed"
        return job.rows_done >= 1000

    wait_until(halfway, timeout=60, interval=0.01, what="the export to be under way")
    worker.kill()  # SIGKILL, the worker and its pool: nothing acknowledged, nothing cleaned up
    dead = ExportJob.objects.get(pk=job_id)
    assert (dead.status, dead.attempt) == (ExportStatus.RUNNING, 1) and 1000 <= dead.rows_done < ROWS
    tmp = Path(media) / "exports" / "tmp"
    assert [p.name for p in tmp.iterdir()] == [f"{job_id}-1.part"]  # a partial file, never the result
    assert not (Path(media) / "exports" / str(org.pk)).exists()

    worker.start()

    # On Redis the unacknowledged message comes back to the new worker, which waits for the dead attempt's lease;
    # beat's sweep (sent here as beat would) finds the job too once the lease ran out. Either way: one result.
    def finished() -> bool:
        job = ExportJob.objects.get(pk=job_id)
        if job.status != ExportStatus.SUCCEEDED and job.claimed_until is not None and job.rows_done == dead.rows_done:
            send_now(tasks.sweep_exports)
        return job.status == ExportStatus.SUCCEEDED

    wait_until(finished, timeout=90, interval=1, what="the export to finish after the restart")
    done = ExportJob.objects.get(pk=job_id)
    assert done.attempt >= 2 and done.rows_done == ROWS
    [result] = list((Path(media) / "exports" / str(org.pk)).iterdir())
    assert result.name == f"{job_id}.csv"
    with result.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == ROWS and len({r["id"] for r in rows}) == ROWS
    assert list(tmp.iterdir()) == []  # the dead attempt's partial file is gone too
