"""Writes of connections: connect, test, disconnect; their credentials and OAuth tokens; replay of a notification.

Credentials are checked against the vendor's declared fields, encrypted with ``core.secrets`` and never returned
by the API. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.models import Organization, User
from connectors import clock, errors, registry
from connectors.exceptions import VendorError
from connectors.models import Connection, ConnectionStatus, InboundEvent, InboundStatus
from core import audit, secrets
from core.audit import Actor
from core.errors import DomainError
from core.jobs import enqueue


def _vendor(kind: str, name: str) -> registry.Vendor:
    vendor = registry.get(kind, name)
    if vendor is None:
        raise DomainError(errors.CONNECTION_VENDOR_UNKNOWN, target="vendor", details={"available": registry.available()})
    return vendor


def _check(vendor: registry.Vendor, mode: str, credentials: Mapping[str, Any], settings: Mapping[str, Any]) -> None:
    problems: dict[str, str] = {}
    known = {f.name for f in vendor.credentials} | {f.name for f in vendor.settings}
    for name in sorted(set(credentials) | set(settings)):
        if name not in known:
            problems[name] = "not a field of this vendor"
    for group, values in ((vendor.credentials, credentials), (vendor.settings, settings)):
        for field in group:
            problem = field.problem(values.get(field.name), mode)
            if problem:
                problems[field.name] = problem
    if not problems and vendor.validate is not None:
        problems.update(vendor.validate(mode, credentials, settings))
    if problems:
        raise DomainError(
            errors.CONNECTION_CREDENTIALS_INVALID,
            target="credentials",
            details=[{"target": name, "code": "INVALID", "message": message} for name, message in problems.items()],
        )


def connection_create(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    vendor: str,
    mode: str,
    credentials: Mapping[str, Any],
    settings: Mapping[str, Any] | None = None,
    name: str = "",
    user: User | None = None,
) -> Connection:
    """Connect ``organization`` (or ``user`` in it) to a vendor. Raises CONNECTION_VENDOR_UNKNOWN and
    CONNECTION_CREDENTIALS_INVALID. The credentials are not tried here: ``connection_test`` does that."""
    spec = _vendor(kind, vendor)
    settings = dict(settings or {})
    _check(spec, mode, credentials, settings)
    with transaction.atomic():
        connection = Connection.objects.create(
            organization=organization,
            user=user,
            kind=kind,
            vendor=vendor,
            mode=mode,
            name=name,
            credentials=secrets.encrypt(json.dumps(dict(credentials))),
            settings=settings,
            created_by=str(actor.audit_label)[:255],
        )
        audit.record(
            actor=actor,
            action="connection.created",
            target=connection,
            organization_id=organization.pk,
            changes={"kind": kind, "vendor": vendor, "mode": mode, "credentials": sorted(credentials), "settings": settings},
        )
    return connection


def credentials_of(connection: Connection) -> dict[str, Any]:
    """The decrypted credentials ({} once disconnected)."""
    if not connection.credentials:
        return {}
    data: dict[str, Any] = json.loads(secrets.decrypt(connection.credentials))
    return data


def secret_values(connection: Connection) -> list[str]:
    """Every secret string of the connection (the call log takes them out of error messages)."""
    values = [str(v) for v in credentials_of(connection).values() if v]
    for token in (connection.access_token, connection.refresh_token):
        if token:
            values.append(secrets.decrypt(token))
    return values


@dataclass(frozen=True)
class TestResult:
    ok: bool
    message: str
    duration_ms: int


def connection_test(*, actor: Actor, connection: Connection) -> TestResult:
    """Make the vendor's cheap authenticated call now (through the breaker and the call log)."""
    if connection.status == ConnectionStatus.DISCONNECTED:
        raise DomainError(errors.CONNECTION_DISCONNECTED)
    spec = _vendor(connection.kind, connection.vendor)
    started = time.monotonic()
    if spec.test is None:
        ok, message = True, "This vendor has no test call; the credentials are stored."
    else:
        try:
            ok, message = True, spec.test(connection)
        except VendorError as exc:
            ok, message = False, exc.message
    result = TestResult(ok=ok, message=message, duration_ms=int((time.monotonic() - started) * 1000))
    audit.record(
        actor=actor,
        action="connection.tested",
        target=connection,
        organization_id=connection.organization_id,
        changes={"ok": ok},
    )
    return result


def connection_disconnect(*, actor: Actor, connection: Connection) -> Connection:
    """Forget the credentials and tokens; the connection makes no more calls and takes no notifications."""
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(
            status=ConnectionStatus.DISCONNECTED,
            credentials="",
            access_token="",
            refresh_token="",
            token_expires_at=None,
            disconnected_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="connection.disconnected",
            target=connection,
            organization_id=connection.organization_id,
            changes={"status": {"from": connection.status, "to": ConnectionStatus.DISCONNECTED}},
        )
    connection.refresh_from_db()
    return connection


# -- OAuth tokens (client credentials, authorization code) -------------------------------------------
def access_token(
    connection: Connection, fetch: Callable[[], tuple[str, int, str]], *, margin: dt.timedelta = dt.timedelta(seconds=60)
) -> str:
    """The connection's access token, fetched again through ``fetch() -> (token, expires_in, refresh_token)``
    when it is missing or expires within ``margin`` (PayPal's client-credentials token is cached so)."""
    now = clock.now()
    if connection.access_token and connection.token_expires_at and connection.token_expires_at - margin > now:
        return secrets.decrypt(connection.access_token)
    fresh = Connection.objects.filter(pk=connection.pk).values_list("access_token", "token_expires_at").get()
    if fresh[0] and fresh[1] and fresh[1] - margin > now:
        connection.access_token, connection.token_expires_at = fresh
        return secrets.decrypt(fresh[0])
    token, expires_in, refresh = fetch()
    tokens_store(connection, access=token, expires_in=expires_in, refresh=refresh)
    return token


def tokens_store(connection: Connection, *, access: str, expires_in: int, refresh: str = "") -> None:
    connection.access_token = secrets.encrypt(access)
    connection.token_expires_at = clock.now() + dt.timedelta(seconds=expires_in)
    fields = {"access_token": connection.access_token, "token_expires_at": connection.token_expires_at}
    if refresh:
        connection.refresh_token = fields["refresh_token"] = secrets.encrypt(refresh)
    Connection.objects.filter(pk=connection.pk).update(**fields)


# -- inbound notifications ------------------------------------------------------------------------------
def inbound_replay(*, actor: Actor, event: InboundEvent) -> InboundEvent:
    """Process a stored notification again (after a fix): it is fetched from the vendor anew, so nothing doubles."""
    from connectors.tasks import process_inbound

    with transaction.atomic():
        InboundEvent.objects.filter(pk=event.pk).update(status=InboundStatus.RECEIVED, lease_until=None, error="")
        audit.record(
            actor=actor,
            action="connection.notification_replayed",
            target=event.connection,
            organization_id=event.organization_id,
            changes={"notification": event.vendor_event_id, "type": event.event_type},
        )
        enqueue(process_inbound, str(event.pk))
    event.refresh_from_db()
    return event


def settings_store(*, actor: Actor, connection: Connection, values: Mapping[str, Any]) -> Connection:
    """Merge ``values`` into the connection's (non-secret) settings, audited: what a test call learnt, such as an
    SFTP server's host key pinned at setup."""
    with transaction.atomic():
        fresh = Connection.objects.select_for_update().get(pk=connection.pk)
        before = {k: fresh.settings.get(k) for k in values}
        fresh.settings = {**fresh.settings, **values}
        fresh.save(update_fields=["settings", "updated_at"])
        audit.record(
            actor=actor,
            action="connection.settings_changed",
            target=fresh,
            organization_id=fresh.organization_id,
            changes={k: {"from": before[k], "to": v} for k, v in values.items()},
        )
    connection.settings = fresh.settings
    return connection
