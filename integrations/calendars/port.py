"""The calendar port: what the sync asks of a vendor, in plain dataclasses (never a vendor's own objects).

An adapter translates a ``core.calendars.CalendarEntry`` into the vendor's event format and back. Every call goes
through ``connectors.calls.call`` (breaker, retries honouring Retry-After, the call log); an adapter raises the
framework's ``Unavailable`` / ``Rejected``, and ``Gone`` when the remote event no longer exists (404 or 410).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Protocol

from connectors.exceptions import Rejected
from connectors.models import Connection
from core.calendars import CalendarEntry


class Gone(Rejected):
    """The remote event is not there (deleted by the calendar's owner, or never created)."""


@dataclass(frozen=True)
class RemoteState:
    exists: bool
    response_status: str = ""  # the owner's answer as the vendor names it ("accepted", "tentativelyAccepted", ...)


@dataclass(frozen=True)
class Change:
    """One remote event a notification says changed (the sync keeps only those it maps)."""

    remote_id: str
    deleted: bool
    response_status: str = ""


@dataclass(frozen=True)
class Channel:
    """A change-notification channel the vendor opened (Google push channel, Graph subscription)."""

    channel_id: str
    resource_id: str
    expires_at: dt.datetime | None
    sync_token: str = ""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_in: int
    refresh_token: str = ""


class CalendarAdapter(Protocol):
    vendor: str
    scopes: tuple[str, ...]

    def authorize_url(self) -> str: ...

    def token_url(self) -> str: ...

    def client(self) -> tuple[str, str]:
        """The platform's OAuth client id and secret at this vendor."""
        ...

    def insert(self, connection: Connection, entry: CalendarEntry, *, key: str) -> str:
        """Create the event; the remote id. ``key`` makes a retried create find the first one, not add a second."""
        ...

    def update(self, connection: Connection, remote_id: str, entry: CalendarEntry, *, key: str) -> None:
        """Replace the remote event with ``entry``; Gone when it is not there."""
        ...

    def delete(self, connection: Connection, remote_id: str, *, key: str) -> None:
        """Remove the remote event (already gone counts as done)."""
        ...

    def get(self, connection: Connection, remote_id: str) -> RemoteState: ...

    def watch(self, connection: Connection, *, address: str, secret: str, channel_id: str) -> Channel: ...

    def changes(self, connection: Connection, *, sync_token: str) -> tuple[list[Change], str]:
        """What changed since ``sync_token`` (all events when it is empty or expired) and the next token."""
        ...

    def extend(self, connection: Connection, *, channel_id: str) -> dt.datetime | None:
        """Extend the channel in place: its new expiry; None when the vendor cannot extend a channel (Google: a new
        one must be opened); Gone when the vendor no longer has it."""
        ...

    def stop(self, connection: Connection, *, channel_id: str, resource_id: str) -> None:
        """Close the channel (one the vendor no longer has counts as closed)."""
        ...


_ADAPTERS: dict[str, CalendarAdapter] = {}


def register(adapter: CalendarAdapter) -> CalendarAdapter:
    _ADAPTERS[adapter.vendor] = adapter
    return adapter


def adapter(vendor: str) -> CalendarAdapter | None:
    return _ADAPTERS.get(vendor)


def adapters() -> list[CalendarAdapter]:
    return [_ADAPTERS[name] for name in sorted(_ADAPTERS)]


def stable_id(connection: Connection, source: str) -> str:
    """A deterministic id for one entry in one calendar: Google's client-chosen event id (base32hex, RFC 4648 §7,
    lower case) and Graph's ``transactionId`` come from it, so a create retried after a lost answer is recognized."""
    digest = hashlib.sha256(f"{connection.pk}:{source}".encode()).digest()
    return base64.b32hexencode(digest).decode().rstrip("=").lower()


def transaction_id(connection: Connection, source: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"emp:{connection.pk}:{source}"))
