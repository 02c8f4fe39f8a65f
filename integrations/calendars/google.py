"""The Google Calendar adapter (Calendar API v3) and its connector vendor.

Plain ``requests`` through ``connectors.http`` rather than google-api-python-client: that client sends through
httplib2 with its own retries and timeouts, outside the framework's one HTTP attempt (Retry-After, the call log,
the breaker), and it would be the only user of httplib2 and Google's discovery machinery in the platform. The
wire format is the documented REST one; the base URLs are settings (``GOOGLE_CALENDAR_API_URL``,
``GOOGLE_OAUTH_AUTHORIZE_URL``, ``GOOGLE_OAUTH_TOKEN_URL``), a local fake in the tests.

- Create: ``POST calendars/primary/events`` with a client-chosen ``id`` (base32hex, ``port.stable_id``): a create
  retried after a lost answer gets ``409 duplicate`` and becomes an update of that id. Never a second event.
- A series: ``recurrence`` holds the RRULE and an EXDATE line in the event's time zone; moved occurrences are
  events of their own.
- Errors: ``{"error": {"code", "message", "errors": [{"reason"}]}}``; 403 ``rateLimitExceeded`` /
  ``userRateLimitExceeded`` is a rate limit (retried like a 429), 404 and 410 are Gone.
- Push notifications: ``events/watch`` opens a channel with a secret ``token`` Google echoes in
  ``X-Goog-Channel-Token``; a notification carries no body, so it is a trigger to list what changed since the
  stored ``syncToken`` (``410``: the token expired, list everything again). A channel cannot be extended: before
  it expires a new one is opened and the old one closed (``channels/stop``).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings

from connectors import registry
from connectors.exceptions import Rejected
from connectors.models import Connection, InboundEvent, Kind
from core.calendars import CalendarEntry, exdate_line, rrule_line
from integrations.calendars import oauth, port

RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})


def _error(response: requests.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    error = body.get("error") if isinstance(body, Mapping) else None
    if isinstance(error, Mapping):
        reasons = [e.get("reason", "") for e in error.get("errors") or [] if isinstance(e, Mapping)]
        return str(reasons[0] if reasons else error.get("status") or error.get("code") or ""), str(error.get("message", ""))
    if isinstance(error, str):  # the OAuth token endpoint: {"error": "invalid_grant", "error_description": ...}
        return error, str(body.get("error_description", ""))
    return "", ""


def _time(value: dt.datetime, zone: str) -> dict[str, str]:
    """RFC 3339 in the event's zone, with the zone named: Google needs ``timeZone`` to expand a recurrence."""
    return {"dateTime": value.astimezone(zoneinfo.ZoneInfo(zone)).isoformat(), "timeZone": zone}


def event_body(entry: CalendarEntry) -> dict[str, Any]:
    """The Calendar API event resource of an entry (the platform's uid kept in a private extended property)."""
    body: dict[str, Any] = {
        "summary": entry.summary,
        "description": entry.description,
        "location": entry.location,
        "start": _time(entry.starts_at, entry.time_zone),
        "end": _time(entry.ends_at, entry.time_zone),
        "status": "confirmed",
        "extendedProperties": {"private": {"empUid": entry.uid}},
    }
    if entry.rrule:
        body["recurrence"] = [line for line in (rrule_line(entry), exdate_line(entry)) if line]
    return body


class GoogleCalendar:
    vendor: str = "google"
    scopes: tuple[str, ...] = ("https://www.googleapis.com/auth/calendar.events",)

    def authorize_url(self) -> str:
        return str(settings.GOOGLE_OAUTH_AUTHORIZE_URL)

    def token_url(self) -> str:
        return str(settings.GOOGLE_OAUTH_TOKEN_URL)

    def client(self) -> tuple[str, str]:
        return str(settings.GOOGLE_CALENDAR_CLIENT_ID), str(settings.GOOGLE_CALENDAR_CLIENT_SECRET)

    def _url(self, path: str) -> str:
        return f"{str(settings.GOOGLE_CALENDAR_API_URL).rstrip('/')}/calendars/primary/{path}"

    def _call(self, connection: Connection, operation: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self._api(connection, operation, method, self._url(path), **kwargs)

    def _api(self, connection: Connection, operation: str, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            return oauth.api_call(
                connection,
                self,
                operation,
                method,
                url,
                error_parser=_error,
                rate_limit_codes=RATE_LIMIT_REASONS,
                **kwargs,
            )
        except Rejected as exc:
            if exc.status_code in (404, 410):
                raise port.Gone(exc.message, status_code=exc.status_code, vendor_code=exc.vendor_code) from exc
            raise

    def insert(self, connection: Connection, entry: CalendarEntry, *, key: str) -> str:
        event_id = key
        try:
            self._call(
                connection, "events.insert", "POST", "events", json={**event_body(entry), "id": event_id}, idempotency_key=key
            )
        except Rejected as exc:
            if exc.status_code != 409:
                raise
            # Created by an attempt whose answer was lost: make it what we meant to write.
            self.update(connection, event_id, entry, key=key)
        return event_id

    def update(self, connection: Connection, remote_id: str, entry: CalendarEntry, *, key: str) -> None:
        self._call(connection, "events.update", "PUT", f"events/{quote(remote_id)}", json=event_body(entry), idempotency_key=key)

    def delete(self, connection: Connection, remote_id: str, *, key: str) -> None:
        try:
            self._call(connection, "events.delete", "DELETE", f"events/{quote(remote_id)}", idempotency_key=key)
        except port.Gone:
            pass  # deleted already (by an earlier attempt or by the owner)

    def get(self, connection: Connection, remote_id: str) -> port.RemoteState:
        try:
            data = self._call(connection, "events.get", "GET", f"events/{quote(remote_id)}").json()
        except port.Gone:
            return port.RemoteState(exists=False)
        return port.RemoteState(exists=data.get("status") != "cancelled", response_status=_response(data))

    def watch(self, connection: Connection, *, address: str, secret: str, channel_id: str) -> port.Channel:
        body = {"id": channel_id, "type": "web_hook", "address": address, "token": secret}
        data = self._call(connection, "events.watch", "POST", "events/watch", json=body, idempotency_key=channel_id).json()
        expiration = data.get("expiration")
        expires = dt.datetime.fromtimestamp(int(expiration) / 1000, dt.UTC) if expiration else None
        _, sync_token = self.changes(connection, sync_token="")
        return port.Channel(
            channel_id=channel_id, resource_id=str(data.get("resourceId", "")), expires_at=expires, sync_token=sync_token
        )

    def extend(self, connection: Connection, *, channel_id: str) -> dt.datetime | None:
        return None  # a push channel cannot be extended: the renewal opens a new one and stops this one

    def stop(self, connection: Connection, *, channel_id: str, resource_id: str) -> None:
        """``POST channels/stop`` (answered with an empty body); a channel Google no longer knows (404) is stopped."""
        url = f"{str(settings.GOOGLE_CALENDAR_API_URL).rstrip('/')}/channels/stop"
        try:
            self._api(connection, "channels.stop", "POST", url, json={"id": channel_id, "resourceId": resource_id})
        except port.Gone:
            pass

    def changes(self, connection: Connection, *, sync_token: str) -> tuple[list[port.Change], str]:
        found: list[port.Change] = []
        params: dict[str, str] = {"syncToken": sync_token} if sync_token else {"showDeleted": "true"}
        while True:
            try:
                data = self._call(connection, "events.list", "GET", "events", params=params).json()
            except port.Gone:
                if "syncToken" not in params:
                    raise
                params = {"showDeleted": "true"}  # 410: the token expired; a full sync (Google's documented answer)
                continue
            for item in data.get("items") or []:
                found.append(
                    port.Change(
                        remote_id=str(item.get("id")), deleted=item.get("status") == "cancelled", response_status=_response(item)
                    )
                )
            if data.get("nextPageToken"):
                params = {**{k: v for k, v in params.items() if k != "pageToken"}, "pageToken": str(data["nextPageToken"])}
                continue
            return found, str(data.get("nextSyncToken") or "")


def _response(item: Mapping[str, Any]) -> str:
    """The owner's answer: their own entry in ``attendees`` (``self``), else accepted for an event they hold."""
    for attendee in item.get("attendees") or []:
        if isinstance(attendee, Mapping) and attendee.get("self"):
            return str(attendee.get("responseStatus", ""))
    return "accepted" if item.get("status") == "confirmed" else ""


ADAPTER = port.register(GoogleCalendar())


class GoogleIntake:
    """Push notifications (``X-Goog-*`` headers, no body): the channel token proves they are Google's for us."""

    def verify(self, connection: Connection, *, body: bytes, headers: Mapping[str, str], channel: str) -> registry.Notification:
        from integrations.calendars import sync

        channel_id = headers.get("X-Goog-Channel-ID", "")
        watch = sync.watch_of(connection, channel_id)
        if watch is None or not sync.secret_matches(watch, headers.get("X-Goog-Channel-Token", "")):
            raise registry.SignatureInvalid("unknown channel or wrong channel token")
        state = headers.get("X-Goog-Resource-State", "")
        number = headers.get("X-Goog-Message-Number", "")
        return registry.Notification(
            vendor_event_id=f"{channel_id}:{number}",
            event_type=f"calendar.{state or 'unknown'}",
            payload={"channel": channel_id, "resource": headers.get("X-Goog-Resource-ID", ""), "state": state},
        )

    def handle(self, connection: Connection, event: InboundEvent) -> bool:
        from integrations.calendars import sync

        if event.payload.get("state") == "sync":  # the channel's first message: nothing changed yet
            return False
        return sync.apply_changes(connection=connection, channel_id=str(event.payload.get("channel", "")))


registry.register(
    registry.Vendor(
        kind=Kind.CALENDAR,
        name="google",
        label="Google Calendar",
        intake=GoogleIntake(),
        refused_status=403,
        docs_url="https://developers.google.com/calendar/api/v3/reference",
        extra={"oauth": True},
    )
)
