"""Celery tasks of the status page: the subscribers' emails."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import OperationalError
from django.utils import timezone

from core.jobs import TASK_DEFAULTS
from status.models import IncidentUpdate, Maintenance, Subscription


@shared_task(name="status.notify", autoretry_for=(OperationalError,), **TASK_DEFAULTS)
def notify(kind: str, pk: str) -> int:
    """Email every subscribed developer about an incident update or a maintenance announcement, once.

    The row is claimed by setting ``notified_at`` with a conditional UPDATE first, so a
    retried or redelivered task sends nothing twice. Returns the emails sent.
    """
    model = IncidentUpdate if kind == "update" else Maintenance
    if not model.objects.filter(pk=pk, notified_at__isnull=True).update(notified_at=timezone.now()):
        return 0
    recipients = sorted(
        email for email in Subscription.objects.values_list("user__email", flat=True).order_by("user__email") if email
    )
    if not recipients:
        return 0
    subject, body = _message(kind, pk)
    messages = [(subject, body, None, [email]) for email in recipients]  # one each: no list of addresses leaks
    return send_mass_mail(messages, fail_silently=False, connection=get_connection())


def _message(kind: str, pk: str) -> tuple[str, str]:
    page = f"{settings.SITE_URL}/status/"
    if kind == "update":
        update = IncidentUpdate.objects.select_related("incident").get(pk=pk)
        subject = f"[Status] {update.incident.title}: {update.get_status_display()}"
        body = f"{update.body}\n\nAffects: {update.incident.component_labels}\n\n{page}"
    else:
        maintenance = Maintenance.objects.get(pk=pk)
        subject = f"[Status] Scheduled maintenance: {maintenance.title}"
        body = (
            f"{maintenance.body}\n\nFrom {maintenance.starts_at:%Y-%m-%d %H:%M} to {maintenance.ends_at:%Y-%m-%d %H:%M} UTC."
            f"\nAffects: {maintenance.component_labels}\n\n{page}"
        )
    return subject, body + "\n\nYou receive this because you subscribed on the status page; unsubscribe there."
