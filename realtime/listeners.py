"""Who listens to an organization's stream: the channel layer's groups, and the flag that spares publishers a send.

Each connected client is a member of its organization's group (``group_name``). A publisher
asks ``listening`` before it sends, so a write of an organization nobody streams costs no
message and no query: with the in-memory layer (one process) the layer's own group table
answers; with a shared layer (Redis) each connection keeps a flag in the cache
(``mark``, refreshed while it is open), the way ``integrations.selectors.outbox_listeners``
keeps the webhook flag. With the database cache the flag would cost the statement it saves,
so there the publisher sends and the layer drops what no group member takes.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from channels.layers import BaseChannelLayer, InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

_ANY = "stream:listeners:any"
# The event loop the in-memory layer's clients wait in (the ASGI server's): publishers in other threads hand their
# sends to it, as that layer's queues belong to it.
_home: asyncio.AbstractEventLoop | None = None


def remember_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _home
    _home = loop


def home_loop() -> asyncio.AbstractEventLoop | None:
    return _home if _home is not None and _home.is_running() else None


def group_name(organization_id: uuid.UUID | str) -> str:
    return f"stream.org.{uuid.UUID(str(organization_id)).hex}"


def _flag_key(organization_id: uuid.UUID | str) -> str:
    return f"stream:listeners:{uuid.UUID(str(organization_id)).hex}"


def layer() -> BaseChannelLayer | None:
    return get_channel_layer()  # type: ignore[no-any-return]


def shared() -> bool:
    """Whether the layer reaches other processes (Redis); the in-memory layer reaches only this one."""
    found = layer()
    return found is not None and not isinstance(found, InMemoryChannelLayer)


def _flag_in_cache() -> bool:
    return "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]


def flag_seconds() -> int:
    # Refreshed at every keep-alive; kept a little longer than two of them so one late refresh loses nothing.
    return int(settings.STREAM_KEEPALIVE_SECONDS * 2 + 10)


def listening(organization_id: uuid.UUID | str | None = None) -> bool:
    """Whether a client may be listening to the organization's stream (to any stream when None): cheap, no query."""
    found = layer()
    if found is None:
        return False
    if isinstance(found, InMemoryChannelLayer):
        if organization_id is None:
            return any(name.startswith("stream.org.") and members for name, members in found.groups.items())
        return bool(found.groups.get(group_name(organization_id)))
    if not _flag_in_cache():
        return True
    try:
        return cache.get(_ANY if organization_id is None else _flag_key(organization_id)) is not None
    except Exception:  # a cache outage must not cost a client its events
        logger.warning("stream listener flag unreadable; sending", exc_info=True)
        return True


async def mark(organization_id: uuid.UUID | str) -> None:
    """A client of the organization is connected (a shared layer only): set or refresh its flags."""
    if not shared() or not _flag_in_cache():
        return
    try:
        await cache.aset_many({_flag_key(organization_id): 1, _ANY: 1}, timeout=flag_seconds())
    except Exception:
        logger.warning("stream listener flag not kept; publishers send regardless while the cache is down", exc_info=True)
