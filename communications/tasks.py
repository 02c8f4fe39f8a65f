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


TRIGGERS = {"registration.confirmed", "event.updated", "event.cancelled"}


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError,))
def on_outbox(ids: list[str]) -> int:
    """Messages of committed outbox rows: confirmations, event changes and cancellations (idempotent by key)."""
    from communications import notify
    from core.models import OutboxEvent

    count = 0
    for row in OutboxEvent.objects.filter(pk__in=ids, event_type__in=TRIGGERS).order_by("created_at"):
        if row.event_type == "registration.confirmed":
            notify.registration_confirmed(row.data.get("id"))
            count += 1
        else:
            count += notify.event_changed(row.data.get("id"), row.pk)
    return count


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError,))
def run_schedule() -> int:
    """Every EMAIL_SCHEDULE_SECONDS: reminders, check-in instructions, surveys and certificates now due."""
    from communications import notify

    return sum(notify.run(kind, event_id, days) for kind, event_id, days in notify.due_work(clock.now()))
