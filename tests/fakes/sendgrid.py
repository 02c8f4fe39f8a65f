"""A fake of SendGrid's v3 Mail Send API and of its signed Event Webhook, over real HTTP.

``POST /v3/mail/send``: a bearer API key; a JSON body with ``personalizations`` (each with ``to``), ``from``,
``subject`` (top level or per personalization), ``content`` (``text/plain`` before ``text/html``), optional
``attachments`` (base64 ``content``, ``filename``, ``type``), ``headers`` and ``custom_args``; answered ``202``
with an empty body and ``X-Message-Id``; errors as ``{"errors": [{"message", "field", "help"}]}``.
``GET /v3/scopes``: the key's scopes. ``GET /v3/messages``: Email Activity searched by a custom argument. The event webhook is signed like SendGrid's: ECDSA P-256 with SHA-256 over
the timestamp header followed by the body, base64 in ``X-Twilio-Email-Event-Webhook-Signature``; the public key is
shown as base64 DER (what SendGrid's settings page shows).
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import time
import uuid
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.fakes.server import FakeVendor, Reply, Request


class SendGridFake(FakeVendor):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []  # accepted bodies, with "message_id"
        self.ids = itertools.count(1)
        self.route("POST", "/v3/mail/send", self.mail_send)
        self.route("GET", "/v3/scopes", self.scopes)
        self.route("GET", "/v3/messages", self.activity)
        self.activity_access = True  # the key may read the Email Activity (an add-on SendGrid sells)
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.verification_key = base64.b64encode(der).decode()

    def error_reply(self, status: int) -> Reply:
        return status, {}, {"errors": [{"message": f"fake error {status}", "field": None, "help": None}]}

    def _auth(self, request: Request) -> Reply | None:
        if not request.header("Authorization").startswith("Bearer SG."):
            return (
                401,
                {},
                {
                    "errors": [
                        {
                            "message": "The provided authorization grant is invalid, expired, or revoked",
                            "field": None,
                            "help": None,
                        }
                    ]
                },
            )
        return None

    def scopes(self, request: Request) -> Reply:
        return self._auth(request) or (200, {}, {"scopes": ["mail.send", "scopes.read"]})

    def mail_send(self, request: Request) -> Reply:
        refused = self._auth(request)
        if refused:
            return refused
        try:
            body = request.json()
        except ValueError:
            return 400, {}, {"errors": [{"message": "Bad Request", "field": None, "help": None}]}
        problems = []
        personalizations = body.get("personalizations")
        if not isinstance(personalizations, list) or not personalizations:
            problems.append(
                ("personalizations", "The personalizations field is required and must have at least one personalization.")
            )
        elif len(personalizations) > 1000:
            problems.append(("personalizations", "The personalizations field must have no more than 1000 items."))
        else:
            for i, p in enumerate(personalizations):
                if not p.get("to") or not all("@" in (t.get("email") or "") for t in p["to"]):
                    problems.append(
                        (
                            f"personalizations.{i}.to",
                            "The to array is required for all personalization objects, and must have at least one email object with a valid email address.",
                        )
                    )
                if not (p.get("subject") or body.get("subject")):
                    problems.append(
                        (
                            "subject",
                            "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.",
                        )
                    )
        if not (body.get("from") or {}).get("email"):
            problems.append(
                (
                    "from.email",
                    "The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.",
                )
            )
        content = body.get("content") or []
        if not content or any(not c.get("value") for c in content):
            problems.append(
                (
                    "content",
                    "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.",
                )
            )
        elif content[0].get("type") != "text/plain" and any(c.get("type") == "text/plain" for c in content):
            problems.append(("content.0.type", "If present, text/plain content must be first, followed by any other content."))
        for i, a in enumerate(body.get("attachments") or []):
            try:
                base64.b64decode(a.get("content") or "", validate=True)
            except ValueError:
                problems.append((f"attachments.{i}.content", "The attachment content must be base64 encoded."))
            if not a.get("filename"):
                problems.append((f"attachments.{i}.filename", "The attachment filename parameter is required."))
        if problems:
            return 400, {}, {"errors": [{"message": m, "field": f, "help": None} for f, m in problems]}
        message_id = f"sgm{next(self.ids):06d}{uuid.uuid4().hex[:8]}"
        with self.lock:
            self.sent.append({**body, "message_id": message_id})
        return 202, {"X-Message-Id": message_id, "Content-Type": "text/plain"}, b""

    @property
    def delivered(self) -> list[dict[str, Any]]:
        """What each recipient got: one entry per personalization of every accepted request, in the request's shape
        (``personalizations`` holding that one), with the personalization's ``substitutions`` applied to the subject
        and the content, and its ``headers`` and ``custom_args`` over the request's."""
        out: list[dict[str, Any]] = []
        with self.lock:
            sent = list(self.sent)
        for body in sent:
            for p in body["personalizations"]:
                subs = p.get("substitutions") or {}

                def fill(text: str, subs: dict[str, str] = subs) -> str:
                    for key, value in subs.items():
                        text = text.replace(key, value)
                    return text

                out.append(
                    {
                        **body,
                        "personalizations": [p],
                        "subject": fill(p.get("subject") or body.get("subject") or ""),
                        "content": [{**c, "value": fill(c["value"])} for c in body.get("content") or []],
                        "headers": {**(body.get("headers") or {}), **(p.get("headers") or {})},
                        "custom_args": {**(body.get("custom_args") or {}), **(p.get("custom_args") or {})},
                    }
                )
        return out

    def activity(self, request: Request) -> Reply:
        """``GET /v3/messages?query=unique_args['name']="value"&limit=n``: Email Activity's messages carrying that custom
        argument; 403 for a key without Email Activity access."""
        refused = self._auth(request)
        if refused:
            return refused
        if not self.activity_access:
            return 403, {}, {"errors": [{"field": None, "message": "access forbidden"}]}
        query = (request.query.get("query") or [""])[0]
        match = re.fullmatch(r"unique_args\['([^']+)'\]=\"([^\"]*)\"", query)
        if match is None:
            return 400, {}, {"errors": [{"field": "query", "message": "invalid query"}]}
        name, value = match.groups()
        limit = int((request.query.get("limit") or ["10"])[0])
        found = [
            {
                "from_email": (d.get("from") or {}).get("email"),
                "msg_id": f"{d['message_id']}.filterdrecv-1-1",
                "subject": d["subject"],
                "to_email": d["personalizations"][0]["to"][0]["email"],
                "status": "processed",
                "opens_count": 0,
                "clicks_count": 0,
                "last_event_time": "2027-01-01T00:00:00Z",
            }
            for d in self.delivered
            if d["custom_args"].get(name) == value
        ]
        return 200, {}, {"messages": found[:limit]}

    # -- the event webhook ------------------------------------------------------------------------
    def sign(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = self.private_key.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
        }

    def event(self, sent: dict[str, Any], kind: str, **extra: Any) -> dict[str, Any]:
        """An event of an accepted message as SendGrid posts it (custom_args at the top level)."""
        personalization = sent["personalizations"][0]
        return {
            "email": personalization["to"][0]["email"],
            "timestamp": int(time.time()),
            "event": kind,
            "sg_event_id": base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="),
            "sg_message_id": f"{sent['message_id']}.filterdrecv-1-1",
            "smtp-id": f"<{sent['message_id']}@ismtpd0001p1>",
            **(sent.get("custom_args") or {}),
            **(personalization.get("custom_args") or {}),
            **extra,
        }

    def events_body(self, events: list[dict[str, Any]]) -> bytes:
        return json.dumps(events).encode()
