"""Celery tasks of communications (ids in, idempotent)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError

from communications.content import from_content
from communications.models import Message, MessageStatus
from connectors import clock
from core.jobs import TASK_DEFAULTS


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError,))
def deliver_local(message_id: str) -> str | None:
    """Send a message through ``EMAIL_FALLBACK_BACKEND`` (no vendor configured): claimed first, so once."""
    claimed = Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENT, sent_at=clock.now()
    )
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)
    try:
        get_connection(settings.EMAIL_FALLBACK_BACKEND).send_messages([from_content(message.content)])
    except Exception as exc:  # SMTP refused or unreachable: shown on the message, not retried into a duplicate
        Message.objects.filter(pk=message_id).update(status=MessageStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:500])
        return MessageStatus.FAILED
    return MessageStatus.SENT
