"""The Django email backend every platform message goes through (``EMAIL_BACKEND``).

A message that says which organization it is from (``message.organization`` or ``message.organization_id``, and
optionally ``message.message_type``, ``message.event_id``, ``message.dedupe_key``) is queued as a ``Message``:
through the organization's SendGrid connection, the platform's key, or the local backend. Any other message (the
developer portal's account emails) goes straight to ``EMAIL_FALLBACK_BACKEND`` (SMTP or the console), as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from communications.models import MessageType


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from communications import services

        local: list[EmailMessage] = []
        queued = 0
        for message in email_messages:
            organization = getattr(message, "organization_id", None) or getattr(
                getattr(message, "organization", None), "pk", None
            )
            if organization is None:
                local.append(message)
                continue
            for recipient in message.to:  # one Message per recipient: tracked and suppressed one by one
                copy = _for(message, recipient)
                key = getattr(message, "dedupe_key", "")
                services.message_queue(
                    organization=organization,
                    email=copy,
                    type=getattr(message, "message_type", MessageType.OTHER),
                    event_id=getattr(message, "event_id", None),
                    dedupe_key=f"{key}:{recipient.lower()}" if key else "",
                )
            queued += 1
        if local:
            queued += get_connection(settings.EMAIL_FALLBACK_BACKEND, fail_silently=self.fail_silently).send_messages(local) or 0
        return queued


def _for(message: EmailMessage, recipient: str) -> EmailMessage:
    copy: Any = EmailMessage.__new__(type(message))
    copy.__dict__.update(message.__dict__)
    copy.to = [recipient]
    copy.cc, copy.bcc = (list(message.cc), list(message.bcc)) if recipient == message.to[0] else ([], [])
    return copy
