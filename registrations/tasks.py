"""Celery tasks of registrations: the periodic expiry of unpaid registrations; import jobs."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import DatabaseError, OperationalError

from core.audit import SYSTEM
from core.jobs import TASK_DEFAULTS, send_now
from core.locks import Busy
from registrations.services import registrations_expire_pending


@shared_task(name="registrations.expire_pending", autoretry_for=(OperationalError, Busy), **TASK_DEFAULTS)
def expire_pending_registrations() -> int:
    """Cancel pending-payment registrations past their payment window (beat, every minute).

    Idempotent: a second run finds nothing left to expire. ``manage.py expire_registrations`` runs it in-process.
    """
    return registrations_expire_pending(actor=SYSTEM)


# -- imports (registrations.imports) -------------------------------------------------------------
@shared_task(name="registrations.run_import", bind=True, autoretry_for=(DatabaseError, Busy), **TASK_DEFAULTS)
def run_import(self: Task, job_id: str) -> bool:
    """Run an import if no live worker holds it; True when this run recorded its result. Idempotent.

    A message redelivered while a dead worker's lease still runs comes back when the lease ends;
    the rows that worker committed are skipped.
    """
    from registrations import imports

    if imports.import_run(job_id=job_id):
        return True
    left = imports.lease_left(job_id)
    if left is not None:
        raise self.retry(countdown=left + 1, max_retries=None)
    return False


@shared_task(name="registrations.sweep_imports", autoretry_for=(DatabaseError, Busy), **TASK_DEFAULTS)
def sweep_imports() -> int:
    """Send every import whose message was lost or whose worker died (its lease ran out); beat runs it."""
    from registrations import imports

    due = imports.imports_due()
    for job_id in due:
        send_now(run_import, str(job_id))
    return len(due)
