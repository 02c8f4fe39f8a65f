"""The WebSocket routes of the ASGI application (config/asgi.py): the stream, on the same path as its SSE form."""

from django.urls import path

from realtime.consumers import StreamConsumer

websocket_urlpatterns = [path("api/v1/stream", StreamConsumer.as_asgi(), name="stream-websocket")]
