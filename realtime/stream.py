"""One connection's stream, whatever carries it (``consumers`` for WebSockets, ``views`` for Server-Sent Events).

``events`` yields what the connection is sent, in order:

1. ``stream.ready``: the organization and the event types the credential reads;
2. with a last event id, the organization's outbox rows published after it (``history.events_after``),
   or ``stream.reset`` when they cannot be told (the id is unknown, or more than ``STREAM_RESUME_LIMIT``
   rows were missed): the client reads the current state through the REST API (or the change feed);
3. every event of the organization's group on the channel layer (``realtime.publish``) whose type
   the credential reads, once each (an event replayed and sent live is sent once);
4. ``stream.closed`` with the API's error body when the credential expires or stops being valid
   (checked every ``STREAM_REVALIDATE_SECONDS``), and the stream ends.

With the in-memory channel layer (one process) the changes made by other processes (the
worker's webhook deliveries, beat's jobs) never reach the layer, so the stream also reads the
organization's new outbox rows and changed deliveries every ``STREAM_POLL_SECONDS``;
a shared layer (Redis) carries every process's changes and the stream does not poll.
``KEEPALIVE`` is yielded every ``STREAM_KEEPALIVE_SECONDS`` of silence (an SSE comment; proxies
close idle connections).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import exceptions as drf

from api.exceptions import CredentialsRejected
from api.scopes import DELIVERY_UPDATED
from realtime import auth, history, listeners, publish

KEEPALIVE: dict[str, Any] = {"id": None, "event": "stream.keepalive", "timestamp": None, "data": {}}
READY, RESET, CLOSED = "stream.ready", "stream.reset", "stream.closed"
# Rows a poll looks back over: a row is stamped when it is written, and committed a little later.
POLL_LOOKBACK = dt.timedelta(seconds=10)
_SENT_KEPT = 5000


def notice(event: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": None, "event": event, "timestamp": publish.iso(timezone.now()), "data": data}


def _key(event: dict[str, Any]) -> str:
    if event["id"] is not None:
        return str(event["id"])
    data = event["data"]
    return f"{event['event']}:{data.get('id')}:{data.get('status')}:{data.get('attemptCount')}:{data.get('lastAttemptAt')}"


class Feed:
    """What one connection may read and what it was already sent."""

    def __init__(self, listener: auth.Listener) -> None:
        self.listener = listener
        self.sent: OrderedDict[str, None] = OrderedDict()
        self.started = timezone.now()
        self.polled_at = self.started

    def accept(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The events of ``events`` the connection reads and was not sent yet, remembered as sent."""
        fresh = []
        for event in events:
            if event["event"] not in self.listener.types:
                continue
            key = _key(event)
            if key in self.sent:
                continue
            self.sent[key] = None
            if len(self.sent) > _SENT_KEPT:
                self.sent.popitem(last=False)
            fresh.append(event)
        return fresh

    async def replay(self, after: uuid.UUID) -> list[dict[str, Any]]:
        limit = settings.STREAM_RESUME_LIMIT
        rows = await database_sync_to_async(history.events_after)(
            organization_id=self.listener.organization_id, event_id=after, types=self.listener.types, limit=limit + 1
        )
        if rows is None:
            return [notice(RESET, {"reason": "unknown-event", "lastEventId": str(after)})]
        if len(rows) > limit:
            return [notice(RESET, {"reason": "too-far-behind", "lastEventId": str(after)})]
        return self.accept([publish.outbox_event(row) for row in rows])

    async def poll(self) -> list[dict[str, Any]]:
        now = timezone.now()
        since = max(self.started, self.polled_at - POLL_LOOKBACK)
        self.polled_at = now
        organization_id = self.listener.organization_id
        found = [
            publish.outbox_event(row)
            for row in await database_sync_to_async(history.events_since)(
                organization_id=organization_id, types=self.listener.types, since=since, limit=500
            )
        ]
        if DELIVERY_UPDATED in self.listener.types:
            found += [
                publish.delivery_event(delivery)
                for delivery in await database_sync_to_async(history.deliveries_since)(
                    organization_id=organization_id, since=since, limit=200
                )
            ]
        return self.accept(found)


def polling() -> bool:
    return not listeners.shared() and settings.STREAM_POLL_SECONDS > 0


def _revalidate(request: HttpRequest, websocket: bool, kind: str) -> auth.Listener:
    if kind == "session":
        auth.reload_session(request)
    return auth.authenticate(request, websocket=websocket)


async def events(
    listener: auth.Listener, *, request: HttpRequest, after: uuid.UUID | None = None, websocket: bool = False
) -> AsyncIterator[dict[str, Any]]:
    """What the connection is sent (module docstring); ends after ``stream.closed``."""
    layer = listeners.layer()
    assert layer is not None, "CHANNEL_LAYERS has no default layer"
    loop = asyncio.get_running_loop()
    listeners.remember_loop(loop)
    # The default prefix: channels-redis reads all of a process's own channels from one key (its "specific." one).
    channel = await layer.new_channel()
    group = listeners.group_name(listener.organization_id)
    await layer.group_add(group, channel)
    feed = Feed(listener)
    try:
        await listeners.mark(listener.organization_id)
        yield notice(READY, {"organizationId": str(listener.organization_id), "events": sorted(listener.types)})
        if after is not None:
            for event in await feed.replay(after):
                yield event
        poll = polling()
        keepalive = float(settings.STREAM_KEEPALIVE_SECONDS)
        tick = min(keepalive, float(settings.STREAM_POLL_SECONDS)) if poll else keepalive
        next_tick = loop.time() + tick
        next_keepalive = loop.time() + keepalive
        next_check = loop.time() + float(settings.STREAM_REVALIDATE_SECONDS)
        while True:
            wait = next_tick - loop.time()
            if listener.expires_at is not None:
                wait = min(wait, (listener.expires_at - timezone.now()).total_seconds())
            message = None
            if wait > 0:
                try:
                    message = await asyncio.wait_for(layer.receive(channel), timeout=wait)
                except TimeoutError:
                    pass
            if message is not None:
                for event in feed.accept(message.get("events", [])):
                    yield event
                continue
            if listener.expires_at is not None and timezone.now() >= listener.expires_at:
                yield notice(CLOSED, auth.error_of(CredentialsRejected("The access token has expired.")))
                return
            if loop.time() < next_tick:
                continue
            next_tick = loop.time() + tick
            if loop.time() >= next_check:
                next_check = loop.time() + float(settings.STREAM_REVALIDATE_SECONDS)
                try:
                    again = await database_sync_to_async(_revalidate)(request, websocket, listener.kind)
                except drf.APIException as exc:
                    yield notice(CLOSED, auth.error_of(exc))
                    return
                if again.organization_id != listener.organization_id:  # a session whose first organization changed
                    yield notice(CLOSED, auth.error_of(drf.AuthenticationFailed("The session now acts in another organization.")))
                    return
                feed.listener = listener = again
            await listeners.mark(listener.organization_id)
            if poll:
                for event in await feed.poll():
                    yield event
            if loop.time() >= next_keepalive:
                next_keepalive = loop.time() + keepalive
                await layer.group_add(group, channel)  # membership expires in the layer (a day): keep it fresh
                yield KEEPALIVE
    finally:
        await layer.group_discard(group, channel)
