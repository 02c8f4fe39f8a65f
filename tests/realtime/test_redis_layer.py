"""The stream on the Redis channel layer (channels-redis), as in production: events written where no stream client
is (a thread with its own event loop, as a worker process or another web server) reach the clients through Redis,
and the listener flag in the cache spares publishers a send when no client listens. Needs REDIS_URL."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.db import connection

from config.asgi import application
from realtime import listeners
from tests.realtime.conftest import check_in, create_event, run_loop

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="needs Redis (set REDIS_URL)"),
]


@pytest.fixture
def redis_layer(settings: Any) -> Iterator[None]:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}], "prefix": f"emp-test-{os.getpid()}"},
        }
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"t{os.getpid()}",
        }
    }
    channel_layers.backends.clear()
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
    channel_layers.backends.clear()


def elsewhere(write: Callable[..., Any], *args: Any) -> None:
    try:
        write(*args)
    finally:
        connection.close()  # the executor's thread outlives the test: leave the test database nothing open


def test_events_written_elsewhere_reach_the_clients_through_redis_and_only_their_organizations(
    redis_layer, org, other_org, key, ticket
):
    assert listeners.shared()
    mine, theirs = key(org, "registrations:read", "events:read"), key(other_org, "registrations:read", "events:read")
    assert not listeners.listening(org.pk)  # nobody streams: a write sends nothing

    async def test() -> None:
        own = WebsocketCommunicator(application, "/api/v1/stream", headers=[(b"authorization", f"Bearer {mine}".encode())])
        other = WebsocketCommunicator(application, "/api/v1/stream", headers=[(b"authorization", f"Bearer {theirs}".encode())])
        for stream in (own, other):
            connected, _ = await stream.connect(timeout=10)
            assert connected
            assert (await stream.receive_json_from(timeout=10))["event"] == "stream.ready"
        assert listeners.listening(org.pk) and listeners.listening(other_org.pk)

        # Written in a thread with no tie to this event loop: the message can only come through Redis.
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, elsewhere, check_in, ticket)
        await loop.run_in_executor(None, elsewhere, create_event, org, "Through Redis")
        first, second = await own.receive_json_from(timeout=10), await own.receive_json_from(timeout=10)
        assert (first["event"], second["event"]) == ("checkin.completed", "event.created")
        assert second["data"]["title"] == "Through Redis"
        assert await other.receive_nothing(timeout=1)
        await own.disconnect()
        await other.disconnect()

    run_loop(test)
