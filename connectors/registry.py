"""The registry of connectors: one ``Vendor`` per (kind, vendor), registered by the adapter module itself.

An app's ``AppConfig.ready`` imports its adapter modules (``payments.providers.stripe``, ...), and each calls
``register``: the way pretix plugins answer ``register_payment_providers``. Nothing here knows a vendor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from connectors.models import Connection, InboundEvent


@dataclass(frozen=True)
class Field:
    """A credential (secret, encrypted, never shown) or a setting (shown) a connection of the vendor needs."""

    name: str
    label: str
    required: bool = True
    pattern: str = ""  # a regular expression the value must match in full ("{mode}" is the connection's mode)
    help: str = ""

    def problem(self, value: Any, mode: str) -> str | None:
        if value in (None, ""):
            return "required" if self.required else None
        if not isinstance(value, str):
            return "must be a string"
        if self.pattern and not re.fullmatch(self.pattern.replace("{mode}", mode), value):
            return f"does not have the expected format ({self.help or self.pattern})"
        return None


@dataclass(frozen=True)
class Notification:
    """A vendor notification after its signature was verified: the vendor's unique id, its type, its body."""

    vendor_event_id: str
    event_type: str
    payload: Mapping[str, Any]


class SignatureInvalid(Exception):
    """The notification's signature (or timestamp) does not verify: it is refused and nothing is stored."""


class Intake(Protocol):
    """How a vendor's notifications are verified and acted on (``connectors.intake`` calls these)."""

    def verify(self, connection: Connection, *, body: bytes, headers: Mapping[str, str], channel: str) -> Notification:
        """Check the signature and timestamp; raise SignatureInvalid. May call the vendor (PayPal verifies so)."""
        ...

    def handle(self, connection: Connection, event: InboundEvent) -> bool:
        """Act on the notification (fetch the object from the vendor, call the owning app's service);
        False when the type needs no action. Runs in a worker, outside any transaction; must be idempotent."""
        ...


@dataclass(frozen=True)
class Vendor:
    kind: str
    name: str
    label: str
    credentials: tuple[Field, ...] = ()
    settings: tuple[Field, ...] = ()
    # A cheap authenticated call that proves the credentials work (``connections/{id}/test``); returns a sentence.
    test: Callable[[Connection], str] | None = None
    intake: Intake | None = None
    # The vendor's answer to a refused notification (Stripe: 400, so it retries a genuine one after a key change).
    refused_status: int = 400
    # Extra checks of credentials and settings together: {field: problem}.
    validate: Callable[[str, Mapping[str, Any], Mapping[str, Any]], dict[str, str]] | None = None
    docs_url: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)


_VENDORS: dict[tuple[str, str], Vendor] = {}


def register(vendor: Vendor) -> Vendor:
    """Add a vendor; registering the same (kind, name) twice replaces it (module reloads in development)."""
    _VENDORS[vendor.key] = vendor
    return vendor


def get(kind: str, name: str) -> Vendor | None:
    return _VENDORS.get((kind, name))


def vendors(kind: str | None = None) -> list[Vendor]:
    return sorted((v for v in _VENDORS.values() if kind is None or v.kind == kind), key=lambda v: v.key)


def available() -> dict[str, list[str]]:
    """{kind: [vendor, ...]} of what can be connected (for error details and the console)."""
    table: dict[str, list[str]] = {}
    for vendor in vendors():
        table.setdefault(vendor.kind, []).append(vendor.name)
    return table
