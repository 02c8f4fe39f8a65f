"""Celery tasks of events: the periodic completion of events that have ended."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from core.audit import SYSTEM
from core.jobs import TASK_DEFAULTS
from core.locks import Busy
from events.services import events_complete_ended


@shared_task(name="events.complete_ended", autoretry_for=(OperationalError, Busy), **TASK_DEFAULTS)
def complete_ended_events() -> int:
    """Complete every published event whose end has passed (beat, every 15 minutes).

    Idempotent: a completed event is no longer published. ``manage.py complete_events`` runs it in-process.
    """
    return events_complete_ended(actor=SYSTEM)
