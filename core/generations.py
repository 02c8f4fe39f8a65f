"""A per-organization generation token that changes whenever the organization's data changes.

Read caches put it in their keys, so one bump after a commit retires every
cached read of that organization at once: nothing needs to know which entries
a write touched. Every service write records an audit entry, and
``core.audit.record`` bumps the generation when the transaction commits.

Only the API read cache reads generations: with it off (``API_READ_CACHE_SECONDS=0``,
the default) writes do not bump, which saves a cache write per write. Entries
cached before a restart with the cache off live at most ``API_READ_CACHE_SECONDS``.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def _key(organization_id: uuid.UUID | str) -> str:
    return f"orggen:{organization_id}"


def current(organization_id: uuid.UUID | str) -> str:
    key = _key(organization_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        value = cache.get(key) or uuid.uuid4().hex
    return str(value)


def bump(organization_id: uuid.UUID | str) -> None:
    try:
        cache.set(_key(organization_id), uuid.uuid4().hex, timeout=None)
    except Exception:  # a cache outage must never fail a committed write
        logger.exception("could not bump the cache generation of organization %s", organization_id)


def bump_on_commit(organization_id: uuid.UUID | str) -> None:
    """Bump the generation when the current transaction commits, if anything reads it."""
    if settings.API_READ_CACHE_SECONDS > 0:
        transaction.on_commit(lambda: bump(organization_id))
