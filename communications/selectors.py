"""Reads of messages: email analytics per event and type, templates of an organization."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from communications.models import EmailSettings, Message, MessageStatus, MessageTemplate

ACCEPTED = [s for s in MessageStatus.values if s not in (MessageStatus.QUEUED, MessageStatus.SUPPRESSED, MessageStatus.FAILED)]


def analytics(*, organization_id: Any, event_id: Any) -> list[dict[str, Any]]:
    """Per message type of the event: queued, sent (accepted by the vendor), delivered, opened, clicked, bounced,
    suppressed and failed messages (opened and clicked count messages, not opens)."""
    rows = (
        Message.objects.filter(organization_id=organization_id, event_id=event_id)
        .values("type")
        .annotate(
            total=Count("id"),
            sent=Count("id", filter=Q(status__in=ACCEPTED)),
            delivered=Count("id", filter=Q(delivered_at__isnull=False)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            clicked=Count("id", filter=Q(clicked_at__isnull=False)),
            bounced=Count("id", filter=Q(status=MessageStatus.BOUNCED)),
            suppressed=Count("id", filter=Q(status=MessageStatus.SUPPRESSED)),
            failed=Count("id", filter=Q(status=MessageStatus.FAILED)),
        )
        .order_by("type")
    )
    return [dict(row) for row in rows]


def template_list(*, organization_id: Any) -> list[MessageTemplate]:
    return list(MessageTemplate.objects.filter(organization_id=organization_id).order_by("type", "language"))


def own_templates(organization_id: Any, type: str) -> dict[str, tuple[str, str, str]]:
    """The organization's own templates of ``type``: language -> (subject, text, html)."""
    return {
        t.language: (t.subject, t.text, t.html)
        for t in MessageTemplate.objects.filter(organization_id=organization_id, type=type)
    }


def default_language(organization_id: Any) -> str:
    """The organization's language of messages (``EmailSettings``), else English."""
    row = EmailSettings.objects.filter(organization_id=organization_id).first()
    return row.default_language if row is not None else "en"
