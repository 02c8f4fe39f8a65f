"""The stream as Server-Sent Events: ``GET /api/v1/stream`` (docs/realtime.md), for clients without WebSockets.

The same credentials, organization and filtering as the WebSocket (``realtime.auth``); each
event is an SSE message whose ``event`` is the type, whose ``data`` is the JSON event and, for
outbox events, whose ``id`` is the event's id, so a browser's EventSource resumes by itself
with ``Last-Event-ID`` after a reconnect (``retry`` tells it to wait 3 s). Served by the ASGI
server only: a WSGI server would hold one of its workers per client, and answers 503
``STREAM_UNAVAILABLE`` (204 to an EventSource, which then stops reconnecting and the page polls).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from api.exceptions import ApiError
from api.ratelimit import RateLimitedView
from api.scopes import STREAM_SCOPES
from realtime import auth, errors, stream
from realtime.consumers import last_event_id

RETRY_MS = 3000


class HasCredentials(BasePermission):
    """Valid credentials of any kind (401 otherwise); which events they read is the stream's to decide."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


def sse(event: dict[str, Any]) -> bytes:
    """One Server-Sent Events message (HTML Living Standard, 9.2): ``id`` (outbox events), ``event``, ``data``."""
    if event is stream.KEEPALIVE:
        return b": keepalive\n\n"
    lines = [f"id: {event['id']}"] if event["id"] is not None else []
    lines += [f"event: {event['event']}", f"data: {json.dumps(event, separators=(',', ':'), ensure_ascii=False)}", "", ""]
    return "\n".join(lines).encode()


async def body(listener: auth.Listener, request: HttpRequest, after: Any) -> AsyncIterator[bytes]:
    yield f"retry: {RETRY_MS}\n\n".encode()
    async for event in stream.events(listener, request=request, after=after):
        yield sse(event)


_TYPES = ", ".join(f"`{t}`" for t in STREAM_SCOPES)


class StreamView(RateLimitedView, APIView):
    """The organization's events as they happen, as Server-Sent Events."""

    # Every event type has its own scope: the stream filters (realtime.auth), the endpoint needs only valid credentials.
    permission_classes = [HasCredentials]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # EventSource asks for text/event-stream: the stream answers it; a refusal is the API's JSON error.
        return super().perform_content_negotiation(request, force=True)

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        auth.take_credential(request)  # access_token: before the API's authentication classes read the headers
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="stream_events",
        summary="Stream the organization's events (Server-Sent Events)",
        description=(
            "Sends the organization's events as they are committed, as `text/event-stream`: each message's "
            "`event` is the type, `data` the JSON event `{id, event, timestamp, data}` (the webhook envelope's "
            "fields, `data` as the API renders the resource) and `id` the event's id. Each type is sent only to "
            "credentials holding its read scope: " + _TYPES.replace("`, `", "`, `") + " (see the guide's Real-time "
            "section for the table). The first message is `stream.ready` naming the types this credential reads; "
            "`stream.reset` says events were missed and cannot be replayed; `stream.closed` ends the stream with "
            "an error body (credentials expired or revoked). Resume with `Last-Event-ID` (EventSource sends it). "
            "The same stream is offered as a WebSocket on this path (subprotocol `emp.stream.v1`)."
        ),
        parameters=[
            OpenApiParameter(
                "Last-Event-ID",
                OpenApiTypes.UUID,
                OpenApiParameter.HEADER,
                description="Resume after this event: the events published since are sent first.",
            ),
            OpenApiParameter(
                "lastEventId", OpenApiTypes.UUID, description="Resume after this event (for clients that cannot set the header)."
            ),
            OpenApiParameter(
                "organization",
                OpenApiTypes.UUID,
                description="A signed-in session's organization (else its first); keys and tokens act in their own.",
            ),
            OpenApiParameter(
                auth.TOKEN_PARAM,
                OpenApiTypes.STR,
                description="The API key or access token, for browsers' EventSource, which cannot send headers "
                "(RFC 6750 section 2.3). Prefer the Authorization header: addresses end up in logs.",
            ),
        ],
        responses={
            (200, "text/event-stream"): OpenApiResponse(
                OpenApiTypes.STR,
                description="The event stream; it stays open.",
                examples=[
                    OpenApiExample(
                        "A check-in",
                        value=(
                            'id: 0e0f5d2a-6b1c-4a7e-9a51-2f1f7a0c9b11\nevent: checkin.completed\ndata: {"id":"0e0f5d2a-'
                            '6b1c-4a7e-9a51-2f1f7a0c9b11","event":"checkin.completed","timestamp":"2026-12-03T18:00:00Z",'
                            '"data":{"id":"5b0c...","registrationId":"..."}}\n\n'
                        ),
                    )
                ],
            ),
        },
    )
    def get(self, request: Request) -> HttpResponse | StreamingHttpResponse:
        after = last_event_id(request.headers.get("Last-Event-ID") or request.query_params.get("last_event_id"))
        listener = auth.listener_of(request)  # credentials and tenancy first, whatever server answers
        if not isinstance(request._request, ASGIRequest):
            if "text/event-stream" in request.headers.get("Accept", ""):
                # An EventSource told 204 stops reconnecting (HTML Living Standard, 9.2.3): a page falls back on polling.
                return HttpResponse(status=204)
            raise ApiError(errors.STREAM_UNAVAILABLE)
        response = StreamingHttpResponse(body(listener, request._request, after), content_type="text/event-stream")
        response["Cache-Control"] = "no-store"
        response["X-Accel-Buffering"] = "no"  # nginx: pass each message on at once
        return response
