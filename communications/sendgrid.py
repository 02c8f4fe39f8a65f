"""The SendGrid adapter: mail through django-anymail's SendGrid backend (v3 ``/mail/send``) as a connector job,
and SendGrid's signed event webhook verified the way anymail verifies it (ECDSA P-256 over timestamp + body).

The API key is the organization's connection's, or the platform's (``SENDGRID_API_KEY``) for a platform
connection; the base URL is anymail's ``SENDGRID_API_URL`` setting. SendGrid takes no idempotency key: the job
sends a message only while its row is ``queued`` and marks it sent with the vendor's ``X-Message-Id``, and the
job's lease keeps a second worker off it, so a retried job never sends twice (ADR 0026).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import warnings
from collections.abc import Mapping
from typing import Any

from anymail.backends.sendgrid import EmailBackend as AnymailSendGridBackend
from anymail.exceptions import AnymailError, AnymailNotSupportedWarning, AnymailRequestsAPIError
from django.conf import settings

from communications import services
from communications.content import from_content
from communications.models import Message, MessageStatus
from connectors import calls, clock, http, jobs, registry
from connectors import services as connector_services
from connectors.exceptions import Rejected, Unavailable
from connectors.models import Connection, ConnectorJob, InboundEvent

_backends = threading.local()


def api_url() -> str:
    url = str(settings.ANYMAIL.get("SENDGRID_API_URL") or "https://api.sendgrid.com/v3/")
    return url if url.endswith("/") else url + "/"


def api_key(connection: Connection) -> str:
    if connection.settings.get("platform"):
        return str(settings.SENDGRID_API_KEY)
    return str(connector_services.credentials_of(connection).get("api_key", ""))


def backend(connection: Connection) -> AnymailSendGridBackend:
    """anymail's backend for this key, one per thread and key, kept open (its requests session keeps alive)."""
    key, url = api_key(connection), api_url()
    cache: dict[tuple[str, str], AnymailSendGridBackend] = getattr(_backends, "cache", None) or {}
    _backends.cache = cache
    found = cache.get((key, url))
    if found is None:
        with warnings.catch_warnings():  # "SendGrid is community-supported in anymail": known, tested on the fake
            warnings.simplefilter("ignore", AnymailNotSupportedWarning)
            found = AnymailSendGridBackend(
                api_key=key,
                api_url=url,
                fail_silently=False,
                generate_message_id=False,
                timeout=(settings.CONNECTOR_CONNECT_TIMEOUT_SECONDS, settings.CONNECTOR_READ_TIMEOUT_SECONDS),
            )
        found.open()
        cache[(key, url)] = found
    return found


def _errors_of(exc: AnymailRequestsAPIError) -> str:
    response = exc.response
    if response is None:
        return str(exc).splitlines()[0]
    try:
        body = response.json()
        return "; ".join(
            f"{e.get('field') or 'request'}: {e.get('message')}" for e in body.get("errors", []) if isinstance(e, Mapping)
        )
    except ValueError:
        return response.text[:200]


def _retry_after(exc: AnymailRequestsAPIError) -> float | None:
    response = exc.response
    if response is None:
        return None
    after = http.retry_after(response.headers.get("Retry-After"))
    reset = response.headers.get("X-RateLimit-Reset", "")
    if after is None and reset.isdigit():  # SendGrid's rate limit: the epoch second the window resets
        after = max(float(reset) - clock.now().timestamp(), 0.0)
    return after


def send(connection: Connection, message: Message, *, idempotency_key: str) -> str:
    """Send the message's content once through anymail; SendGrid's X-Message-Id. Unavailable / Rejected."""
    mail = from_content(message.content)
    mail.metadata = {"emp_message": str(message.pk)}  # type: ignore[attr-defined]  # custom_args: events name it

    def attempt(a: calls.Attempt) -> str:
        a.method, a.path = "POST", http.requests.utils.urlparse(api_url()).path.rstrip("/") + "/mail/send"
        try:
            backend(connection).send_messages([mail])
        except AnymailRequestsAPIError as exc:
            a.status_code = exc.status_code if exc.response is not None else None
            if exc.response is None:
                raise Unavailable(f"unreachable: {str(exc).splitlines()[0]}") from exc
            text = f"{exc.response.status_code}: {_errors_of(exc)}"
            if exc.response.status_code == 429 or exc.response.status_code >= 500:
                raise Unavailable(text, status_code=exc.response.status_code, retry_after=_retry_after(exc)) from exc
            raise Rejected(text, status_code=exc.response.status_code) from exc
        except AnymailError as exc:  # a message anymail cannot serialize: retrying will not help
            raise Rejected(str(exc).splitlines()[0]) from exc
        status = mail.anymail_status  # type: ignore[attr-defined]
        response = status.esp_response
        a.status_code = response.status_code if response is not None else None
        vendor_id = response.headers.get("X-Message-Id", "") if response is not None else ""
        a.vendor_request_id = vendor_id
        return vendor_id

    return calls.call(connection, "mail.send", attempt, idempotency_key=idempotency_key, attempts=2, max_wait=2.0)


def _send_failed(connection: Connection, job: ConnectorJob, error: str) -> None:
    services.message_failed(message_id=job.payload.get("message"), error=error)


@jobs.operation(services.SEND_OPERATION, on_failure=_send_failed)
def mail_send(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    message = Message.objects.filter(pk=job.payload.get("message")).first()
    if message is None or message.status != MessageStatus.QUEUED:  # sent (or given up) already: never twice
        return {"skipped": True}
    vendor_id = send(connection, message, idempotency_key=job.idempotency_key)
    services.message_sent(message_id=message.pk, vendor_message_id=vendor_id)
    return {"vendor_message_id": vendor_id}


def test_call(connection: Connection) -> str:
    """GET /v3/scopes: the key works and may send mail."""

    def attempt(a: calls.Attempt) -> list[str]:
        response = http.request(
            a,
            "GET",
            api_url() + "scopes",
            request_id_header="X-Request-Id",
            headers={"Authorization": f"Bearer {api_key(connection)}"},
            error_parser=_error_parser,
        )
        return list(response.json().get("scopes", []))

    scopes = calls.call(connection, "scopes.list", attempt)
    if "mail.send" not in scopes:
        return "Connected, but the key may not send mail (it lacks the mail.send scope)."
    return "Connected; the key may send mail."


def _error_parser(response: Any) -> tuple[str, str]:
    try:
        errors = response.json().get("errors", [])
    except ValueError:
        return "", response.text[:200]
    first = errors[0] if errors and isinstance(errors[0], Mapping) else {}
    return str(first.get("field") or ""), str(first.get("message") or "")


# -- the event webhook ----------------------------------------------------------------------------
def verification_key(connection: Connection) -> str:
    if connection.settings.get("platform"):
        return str(settings.SENDGRID_WEBHOOK_VERIFICATION_KEY)
    return str(connector_services.credentials_of(connection).get("webhook_verification_key", ""))


class _Signed:
    """What anymail's webhook view reads of a request: its headers and body."""

    def __init__(self, body: bytes, headers: Mapping[str, str]) -> None:
        self.body = body
        self.headers = headers


class SendGridIntake:
    """SendGrid posts a batch of events per request, signed as a whole: the batch is one notification (its id is
    the digest of timestamp + body, so a repeated post is a no-op) and each event is recorded once by its
    ``sg_event_id``. The events are the vendor's record of what happened, so they are acted on as they are."""

    def verify(self, connection: Connection, *, body: bytes, headers: Mapping[str, str], channel: str) -> registry.Notification:
        from anymail.exceptions import AnymailWebhookValidationFailure
        from anymail.webhooks.sendgrid import SendGridTrackingWebhookView

        key = verification_key(connection)
        if not key:
            raise registry.SignatureInvalid("no verification key is configured for this connection")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", AnymailNotSupportedWarning)
                view = SendGridTrackingWebhookView(tracking_webhook_verification_key=key)
            view.validate_request(_Signed(body, headers))
        except AnymailWebhookValidationFailure as exc:
            raise registry.SignatureInvalid(str(exc)) from None
        except ValueError:  # a verification key that is not a PEM public key
            raise registry.SignatureInvalid("the verification key cannot be read") from None
        stamp = headers.get("X-Twilio-Email-Event-Webhook-Timestamp", "")
        if not stamp.isdigit() or abs(clock.now().timestamp() - int(stamp)) > settings.SENDGRID_WEBHOOK_TOLERANCE_SECONDS:
            raise registry.SignatureInvalid("timestamp outside the tolerance")
        try:
            events = json.loads(body)
        except ValueError:
            raise registry.SignatureInvalid("the body is not JSON") from None
        if not isinstance(events, list):
            raise registry.SignatureInvalid("the body is not a list of events")
        digest = hashlib.sha256(stamp.encode() + body).hexdigest()
        return registry.Notification(vendor_event_id=f"batch_{digest}", event_type="events", payload={"events": events})

    def handle(self, connection: Connection, event: InboundEvent) -> bool:
        acted = False
        for item in event.payload.get("events", []):
            if not isinstance(item, Mapping):
                continue
            message = _message_of(connection, item)
            if message is None:
                continue
            occurred = dt.datetime.fromtimestamp(int(item.get("timestamp") or clock.now().timestamp()), tz=dt.UTC)
            data = {k: item[k] for k in ("reason", "response", "url", "type", "status", "attempt") if k in item}
            acted |= services.message_event_record(
                message=message,
                kind=str(item.get("event", "")),
                vendor_event_id=str(item.get("sg_event_id") or f"{event.vendor_event_id}:{item.get('event')}"),
                occurred_at=occurred,
                data=data,
            )
        return acted


def _message_of(connection: Connection, item: Mapping[str, Any]) -> Message | None:
    ours = Message.objects.filter(organization_id=connection.organization_id)
    marker = str(item.get("emp_message") or "")
    if marker:
        try:
            return ours.filter(pk=marker).first()
        except Exception:  # not a UUID
            return None
    sg_id = str(item.get("sg_message_id") or "").split(".", 1)[0]
    return ours.filter(vendor_message_id=sg_id).first() if sg_id else None


VENDOR = registry.register(
    registry.Vendor(
        kind="email",
        name="sendgrid",
        label="SendGrid",
        credentials=(
            registry.Field("api_key", "API key", pattern=r"SG\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", help="SG.<id>.<secret>"),
            registry.Field(
                "webhook_verification_key",
                "Event webhook verification key",
                required=False,
                help="The public key SendGrid shows under Mail Settings > Event Webhook > Signature Verification.",
            ),
        ),
        settings=(registry.Field("from_email", "Sender address", required=False),),
        test=test_call,
        intake=SendGridIntake(),
        refused_status=403,
        docs_url="https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send",
    )
)
