"""The stream over a WebSocket: ``wss://<host>/api/v1/stream`` (docs/realtime.md).

Each text frame is one JSON event (``realtime.stream``). A refused connection is accepted,
sent ``stream.closed`` with the API's error body, and closed with code 4000 + the HTTP
status (4401 unauthenticated, 4403 forbidden, 4404 unknown organization); a stream whose
credential expires or is revoked ends the same way. The client may send ``{"type": "ping"}``
and is answered ``stream.pong``; anything else it sends is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from rest_framework import exceptions as drf

from api.exceptions import ApiError
from realtime import auth, errors, stream

logger = logging.getLogger(__name__)

LAST_EVENT_PARAMS = ("lastEventId", "last_event_id")


def last_event_id(raw: str | None) -> uuid.UUID | None:
    """The resume point a client sent (``Last-Event-ID``, ``lastEventId``); refused when it is not an event id."""
    if not raw:
        return None
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise ApiError(errors.INVALID_LAST_EVENT_ID, target="lastEventId") from None


class StreamConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    pump: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        offered: list[str] = self.scope.get("subprotocols") or []
        subprotocol = auth.PROTOCOL if auth.PROTOCOL in offered else None
        request = auth.request_from_scope(self.scope)
        try:
            auth.take_credential(request, protocols=offered)
            after = last_event_id(next((request.GET[p] for p in LAST_EVENT_PARAMS if request.GET.get(p)), None))
            listener = await database_sync_to_async(auth.authenticate)(request, websocket=True)
        except drf.APIException as exc:
            await self.accept(subprotocol)
            body = auth.error_of(exc)
            await self.send_json(stream.notice(stream.CLOSED, body))
            await self.close(code=4000 + int(body["error"]["status"]))
            return
        await self.accept(subprotocol)
        self.pump = asyncio.create_task(self._pump(listener, request, after))

    async def _pump(self, listener: auth.Listener, request: Any, after: uuid.UUID | None) -> None:
        closing = 1000
        try:
            async for event in stream.events(listener, request=request, after=after, websocket=True):
                if event is stream.KEEPALIVE:
                    continue
                await self.send_json(event)
                if event["event"] == stream.CLOSED:
                    closing = 4000 + int(event["data"]["error"]["status"])
        except Exception:
            logger.exception("stream of %s failed", listener.organization_id)
            closing = 1011  # RFC 6455 section 7.4.1: an unexpected condition; the client reconnects and resumes
        await self.close(code=closing)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json(stream.notice("stream.pong", {}))

    async def disconnect(self, code: int) -> None:
        if self.pump is not None:
            self.pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.pump
