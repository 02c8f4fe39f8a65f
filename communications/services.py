"""Writes of messages: queue one (through the organization's email connection, the platform's SendGrid key, or the
local SMTP / console backend), record what the vendor reports, keep the suppression list.

Every message is written with the decision that causes it (one transaction) and sent after the commit as a
connector job (``communications.sendgrid``) or a local delivery task; ``dedupe_key`` makes a trigger that fires
twice queue it once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction

from accounts.models import Organization
from communications import errors, templates
from communications.content import to_content
from communications.models import (
    Message,
    MessageEvent,
    MessageStatus,
    MessageTemplate,
    MessageType,
    Preference,
    Suppression,
    SuppressionReason,
)
from connectors import clock, jobs
from connectors.models import Connection, ConnectionStatus, Kind
from core import audit
from core.audit import Actor
from core.errors import DomainError
from core.jobs import enqueue

SENDGRID = "sendgrid"
LOCAL = "local"
SEND_OPERATION = "sendgrid.mail_send"


def email_connection(organization_id: Any) -> Connection | None:
    """The connection an organization's mail goes through: its own SendGrid connection, else one for the platform's
    key (``SENDGRID_API_KEY``, created on first use), else None (the local SMTP / console backend)."""
    candidates = (
        Connection.objects.filter(organization_id=organization_id, kind=Kind.EMAIL, vendor=SENDGRID)
        .exclude(status=ConnectionStatus.DISCONNECTED)
        .order_by("-created_at")
    )
    connections = list(candidates[:10])
    own = next((c for c in connections if not c.settings.get("platform")), None)
    if own is not None:
        return own
    if not settings.SENDGRID_API_KEY:
        return None
    platform = next((c for c in connections if c.settings.get("platform")), None)
    if platform is None:
        platform = Connection.objects.create(
            organization_id=organization_id,
            kind=Kind.EMAIL,
            vendor=SENDGRID,
            mode="live",
            name="The platform's SendGrid account",
            settings={"platform": True},
            created_by="platform",
        )
    return platform


def is_suppressed(organization_id: Any, email: str) -> bool:
    return Suppression.objects.filter(organization_id=organization_id, email=email.strip().lower()).exists()


def message_queue(
    *,
    organization: Organization | uuid.UUID | str,
    email: EmailMessage,
    type: str = MessageType.OTHER,
    event_id: uuid.UUID | str | None = None,
    dedupe_key: str = "",
) -> Message:
    """Queue ``email`` (to its first recipient; ``to`` holds one address) in the caller's transaction.

    The same ``dedupe_key`` twice returns the first message and sends nothing more. A suppressed recipient gets a
    ``suppressed`` row and no send.
    """
    organization_id = organization.pk if isinstance(organization, Organization) else uuid.UUID(str(organization))
    recipient = str(email.to[0]) if email.to else ""
    key = dedupe_key or f"message:{uuid.uuid4()}"
    existing = Message.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing
    content = to_content(email)
    suppressed = is_suppressed(organization_id, _address(recipient))
    with transaction.atomic():
        connection = None if suppressed else email_connection(organization_id)
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    organization_id=organization_id,
                    event_id=event_id,
                    type=type,
                    recipient=_address(recipient),
                    subject=str(email.subject)[:300],
                    status=MessageStatus.SUPPRESSED if suppressed else MessageStatus.QUEUED,
                    connection=connection,
                    vendor="" if suppressed else (SENDGRID if connection is not None else LOCAL),
                    dedupe_key=key,
                    content=content,
                )
        except IntegrityError:  # the same trigger in a concurrent transaction won
            return Message.objects.get(dedupe_key=key)
        if suppressed:
            return message
        if connection is not None:
            jobs.submit(
                connection=connection,
                operation=SEND_OPERATION,
                payload={"message": str(message.pk)},
                idempotency_key=f"email:{message.pk}",
            )
        else:
            from communications.tasks import deliver_local

            enqueue(deliver_local, str(message.pk))
    return message


def _address(value: str) -> str:
    from email.utils import parseaddr

    return parseaddr(value)[1].strip().lower()


def message_sent(*, message_id: Any, vendor_message_id: str) -> None:
    Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENT, vendor_message_id=vendor_message_id[:255], sent_at=clock.now(), error=""
    )


def message_failed(*, message_id: Any, error: str) -> None:
    Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(status=MessageStatus.FAILED, error=error[:500])


# What each vendor event does to the message: the status it moves to (None: unchanged), the timestamp it sets,
# and whether the address goes on the suppression list.
EVENT_EFFECTS: dict[str, tuple[str | None, str | None, str | None]] = {
    "processed": (None, None, None),
    "delivered": (MessageStatus.DELIVERED, "delivered_at", None),
    "deferred": (MessageStatus.DEFERRED, None, None),
    "open": (None, "opened_at", None),
    "click": (None, "clicked_at", None),
    "bounce": (MessageStatus.BOUNCED, "bounced_at", SuppressionReason.BOUNCE),
    "dropped": (MessageStatus.DROPPED, None, SuppressionReason.DROPPED),
    "spamreport": (MessageStatus.SPAM, None, SuppressionReason.SPAM),
}
# A later status never overwrites a final one (a "deferred" arriving after "delivered" changes nothing).
_FINAL = {MessageStatus.DELIVERED, MessageStatus.BOUNCED, MessageStatus.DROPPED, MessageStatus.SPAM}


def message_event_record(
    *, message: Message, kind: str, vendor_event_id: str, occurred_at: dt.datetime, data: dict[str, Any]
) -> bool:
    """Record one vendor event of ``message`` once; False for a repeat or a kind the platform does not track."""
    if kind not in EVENT_EFFECTS:
        return False
    status, stamp, suppress = EVENT_EFFECTS[kind]
    with transaction.atomic():
        try:
            with transaction.atomic():
                MessageEvent.objects.create(
                    organization_id=message.organization_id,
                    message=message,
                    kind=kind,
                    vendor_event_id=vendor_event_id[:255],
                    occurred_at=occurred_at,
                    data=data,
                )
        except IntegrityError:
            return False
        changes: dict[str, Any] = {}
        if stamp is not None and getattr(message, stamp) is None:
            changes[stamp] = occurred_at
        if status is not None and (message.status not in _FINAL or status in (MessageStatus.BOUNCED, MessageStatus.SPAM)):
            changes["status"] = status
        if changes:
            Message.objects.filter(pk=message.pk).update(**changes)
        if suppress is not None:
            suppression_add(organization_id=message.organization_id, email=message.recipient, reason=suppress, message=message)
    return True


def suppression_add(*, organization_id: Any, email: str, reason: str, message: Message | None = None) -> Suppression:
    suppression, _ = Suppression.objects.get_or_create(
        organization_id=organization_id,
        email=email.strip().lower(),
        defaults={"reason": reason, "message": message, "created_at": clock.now()},
    )
    return suppression


def preference_set(*, organization_id: Any, email: str, reminders: bool, surveys: bool) -> Preference:
    """An attendee's choice of optional messages; honoured by the next send."""
    preference, _ = Preference.objects.update_or_create(
        organization_id=organization_id,
        email=email.strip().lower(),
        defaults={"reminders": reminders, "surveys": surveys, "updated_at": clock.now()},
    )
    return preference


def template_check(*, type: str, subject: str, text: str, html: str) -> None:
    """Raise EMAIL_TEMPLATE_INVALID when a part is not a template or names a variable the type does not document."""
    found = templates.problems(type, subject, text, html)
    if found:
        raise DomainError(
            errors.EMAIL_TEMPLATE_INVALID,
            target="template",
            details=[{"target": part, "code": "INVALID", "message": problem} for part, problem in found.items()],
        )


def template_save(
    *, actor: Actor, organization: Organization, type: str, language: str, subject: str, text: str, html: str
) -> MessageTemplate:
    """Create or replace the organization's template of ``type`` in ``language``. Raises EMAIL_TEMPLATE_INVALID
    when a part is not a template or names a variable the type does not document."""
    template_check(type=type, subject=subject, text=text, html=html)
    with transaction.atomic():
        template, created = MessageTemplate.objects.update_or_create(
            organization=organization, type=type, language=language, defaults={"subject": subject, "text": text, "html": html}
        )
        audit.record(
            actor=actor,
            action="email_template.saved",
            target=template,
            organization_id=organization.pk,
            changes={"type": type, "language": language, "created": created},
        )
    return template


def template_test_send(*, actor: Actor, organization: Organization, type: str, language: str, to: str) -> Message:
    """Send the type's template (the organization's, else the default) with sample variables to ``to``."""
    if is_suppressed(organization.pk, to):
        raise DomainError(errors.EMAIL_ADDRESS_SUPPRESSED, target="to")
    own = MessageTemplate.objects.filter(organization=organization, type=type, language=language).first()
    subject, text, html = (own.subject, own.text, own.html) if own else templates.DEFAULTS[type]
    rendered = templates.render(subject, text, html, templates.sample(type, organization.name))
    email = EmailMultiAlternatives(
        subject=f"[Test] {rendered.subject}", body=rendered.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    email.attach_alternative(rendered.html, "text/html")
    with transaction.atomic():
        message = message_queue(organization=organization, email=email, type=type)
        audit.record(
            actor=actor,
            action="email_template.test_sent",
            target=message,
            organization_id=organization.pk,
            changes={"type": type, "language": language},
        )
    return message
