"""Writes of messages: queue one (through the organization's email connection, the platform's SendGrid key, or the
local SMTP / console backend), record what the vendor reports, keep the suppression list.

Every message is written with the decision that causes it (one transaction) and sent after the commit as a
connector job (``communications.sendgrid``) or a local delivery task; ``dedupe_key`` makes a trigger that fires
twice queue it once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction

from accounts.models import Organization
from communications import errors, templates
from communications.content import to_content
from communications.models import (
    EmailSettings,
    Message,
    MessageBatch,
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
BATCH_OPERATION = "sendgrid.mail_send_batch"


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
    language: str = "",
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
                    language=language,
                )
        except IntegrityError:  # the same trigger in a concurrent transaction won
            return Message.objects.get(dedupe_key=key)
        if not suppressed:
            _dispatch(message, connection)
    return message


def _dispatch(message: Message, connection: Connection | None) -> None:
    """Send one queued message after the commit: a connector job of its own, or the local backend's task."""
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


@dataclass
class Outgoing:
    """One message of a bulk run: the recipient's own email, and (when it may go in a batch) the batch's shared
    text it belongs to with the recipient's substitutions and per-recipient headers."""

    email: EmailMessage
    dedupe_key: str
    language: str = ""
    shared: EmailMessage | None = None
    merge: dict[str, str] = field(default_factory=dict)


def messages_queue_bulk(
    *, organization_id: Any, type: str, event_id: Any, outgoing: list[Outgoing], batch_size: int | None = None
) -> int:
    """Queue many messages in the caller's transaction with a few queries: suppressed addresses get a
    ``suppressed`` row, a ``dedupe_key`` already queued is skipped. Through SendGrid, messages with the same shared
    text go out as one connector job per batch of up to ``EMAIL_BATCH_SIZE`` recipients (one request with a
    personalization each); the others as a job each. Returns how many messages were queued (sent or suppressed)."""
    if not outgoing:
        return 0
    size = max(1, min(batch_size or settings.EMAIL_BATCH_SIZE, 1000))  # SendGrid: 1,000 personalizations a request
    keys = [o.dedupe_key for o in outgoing]
    existing = set(Message.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    addresses = {_address(str(o.email.to[0])) for o in outgoing}
    suppressed = set(
        Suppression.objects.filter(organization_id=organization_id, email__in=addresses).values_list("email", flat=True)
    )
    with transaction.atomic():
        connection = email_connection(organization_id)
        rows: list[Message] = []
        singles: list[Message] = []
        groups: dict[int, tuple[EmailMessage, list[Message]]] = {}  # by the shared email (one object per text)
        for item in outgoing:
            if item.dedupe_key in existing:
                continue
            existing.add(item.dedupe_key)
            recipient = _address(str(item.email.to[0]))
            blocked = recipient in suppressed
            row = Message(
                organization_id=organization_id,
                event_id=event_id,
                type=type,
                recipient=recipient,
                subject=str(item.email.subject)[:300],
                status=MessageStatus.SUPPRESSED if blocked else MessageStatus.QUEUED,
                connection=None if blocked else connection,
                vendor="" if blocked else (SENDGRID if connection is not None else LOCAL),
                dedupe_key=item.dedupe_key,
                content=to_content(item.email),
                language=item.language,
            )
            rows.append(row)
            if blocked:
                continue
            if connection is not None and item.shared is not None:
                row.merge = item.merge
                groups.setdefault(id(item.shared), (item.shared, []))[1].append(row)
            else:
                singles.append(row)
        batches: list[tuple[MessageBatch, list[Message]]] = []
        for shared, members in groups.values():
            shared_content = to_content(shared)
            for chunk in _unique_chunks(members, size, singles):
                batch = MessageBatch(organization_id=organization_id, connection=connection, type=type, content=shared_content)
                for row in chunk:
                    row.batch = batch
                batches.append((batch, chunk))
        MessageBatch.objects.bulk_create([b for b, _ in batches])
        for batch, chunk in batches:
            for row in chunk:
                row.batch = batch
        Message.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)  # a concurrent run's keys are kept
        for batch, _ in batches:
            jobs.submit(
                connection=connection,  # type: ignore[arg-type]  # batches exist only with a connection
                operation=BATCH_OPERATION,
                payload={"batch": str(batch.pk)},
                idempotency_key=f"email-batch:{batch.pk}",
            )
        for row in singles:
            _dispatch(row, connection)
    return len(rows)


def _unique_chunks(members: list[Message], size: int, singles: list[Message]) -> list[list[Message]]:
    """Chunks of at most ``size`` with each address once (SendGrid's substitutions are keyed by address); a
    second message to an address in the same run goes alone."""
    chunks: list[list[Message]] = []
    current: list[Message] = []
    taken: set[str] = set()
    for row in members:
        if row.recipient in taken:
            row.merge = {}
            singles.append(row)
            continue
        taken.add(row.recipient)
        if len(current) == size:
            chunks.append(current)
            current = []
        current.append(row)
    if current:
        chunks.append(current)
    return chunks


def _address(value: str) -> str:
    from email.utils import parseaddr

    return parseaddr(value)[1].strip().lower()


def default_language_set(*, actor: Actor, organization: Organization, language: str) -> EmailSettings:
    """The language of the organization's messages when an attendee's is unknown or has no template."""
    code = templates.normalize_language(language)
    if not code:
        raise DomainError(errors.EMAIL_LANGUAGE_INVALID, target="language")
    with transaction.atomic():
        row, _ = EmailSettings.objects.update_or_create(organization=organization, defaults={"default_language": code})
        audit.record(
            actor=actor,
            action="email_settings.changed",
            target=organization,
            organization_id=organization.pk,
            changes={"default_language": code},
        )
    return row


def template_delete(*, actor: Actor, template: MessageTemplate) -> None:
    """Remove the organization's own template: the next message of its type and language uses the next in line."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="email_template.deleted",
            target=template,
            organization_id=template.organization_id,
            changes={"type": template.type, "language": template.language},
        )
        template.delete()


def attempt_started(model: type[Message] | type[MessageBatch], pk: Any) -> None:
    """Before a request to the vendor: a retry that finds this set asks the vendor whether it was accepted."""
    model.objects.filter(pk=pk).update(attempted_at=clock.now())


def attempt_cleared(model: type[Message] | type[MessageBatch], pk: Any) -> None:
    """The request surely did not reach the vendor (refused connection) or was answered with an error."""
    model.objects.filter(pk=pk).update(attempted_at=None)


def batch_sent(*, batch: MessageBatch, vendor_message_id: str) -> int:
    MessageBatch.objects.filter(pk=batch.pk).update(vendor_message_id=vendor_message_id[:255])
    return Message.objects.filter(batch=batch, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENT, vendor_message_id=vendor_message_id[:255], sent_at=clock.now(), error=""
    )


def batch_failed(*, batch_id: Any, error: str) -> None:
    Message.objects.filter(batch_id=batch_id, status=MessageStatus.QUEUED).update(status=MessageStatus.FAILED, error=error[:500])


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


def preference_set(
    *, organization_id: Any, email: str, reminders: bool, surveys: bool, language: str | None = None
) -> Preference:
    """An attendee's choice of optional messages (and of the language of messages, when given); honoured by the
    next send."""
    defaults: dict[str, Any] = {"reminders": reminders, "surveys": surveys, "updated_at": clock.now()}
    if language is not None:
        defaults["language"] = templates.normalize_language(language)
    preference, _ = Preference.objects.update_or_create(
        organization_id=organization_id, email=email.strip().lower(), defaults=defaults
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
    own = {t.language: (t.subject, t.text, t.html) for t in MessageTemplate.objects.filter(organization=organization, type=type)}
    default = EmailSettings.objects.filter(organization=organization).values_list("default_language", flat=True).first()
    used, parts = templates.choose(type, own, language, default or "en")
    rendered = templates.render(*parts, templates.sample(type, organization.name))
    email = EmailMultiAlternatives(
        subject=f"[Test] {rendered.subject}", body=rendered.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    email.attach_alternative(rendered.html, "text/html")
    with transaction.atomic():
        message = message_queue(organization=organization, email=email, type=type, language=used)
        audit.record(
            actor=actor,
            action="email_template.test_sent",
            target=message,
            organization_id=organization.pk,
            changes={"type": type, "language": language},
        )
    return message
