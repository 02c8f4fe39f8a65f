"""The circuit breaker of a connection, kept in its row so every web and worker process shares it.

Closed: calls go through; ``CONNECTOR_BREAKER_FAILURES`` consecutive failures open it. Open: calls are
refused at once (``CircuitOpen``) until ``CONNECTOR_BREAKER_COOLDOWN_SECONDS`` have passed; then one caller
wins a conditional UPDATE and becomes the half-open probe. The probe's success closes the circuit, its
failure opens it again for another cool-down. Every change is one conditional UPDATE: no row lock is held
while a vendor is called.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Q

from connectors import clock
from connectors.exceptions import CircuitOpen, Disconnected
from connectors.models import CircuitState, Connection, ConnectionStatus


def _cooldown() -> dt.timedelta:
    return dt.timedelta(seconds=settings.CONNECTOR_BREAKER_COOLDOWN_SECONDS)


def before_call(connection: Connection) -> None:
    """Raise CircuitOpen (or Disconnected) unless a call may be made now."""
    now = clock.now()
    state, opened_at, probe_until, status = (
        Connection.objects.filter(pk=connection.pk)
        .values_list("circuit_state", "circuit_opened_at", "probe_until", "status")
        .get()
    )
    if status == ConnectionStatus.DISCONNECTED:
        raise Disconnected("the connection is disconnected")
    if state == CircuitState.CLOSED:
        return
    if state == CircuitState.OPEN:
        reopen_at = (opened_at or now) + _cooldown()
        if reopen_at > now:
            raise CircuitOpen((reopen_at - now).total_seconds())
        won = Connection.objects.filter(pk=connection.pk, circuit_state=CircuitState.OPEN, circuit_opened_at=opened_at).update(
            circuit_state=CircuitState.HALF_OPEN, probe_until=now + _cooldown()
        )
    else:  # half-open: a probe is in flight; take over only when it has overrun its time
        if probe_until is not None and probe_until > now:
            raise CircuitOpen((probe_until - now).total_seconds())
        won = Connection.objects.filter(pk=connection.pk, circuit_state=CircuitState.HALF_OPEN, probe_until=probe_until).update(
            probe_until=now + _cooldown()
        )
    if not won:
        raise CircuitOpen(_cooldown().total_seconds())


def record_success(connection: Connection) -> None:
    now = clock.now()
    Connection.objects.filter(pk=connection.pk).update(
        circuit_state=CircuitState.CLOSED, consecutive_failures=0, circuit_opened_at=None, probe_until=None, last_success_at=now
    )
    Connection.objects.filter(pk=connection.pk, status=ConnectionStatus.FAILING).update(status=ConnectionStatus.CONNECTED)


def record_reachable(connection: Connection, error: str, *, credentials_refused: bool) -> None:
    """The vendor answered (a refusal): the circuit closes, the error is kept; refused credentials mark it failing."""
    now = clock.now()
    Connection.objects.filter(pk=connection.pk).update(
        circuit_state=CircuitState.CLOSED,
        consecutive_failures=0,
        circuit_opened_at=None,
        probe_until=None,
        last_error=error[:500],
        last_error_at=now,
    )
    if credentials_refused:
        Connection.objects.filter(pk=connection.pk).exclude(status=ConnectionStatus.DISCONNECTED).update(
            status=ConnectionStatus.FAILING
        )


def record_failure(connection: Connection, error: str) -> bool:
    """Count a failure; True when the circuit is open now (no point retrying before the cool-down)."""
    now = clock.now()
    Connection.objects.filter(pk=connection.pk).update(
        consecutive_failures=F("consecutive_failures") + 1, last_error=error[:500], last_error_at=now
    )
    Connection.objects.filter(pk=connection.pk, status=ConnectionStatus.CONNECTED).update(status=ConnectionStatus.FAILING)
    Connection.objects.filter(
        Q(circuit_state=CircuitState.HALF_OPEN)
        | Q(circuit_state=CircuitState.CLOSED, consecutive_failures__gte=settings.CONNECTOR_BREAKER_FAILURES),
        pk=connection.pk,
    ).update(circuit_state=CircuitState.OPEN, circuit_opened_at=now, probe_until=None)
    return Connection.objects.filter(pk=connection.pk, circuit_state=CircuitState.OPEN).exists()
