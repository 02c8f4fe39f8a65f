"""The Microsoft Outlook adapter (Microsoft Graph v1.0, ``/me/events``) and its connector vendor.

Plain ``requests`` through ``connectors.http``: Microsoft's Python SDK (msgraph-sdk) is asynchronous only (Kiota
over httpx) and would bypass the framework's one HTTP attempt, retries and call log. Base URLs are settings
(``MICROSOFT_GRAPH_API_URL``, ``MICROSOFT_OAUTH_AUTHORIZE_URL``, ``MICROSOFT_OAUTH_TOKEN_URL``).

- Create: ``POST /me/events`` with ``transactionId`` (``port.transaction_id``): Graph answers a create retried
  after a lost answer with the event the first attempt made, so a retry never adds a second one.
- A series: Graph's ``patternedRecurrence`` (daily, weekly, absolute/relative monthly, absolute yearly; numbered
  or end-dated range) translated from the RRULE; an excluded occurrence is deleted as an instance
  (``/events/{id}/instances``), since Graph has no EXDATE.
- The owner's answer is the event's ``responseStatus.response``.
- Errors: ``{"error": {"code", "message"}}``; 429 and 503 carry ``Retry-After`` (the framework honours it);
  ``ErrorItemNotFound`` (404) is Gone.
- Change notifications: a subscription to ``me/events`` with a secret ``clientState`` Graph echoes in every
  notification; the endpoint first proves itself by echoing ``validationToken`` as text/plain. Before it expires
  the subscription is extended (``PATCH /subscriptions/{id}``); one Graph deleted (404) is created again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings

from connectors import clock, registry
from connectors.exceptions import Rejected
from connectors.models import Connection, InboundEvent, Kind
from core.calendars import CalendarEntry
from integrations.calendars import oauth, port

DAYS = {"MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday", "SA": "saturday", "SU": "sunday"}
INDEX = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
# Outlook event subscriptions last at most 4,230 minutes (just under three days).
SUBSCRIPTION_MINUTES = 4200


def _error(response: requests.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    error = body.get("error") if isinstance(body, Mapping) else None
    if isinstance(error, Mapping):
        return str(error.get("code", "")), str(error.get("message", ""))
    if isinstance(error, str):  # the identity platform's token endpoint (RFC 6749 §5.2)
        return error, str(body.get("error_description", ""))
    return "", ""


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _local(value: dt.datetime, zone: str) -> dict[str, str]:
    local = value.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)
    return {"dateTime": local.isoformat(timespec="seconds"), "timeZone": zone}


def recurrence(entry: CalendarEntry) -> dict[str, Any]:
    """Graph's patternedRecurrence of the entry's RRULE; Rejected for a rule Graph cannot express."""
    text = entry.rrule[6:] if entry.rrule.upper().startswith("RRULE:") else entry.rrule
    parts = {k.upper(): v for k, v in (p.split("=", 1) for p in text.split(";") if "=" in p)}
    zone = zoneinfo.ZoneInfo(entry.time_zone)
    start = entry.starts_at.astimezone(zone)
    interval = int(parts.get("INTERVAL", "1"))
    days = [d.strip() for d in parts.get("BYDAY", "").split(",") if d.strip()]
    freq = parts.get("FREQ", "").upper()
    pattern: dict[str, Any] = {"interval": interval}
    if freq == "DAILY" and not days:
        pattern["type"] = "daily"
    elif freq == "WEEKLY":
        names = [DAYS[d[-2:]] for d in days] if days else [start.strftime("%A").lower()]
        pattern.update(type="weekly", daysOfWeek=names, firstDayOfWeek="monday")
    elif freq == "MONTHLY" and days and len(days) == 1 and days[0][:-2].lstrip("+-").isdigit():
        pattern.update(type="relativeMonthly", daysOfWeek=[DAYS[days[0][-2:]]], index=INDEX[int(days[0][:-2])])
    elif freq == "MONTHLY" and not days:
        pattern.update(type="absoluteMonthly", dayOfMonth=int(parts.get("BYMONTHDAY", start.day)))
    elif freq == "YEARLY" and not days:
        pattern.update(type="absoluteYearly", dayOfMonth=start.day, month=int(parts.get("BYMONTH", start.month)))
    else:
        raise Rejected(f"Microsoft Graph cannot express the rule {text!r}")
    span: dict[str, Any] = {"startDate": start.date().isoformat(), "recurrenceTimeZone": entry.time_zone}
    if "COUNT" in parts:
        span.update(type="numbered", numberOfOccurrences=int(parts["COUNT"]))
    elif "UNTIL" in parts:
        span.update(type="endDate", endDate=dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date().isoformat())
    else:
        span["type"] = "noEnd"
    return {"pattern": pattern, "range": span}


def event_body(entry: CalendarEntry) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject": entry.summary,
        "body": {"contentType": "text", "content": entry.description},
        "start": _local(entry.starts_at, entry.time_zone),
        "end": _local(entry.ends_at, entry.time_zone),
        "location": {"displayName": entry.location},
        "isReminderOn": True,
    }
    if entry.rrule:
        body["recurrence"] = recurrence(entry)
    return body


class MicrosoftGraph:
    vendor: str = "microsoft"
    scopes: tuple[str, ...] = ("offline_access", "Calendars.ReadWrite")

    def authorize_url(self) -> str:
        return str(settings.MICROSOFT_OAUTH_AUTHORIZE_URL)

    def token_url(self) -> str:
        return str(settings.MICROSOFT_OAUTH_TOKEN_URL)

    def client(self) -> tuple[str, str]:
        return str(settings.MICROSOFT_CLIENT_ID), str(settings.MICROSOFT_CLIENT_SECRET)

    def _url(self, path: str) -> str:
        return f"{str(settings.MICROSOFT_GRAPH_API_URL).rstrip('/')}/{path}"

    def _call(self, connection: Connection, operation: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return oauth.api_call(connection, self, operation, method, self._url(path), error_parser=_error, **kwargs)
        except Rejected as exc:
            if exc.status_code in (404, 410):
                raise port.Gone(exc.message, status_code=exc.status_code, vendor_code=exc.vendor_code) from exc
            raise

    def insert(self, connection: Connection, entry: CalendarEntry, *, key: str) -> str:
        body = {**event_body(entry), "transactionId": key}
        data = self._call(connection, "events.create", "POST", "me/events", json=body, idempotency_key=key).json()
        remote_id = str(data["id"])
        self._exceptions(connection, remote_id, entry, key=key)
        return remote_id

    def update(self, connection: Connection, remote_id: str, entry: CalendarEntry, *, key: str) -> None:
        self._call(
            connection, "events.update", "PATCH", f"me/events/{quote(remote_id)}", json=event_body(entry), idempotency_key=key
        )
        self._exceptions(connection, remote_id, entry, key=key)

    def _exceptions(self, connection: Connection, remote_id: str, entry: CalendarEntry, *, key: str) -> None:
        """Delete the occurrences the entry excludes (Graph's way of an EXDATE)."""
        if not entry.rrule or not entry.exdates:
            return
        first, last = min(entry.exdates), max(entry.exdates)
        params = {
            "startDateTime": (first - dt.timedelta(days=1)).astimezone(dt.UTC).isoformat(),
            "endDateTime": (last + dt.timedelta(days=1)).astimezone(dt.UTC).isoformat(),
        }
        data = self._call(connection, "events.instances", "GET", f"me/events/{quote(remote_id)}/instances", params=params).json()
        excluded = {d.astimezone(dt.UTC) for d in entry.exdates}
        for instance in data.get("value") or []:
            original = dt.datetime.fromisoformat(str(instance.get("originalStart", "")).replace("Z", "+00:00"))
            if original.astimezone(dt.UTC) in excluded:
                self.delete(connection, str(instance["id"]), key=f"{key}:{original.isoformat()}")

    def delete(self, connection: Connection, remote_id: str, *, key: str) -> None:
        try:
            self._call(connection, "events.delete", "DELETE", f"me/events/{quote(remote_id)}", idempotency_key=key)
        except port.Gone:
            pass

    def get(self, connection: Connection, remote_id: str) -> port.RemoteState:
        try:
            data = self._call(connection, "events.get", "GET", f"me/events/{quote(remote_id)}").json()
        except port.Gone:
            return port.RemoteState(exists=False)
        if data.get("isCancelled"):
            return port.RemoteState(exists=False)
        return port.RemoteState(exists=True, response_status=str((data.get("responseStatus") or {}).get("response", "")))

    def extend(self, connection: Connection, *, channel_id: str) -> dt.datetime | None:
        """``PATCH /subscriptions/{id}`` with a new ``expirationDateTime``; Gone (404) when Graph deleted it."""
        expires = clock.now() + dt.timedelta(minutes=SUBSCRIPTION_MINUTES)
        self._call(
            connection,
            "subscriptions.update",
            "PATCH",
            f"subscriptions/{quote(channel_id)}",
            json={"expirationDateTime": _utc(expires)},
        )
        return expires

    def stop(self, connection: Connection, *, channel_id: str, resource_id: str) -> None:
        try:
            self._call(connection, "subscriptions.delete", "DELETE", f"subscriptions/{quote(channel_id)}")
        except port.Gone:
            pass

    def watch(self, connection: Connection, *, address: str, secret: str, channel_id: str) -> port.Channel:
        expires = clock.now() + dt.timedelta(minutes=SUBSCRIPTION_MINUTES)
        body = {
            "changeType": "created,updated,deleted",
            "notificationUrl": address,
            "resource": "me/events",
            "expirationDateTime": _utc(expires),
            "clientState": secret,
        }
        data = self._call(
            connection, "subscriptions.create", "POST", "subscriptions", json=body, idempotency_key=channel_id
        ).json()
        return port.Channel(channel_id=str(data["id"]), resource_id=str(data.get("resource", "")), expires_at=expires)

    def changes(self, connection: Connection, *, sync_token: str) -> tuple[list[port.Change], str]:
        return [], ""  # each Graph notification names its event: see GraphIntake.handle


ADAPTER = port.register(MicrosoftGraph())


class GraphIntake:
    """Change notifications: ``{"value": [{subscriptionId, clientState, changeType, resourceData: {id}}]}``.

    Every item must carry the ``clientState`` of a subscription of this connection, else the batch is refused.
    The batch is one notification (id: its digest, so a redelivery is a duplicate); handling fetches each named
    event from Graph and acts on what it says now, so order does not matter.
    """

    def verify(self, connection: Connection, *, body: bytes, headers: Mapping[str, str], channel: str) -> registry.Notification:
        from integrations.calendars import sync

        try:
            data = json.loads(body or b"null")
        except ValueError as exc:
            raise registry.SignatureInvalid("not JSON") from exc
        items = data.get("value") if isinstance(data, Mapping) else None
        if not isinstance(items, list) or not items:
            raise registry.SignatureInvalid("no notifications")
        for item in items:
            watch = sync.watch_of(connection, str(item.get("subscriptionId", "")))
            if watch is None or not sync.secret_matches(watch, str(item.get("clientState", ""))):
                raise registry.SignatureInvalid("unknown subscription or wrong clientState")
        changed = [
            {"id": str((item.get("resourceData") or {}).get("id", "")), "change": str(item.get("changeType", ""))}
            for item in items
        ]
        return registry.Notification(
            vendor_event_id=hashlib.sha256(body).hexdigest(), event_type="calendar.changed", payload={"events": changed}
        )

    def handle(self, connection: Connection, event: InboundEvent) -> bool:
        from integrations.calendars import sync

        ids = [str(item.get("id")) for item in event.payload.get("events", []) if item.get("id")]
        return sync.refresh_links(connection=connection, remote_ids=ids)


def handshake(query: Mapping[str, str]) -> str | None:
    """Graph proves the notification URL by posting ``?validationToken=...``: answer it as text/plain, unchanged."""
    return query.get("validationToken")


registry.register(
    registry.Vendor(
        kind=Kind.CALENDAR,
        name="microsoft",
        label="Microsoft Outlook (Graph)",
        intake=GraphIntake(),
        refused_status=403,
        docs_url="https://learn.microsoft.com/graph/api/resources/event",
        extra={"oauth": True, "handshake": handshake},
    )
)
