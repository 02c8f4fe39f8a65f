"""Error codes of the real-time stream."""

from core.errors import define

STREAM_UNAVAILABLE = define(
    "STREAM_UNAVAILABLE",
    status=503,
    title="The stream is not served here",
    description="The real-time stream is served by the platform's ASGI server (uvicorn); this server answers the "
    "rest of the API. Connect to the address that routes /api/v1/stream to the ASGI server.",
)
NO_STREAM_EVENTS = define(
    "NO_STREAM_EVENTS",
    status=403,
    title="These credentials read none of the stream's events",
    description="Each event of the stream needs the read scope of its resource (events:read, registrations:read, "
    "payments:read, webhooks:read) and, for a user, a role that reads it. Grant one of them to the key or token.",
)
INVALID_LAST_EVENT_ID = define(
    "INVALID_LAST_EVENT_ID",
    status=400,
    title="Last-Event-ID is not an event id",
    description="Last-Event-ID (or lastEventId) must be the id of an event the stream sent: a UUID.",
)
