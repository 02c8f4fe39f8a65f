"""Celery tasks of accounts: the periodic clean-up of expired OAuth tokens."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from oauth2_provider.models import clear_expired

from core.jobs import TASK_DEFAULTS
from core.locks import Busy


@shared_task(name="accounts.clear_expired_oauth_tokens", autoretry_for=(OperationalError, Busy), **TASK_DEFAULTS)
def clear_expired_oauth_tokens() -> None:
    """Delete expired and revoked OAuth tokens and grants (beat, daily).

    django-oauth-toolkit's own ``manage.py cleartokens`` calls the same ``clear_expired``.
    """
    clear_expired()
