"""The SendGrid adapter: mail through django-anymail's SendGrid backend (v3 ``/mail/send``) as connector jobs, one
message or a batch of recipients per request, and SendGrid's signed event webhook verified the way anymail
verifies it (ECDSA P-256 over timestamp + body).

The API key is the organization's connection's, or the platform's (``SENDGRID_API_KEY``) for a platform
connection; the base URL is anymail's ``SENDGRID_API_URL`` setting. SendGrid takes no idempotency key: a job sends
only while its messages are ``queued`` and marks them sent with the vendor's ``X-Message-Id``, the job's lease keeps
a second worker off it, and a run after a lost answer asks SendGrid's Email Activity before sending again
(``_guarded_send``; ADR 0026 names the window left)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import warnings
from collections.abc import Callable, Mapping
from email.utils import parseaddr
from typing import Any

from anymail.backends.sendgrid import EmailBackend as AnymailSendGridBackend
from anymail.exceptions import AnymailError, AnymailNotSupportedWarning, AnymailRequestsAPIError
from django.conf import settings

from communications import services
from communications.content import from_content
from communications.models import Message, MessageBatch, MessageStatus
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


def _post(a: calls.Attempt, connection: Connection, mail: Any) -> str:
    """One POST /mail/send through anymail: SendGrid's X-Message-Id. Unavailable (``reached`` False when the
    request surely never got to SendGrid, or SendGrid answered it with an error) or Rejected."""
    a.method, a.path = "POST", http.requests.utils.urlparse(api_url()).path.rstrip("/") + "/mail/send"
    try:
        backend(connection).send_messages([mail])
    except AnymailRequestsAPIError as exc:
        a.status_code = exc.status_code if exc.response is not None else None
        if exc.response is None:
            error = Unavailable(f"unreachable: {str(exc).splitlines()[0]}")
            error.reached = not _never_sent(exc)  # type: ignore[attr-defined]
            raise error from exc
        text = f"{exc.response.status_code}: {_errors_of(exc)}"
        if exc.response.status_code == 429 or exc.response.status_code >= 500:
            raise Unavailable(text, status_code=exc.response.status_code, retry_after=_retry_after(exc)) from exc
        raise Rejected(text, status_code=exc.response.status_code) from exc
    except AnymailError as exc:  # a message anymail cannot serialize: retrying will not help
        raise Rejected(str(exc).splitlines()[0]) from exc
    status = mail.anymail_status
    response = status.esp_response
    a.status_code = response.status_code if response is not None else None
    vendor_id = response.headers.get("X-Message-Id", "") if response is not None else ""
    a.vendor_request_id = vendor_id
    return str(vendor_id)


def _never_sent(exc: Exception) -> bool:
    """True when the request never reached SendGrid (no connection was made); a read timeout or a connection
    dropped after the request went out may hide an acceptance."""
    import requests

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    text = repr(exc) + repr(exc.__cause__) + repr(exc.__context__)
    return isinstance(exc, requests.exceptions.ConnectionError) and ("NewConnectionError" in text or "Connection refused" in text)


class _ActivityUnknown(Exception):
    """The key may not read SendGrid's Email Activity (an add-on SendGrid sells): a lost answer cannot be checked."""


def activity_lookup(connection: Connection, name: str, value: str) -> str | None:
    """GET /v3/messages with ``unique_args['<name>']="<value>"``: the SendGrid message id of a message sent with that
    custom argument, None when SendGrid has none; _ActivityUnknown when the key may not read the activity."""

    def attempt(a: calls.Attempt) -> str | None:
        response = http.request(
            a,
            "GET",
            api_url() + "messages",
            headers={"Authorization": f"Bearer {api_key(connection)}"},
            params={"limit": "1", "query": f"unique_args['{name}']=\"{value}\""},
            error_parser=_error_parser,
        )
        found = response.json().get("messages") or []
        if not found:
            return None
        return str(found[0].get("msg_id") or "").split(".", 1)[0] or "listed"

    try:
        return calls.call(connection, "messages.search", attempt, attempts=1)
    except Rejected as exc:  # 401/403/404: no Email Activity access on this key
        raise _ActivityUnknown(exc.message) from exc


def _guarded_send(
    connection: Connection,
    holder: Message | MessageBatch,
    marker: tuple[str, str],
    post: Callable[[calls.Attempt], str],
    *,
    idempotency_key: str,
) -> str:
    """Send at most once after a lost answer: before the request ``attempted_at`` is recorded (committed); a later
    run that finds it set first asks SendGrid's Email Activity for a message carrying our custom argument. Found:
    it was accepted and nothing is sent. Not found: sent again only once ``EMAIL_ACTIVITY_SETTLE_SECONDS`` have
    passed since the lost attempt (SendGrid lists a message shortly after it accepts it). Without Email Activity
    access the message is sent again: the one window ADR 0026 names. One request per run: the job retries."""
    model = type(holder)
    earlier = model.objects.filter(pk=holder.pk).values_list("attempted_at", flat=True).first()
    if earlier is not None:
        try:
            found = activity_lookup(connection, *marker)
        except _ActivityUnknown:
            found = None
        else:
            if found is not None:
                return found
            wait = settings.EMAIL_ACTIVITY_SETTLE_SECONDS - (clock.now() - earlier).total_seconds()
            if wait > 0:
                raise Unavailable(
                    "the answer to an earlier request was lost and SendGrid does not list the message yet: "
                    "checked again before sending",
                    retry_after=wait,
                )

    def attempt(a: calls.Attempt) -> str:
        services.attempt_started(model, holder.pk)
        try:
            return post(a)
        except Unavailable as exc:
            if exc.status_code is not None or not getattr(exc, "reached", True):
                services.attempt_cleared(model, holder.pk)
            raise
        except Rejected:
            services.attempt_cleared(model, holder.pk)
            raise

    return calls.call(connection, "mail.send", attempt, idempotency_key=idempotency_key, attempts=1)


def send(connection: Connection, message: Message, *, idempotency_key: str) -> str:
    """Send the message's content once through anymail; SendGrid's X-Message-Id. Unavailable / Rejected."""
    mail = from_content(message.content)
    mail.metadata = {"emp_message": str(message.pk)}  # type: ignore[attr-defined]  # custom_args: events name it
    return _guarded_send(
        connection,
        message,
        ("emp_message", str(message.pk)),
        lambda a: _post(a, connection, mail),
        idempotency_key=idempotency_key,
    )


def send_batch(connection: Connection, batch: MessageBatch, messages: list[Message], *, idempotency_key: str) -> str:
    """One request for the batch: the shared text, one personalization per message (its address, substitutions,
    headers and ``emp_message``), ``emp_batch`` for all; SendGrid's X-Message-Id of the request."""
    mail = from_content(batch.content)
    mail.to = [m.content["to"][0] for m in messages]
    keys = [parseaddr(str(m.content["to"][0]))[1] for m in messages]
    mail.metadata = {"emp_batch": str(batch.pk)}  # type: ignore[attr-defined]
    mail.merge_data = {k: m.merge for k, m in zip(keys, messages, strict=True)}  # type: ignore[attr-defined]
    mail.merge_metadata = {k: {"emp_message": str(m.pk)} for k, m in zip(keys, messages, strict=True)}  # type: ignore[attr-defined]
    mail.merge_headers = {  # type: ignore[attr-defined]
        k: m.content.get("headers") or {} for k, m in zip(keys, messages, strict=True) if m.content.get("headers")
    }
    return _guarded_send(
        connection, batch, ("emp_batch", str(batch.pk)), lambda a: _post(a, connection, mail), idempotency_key=idempotency_key
    )


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


def _batch_failed(connection: Connection, job: ConnectorJob, error: str) -> None:
    services.batch_failed(batch_id=job.payload.get("batch"), error=error)


@jobs.operation(services.BATCH_OPERATION, on_failure=_batch_failed)
def mail_send_batch(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    batch = MessageBatch.objects.filter(pk=job.payload.get("batch")).first()
    messages = list(Message.objects.filter(batch=batch, status=MessageStatus.QUEUED).order_by("created_at", "id"))
    if batch is None or not messages:  # sent (or given up) already: never twice
        return {"skipped": True}
    vendor_id = send_batch(connection, batch, messages, idempotency_key=job.idempotency_key)
    count = services.batch_sent(batch=batch, vendor_message_id=vendor_id)
    return {"vendor_message_id": vendor_id, "messages": count}


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
