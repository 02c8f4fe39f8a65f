"""The periodic jobs: one declaration in settings, installed by beat's DatabaseScheduler, each a registered task."""

from __future__ import annotations

import pytest
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app

JOBS = {
    "expire-pending-registrations": ("registrations.expire_pending", 60),
    "complete-ended-events": ("events.complete_ended", 15 * 60),
    "purge-rate-limits": ("api.purge_rate_limits", 5 * 60),
    "purge-idempotency-keys": ("api.purge_idempotency_keys", 3600),
    "purge-api-usage": ("api.purge_usage", 24 * 3600),
    "clear-expired-oauth-tokens": ("accounts.clear_expired_oauth_tokens", 24 * 3600),
    "webhooks-sweep": ("integrations.tasks.sweep", 30),
    "webhooks-purge": ("integrations.tasks.purge", 24 * 3600),
    "connectors-sweep": ("connectors.tasks.sweep", 30),
    "connectors-purge": ("connectors.tasks.purge", 24 * 3600),
    "exports-sweep": ("integrations.sweep_exports", 60),
    "export-schedules": ("integrations.export_schedules_tick", 60),
    "imports-sweep": ("registrations.sweep_imports", 60),
    "receipts-sweep": ("payments.sweep_receipts", 5 * 60),
    "heartbeat": ("core.heartbeat", 30),
    "payments-reconcile": ("payments.reconcile_gateways", 5 * 60),
    "email-schedule": ("communications.tasks.run_schedule", 5 * 60),
    "calendars-sweep": ("integrations.calendars_sweep", 5 * 60),
    "changes-purge": ("core.purge_changes", 24 * 3600),
}


@pytest.mark.django_db
def test_every_declared_job_names_a_task_the_worker_registers():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every app's tasks.py
    assert {name: (entry["task"], entry["schedule"]) for name, entry in settings.CELERY_BEAT_SCHEDULE.items()} == JOBS
    missing = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in app.tasks]
    assert missing == []
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = app.tasks[entry["task"]]
        assert task.acks_late and task.reject_on_worker_lost
    # The tasks sent on demand too: dispatch and delivery are redelivered if a worker dies holding them.
    for name in (
        "integrations.tasks.dispatch_outbox",
        "integrations.tasks.deliver",
        "integrations.tasks.recover",
        "payments.send_receipt",
        "integrations.run_export",
        "integrations.run_scheduled_export",
        "registrations.run_import",
    ):
        assert app.tasks[name].acks_late and app.tasks[name].reject_on_worker_lost, name


# Beat runs in autocommit and closes its connection between reads: no test transaction around it.
@pytest.mark.django_db(transaction=True)
def test_the_database_scheduler_installs_the_declared_jobs_and_updates_them_on_the_next_start():
    DatabaseScheduler(app=app)

    installed = {t.name: (t.task, t.interval.every, t.interval.period, t.expire_seconds) for t in PeriodicTask.objects.all()}
    assert installed == {name: (task, seconds, IntervalSchedule.SECONDS, seconds) for name, (task, seconds) in JOBS.items()}
    assert all(t.enabled for t in PeriodicTask.objects.all())

    declared = app.conf.beat_schedule
    app.conf.beat_schedule = {**declared, "complete-ended-events": {**declared["complete-ended-events"], "schedule": 120}}
    try:
        DatabaseScheduler(app=app)
    finally:
        app.conf.beat_schedule = declared

    assert PeriodicTask.objects.count() == len(JOBS)
    assert PeriodicTask.objects.get(name="complete-ended-events").interval.every == 120
