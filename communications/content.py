"""An email as JSON (what a ``Message`` row keeps and a connector job sends) and back to a Django EmailMessage."""

from __future__ import annotations

import base64
from email.mime.base import MIMEBase
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives


def to_content(message: EmailMessage) -> dict[str, Any]:
    alternatives = [{"content": str(content), "mimetype": mimetype} for content, mimetype in getattr(message, "alternatives", [])]
    attachments: list[dict[str, str]] = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            payload = attachment.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            name, mimetype = attachment.get_filename() or "attachment", attachment.get_content_type()
        else:
            name, raw, mimetype = attachment
            data = raw.encode() if isinstance(raw, str) else bytes(raw)
            mimetype = mimetype or "application/octet-stream"
        attachments.append({"filename": name or "attachment", "content": base64.b64encode(data).decode(), "mimetype": mimetype})
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from": str(message.from_email),
        "to": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "bcc": [str(a) for a in message.bcc],
        "reply_to": [str(a) for a in message.reply_to],
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": alternatives,
        "attachments": attachments,
    }


def from_content(content: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=content["subject"],
        body=content["body"],
        from_email=content["from"],
        to=content["to"],
        cc=content.get("cc") or None,
        bcc=content.get("bcc") or None,
        reply_to=content.get("reply_to") or None,
        headers=dict(content.get("headers") or {}),
    )
    for alternative in content.get("alternatives") or []:
        message.attach_alternative(alternative["content"], alternative["mimetype"])
    for attachment in content.get("attachments") or []:
        message.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return message
