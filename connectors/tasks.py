"""Celery tasks of the connectors: run a job, process a notification, the sweep and the purge (ids in, idempotent)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from connectors import clock, intake, jobs
from connectors.models import CallLog, ConnectorJob, InboundEvent, JobStatus
from core.jobs import TASK_DEFAULTS, send_now
from core.locks import Busy


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def run_job(job_id: str) -> str | None:
    return jobs.run(job_id)


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def process_inbound(event_id: str) -> str | None:
    return intake.process(event_id)


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def sweep(batch: int = 200) -> int:
    """Every 30 s: run due jobs and (re)process notifications; here when the broker cannot take them."""
    count = 0
    for job_id in jobs.due(limit=batch):
        if not send_now(run_job, job_id):
            jobs.run(job_id)
        count += 1
    for event_id in intake.due(limit=batch):
        if not send_now(process_inbound, event_id):
            intake.process(event_id)
        count += 1
    return count


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError,))
def purge() -> int:
    """Daily: call logs, notifications and finished jobs older than CONNECTOR_LOG_RETENTION_DAYS."""
    cutoff = clock.now() - dt.timedelta(days=settings.CONNECTOR_LOG_RETENTION_DAYS)
    removed = CallLog.objects.filter(created_at__lt=cutoff).delete()[0]
    removed += InboundEvent.objects.filter(received_at__lt=cutoff).exclude(status="received").delete()[0]
    removed += ConnectorJob.objects.filter(finished_at__lt=cutoff).exclude(status=JobStatus.PENDING).delete()[0]
    return removed
