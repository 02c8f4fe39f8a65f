"""Celery tasks of registrations: the periodic expiry of unpaid registrations."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from core.audit import SYSTEM
from core.jobs import TASK_DEFAULTS
from core.locks import Busy
from registrations.services import registrations_expire_pending


@shared_task(name="registrations.expire_pending", autoretry_for=(OperationalError, Busy), **TASK_DEFAULTS)
def expire_pending_registrations() -> int:
    """Cancel pending-payment registrations past their payment window (beat, every minute).

    Idempotent: a second run finds nothing left to expire. ``manage.py expire_registrations`` runs it in-process.
    """
    return registrations_expire_pending(actor=SYSTEM)
