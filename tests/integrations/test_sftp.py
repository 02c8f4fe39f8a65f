"""The SFTP connector against real SFTP servers on 127.0.0.1 (tests.fakes.sftp): OpenSSH's sshd for key logins
and every fault, asyncssh's server for password logins."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from connectors import services as connector_services
from connectors.exceptions import Rejected, Unavailable
from connectors.models import CallLog, CallOutcome, Connection, ConnectionStatus
from core.audit import SYSTEM
from core.models import AuditEntry
from integrations import sftp, transfer
from tests.fakes.sftp import AsyncSSHServer, OpenSSHServer, available

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not available(), reason="needs Debian's openssh-server (/usr/sbin/sshd) and ssh-keygen"),
]


@pytest.fixture
def sshd(tmp_path: Path) -> Any:
    server = OpenSSHServer(tmp_path / "sshd")
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: Any) -> None:
    monkeypatch.setattr("connectors.clock.sleep", lambda seconds: None)


def connect(org: Any, server: Any, *, credentials: dict[str, str] | None = None, **options: str) -> Connection:
    return connector_services.connection_create(
        actor=SYSTEM,
        organization=org,
        kind="file_transfer",
        vendor="sftp",
        mode="live",
        credentials=credentials or {"private_key": server.client_key},
        settings={
            "host": "127.0.0.1",
            "port": str(server.port),
            "username": server.user,
            "directory": str(server.root),
            **options,
        },
    )


def a_file(tmp_path: Path, size: int = 1000) -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(os.urandom(size))
    return path


def test_the_first_test_pins_the_host_key_and_an_upload_lands_under_its_name(org, sshd, tmp_path):
    connection = connect(org, sshd)

    result = connector_services.connection_test(actor=SYSTEM, connection=connection)

    assert result.ok, result.message
    connection.refresh_from_db()
    assert connection.settings["host_key"] == sshd.host_key  # what sshd's host_ed25519.pub holds
    assert sftp.fingerprint(sshd.host_key) in result.message
    assert AuditEntry.objects.filter(action="connection.settings_changed", object_id=str(connection.pk)).exists()
    local = a_file(tmp_path)

    uploaded = transfer.upload(connection, local, "registrations.csv", idempotency_key="run-1")

    assert uploaded.remote_path == f"{sshd.root}/registrations.csv" and uploaded.size == 1000
    assert (sshd.root / "registrations.csv").read_bytes() == local.read_bytes()
    assert sorted(p.name for p in sshd.root.iterdir()) == ["registrations.csv"]  # the temporary name is gone
    # A second test finds the same key.
    assert "matches the pinned key" in connector_services.connection_test(actor=SYSTEM, connection=connection).message


def test_a_changed_host_key_is_refused_before_any_credential_is_sent(org, sshd, tmp_path):
    connection = connect(org, sshd)
    assert connector_services.connection_test(actor=SYSTEM, connection=connection).ok
    connection.refresh_from_db()
    pinned = connection.settings["host_key"]
    sshd.stop()
    sshd.new_host_key()
    sshd.start()
    logged_before = len(sshd.log.read_text())

    result = connector_services.connection_test(actor=SYSTEM, connection=connection)
    with pytest.raises(Rejected, match="host key changed") as refused:
        transfer.upload(connection, a_file(tmp_path), "registrations.csv", idempotency_key="run-1")

    assert not result.ok and "host key changed" in result.message
    assert refused.value.vendor_code == "host_key_changed"
    connection.refresh_from_db()
    assert connection.settings["host_key"] == pinned  # never re-pinned by a test
    assert list(sshd.root.iterdir()) == []
    assert "Accepted publickey" not in sshd.log.read_text()[logged_before:]  # no login was attempted with the new key
    assert CallLog.objects.filter(connection=connection, outcome=CallOutcome.REJECTED).count() == 2  # not retried


def test_a_host_key_entered_at_connect_time_is_checked_by_the_first_test(org, sshd, tmp_path):
    other = OpenSSHServer(tmp_path / "other")  # never started: only its key
    connection = connect(org, sshd, host_key=other.host_key)

    result = connector_services.connection_test(actor=SYSTEM, connection=connection)

    assert not result.ok and "host key changed" in result.message
    connection.refresh_from_db()
    assert connection.settings["host_key"] == other.host_key


def test_an_upload_needs_a_pinned_key(org, sshd, tmp_path):
    connection = connect(org, sshd)
    with pytest.raises(Rejected, match="not pinned"):
        transfer.upload(connection, a_file(tmp_path), "registrations.csv", idempotency_key="run-1")
    assert not CallLog.objects.filter(connection=connection).exists()  # refused before any call


def test_a_server_that_is_down_is_unavailable_and_retried(org, sshd, tmp_path, settings):
    connection = connect(org, sshd)
    assert connector_services.connection_test(actor=SYSTEM, connection=connection).ok
    connection.refresh_from_db()
    sshd.stop()

    with pytest.raises(Unavailable, match="cannot reach"):
        transfer.upload(connection, a_file(tmp_path), "registrations.csv", idempotency_key="run-1")

    outcomes = list(CallLog.objects.filter(connection=connection, operation="sftp.upload").values_list("outcome", flat=True))
    assert outcomes == [CallOutcome.TIMEOUT] * settings.CONNECTOR_RETRY_ATTEMPTS
    assert list(sshd.root.iterdir()) == []


def test_a_connection_lost_halfway_leaves_no_partial_file_under_the_final_name(org, sshd, tmp_path, monkeypatch):
    connection = connect(org, sshd)
    assert connector_services.connection_test(actor=SYSTEM, connection=connection).ok
    connection.refresh_from_db()
    local = a_file(tmp_path, 48 * 1024 * 1024)
    final = sshd.root / "registrations.csv"
    (sshd.root / "registrations.csv").write_bytes(b"yesterday's complete file\n")
    seen_between_attempts: list[tuple[bytes, list[str]]] = []
    monkeypatch.setattr(
        "connectors.clock.sleep",
        lambda seconds: seen_between_attempts.append((final.read_bytes(), sorted(p.name for p in sshd.root.iterdir()))),
    )
    dropped = threading.Event()

    def drop_when_half_written() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            parts = [p for p in sshd.root.iterdir() if p.name.endswith(".part")]
            if parts and parts[0].stat().st_size > len(local.read_bytes()) // 4:
                assert sshd.drop_sessions() > 0
                dropped.set()
                return
            time.sleep(0.002)

    watcher = threading.Thread(target=drop_when_half_written)
    watcher.start()
    uploaded = transfer.upload(connection, local, "registrations.csv", idempotency_key="run-7")
    watcher.join()

    assert dropped.is_set()
    [(final_then, names_then)] = seen_between_attempts  # one lost attempt, then the retry
    assert final_then == b"yesterday's complete file\n"  # the final name never held part of the new file
    assert any(name.endswith(".part") for name in names_then)
    assert final.read_bytes() == local.read_bytes() and uploaded.size == local.stat().st_size
    assert sorted(p.name for p in sshd.root.iterdir()) == ["registrations.csv"]  # the retry overwrote its temporary file
    outcomes = list(
        CallLog.objects.filter(connection=connection, operation="sftp.upload").order_by("id").values_list("outcome", flat=True)
    )
    assert outcomes == [CallOutcome.TIMEOUT, CallOutcome.OK]


def test_a_refusal_of_the_server_is_not_retried(org, sshd, tmp_path):
    connection = connect(org, sshd, directory=str(sshd.root / "missing"))
    result = connector_services.connection_test(actor=SYSTEM, connection=connection)
    assert not result.ok and "refused" in result.message
    assert list(CallLog.objects.filter(connection=connection).values_list("outcome", flat=True)) == [CallOutcome.REJECTED]


def test_password_logins_against_asyncssh(org, tmp_path):
    server = AsyncSSHServer(tmp_path / "asyncssh", users={"partner": "s3cret-pass"})
    server.start()
    try:
        good = connect(org, server, credentials={"password": "s3cret-pass"}, username="partner", directory="/")
        assert connector_services.connection_test(actor=SYSTEM, connection=good).ok
        good.refresh_from_db()
        assert good.settings["host_key"] == server.host_key
        local = a_file(tmp_path)
        transfer.upload(good, local, "attendees.csv", idempotency_key="run-1")
        assert (server.root / "attendees.csv").read_bytes() == local.read_bytes()

        bad = connect(org, server, credentials={"password": "wrong"}, username="partner", directory="/", host_key=server.host_key)
        result = connector_services.connection_test(actor=SYSTEM, connection=bad)
        assert not result.ok and "refused the login" in result.message
        bad.refresh_from_db()
        assert bad.status == ConnectionStatus.FAILING  # refused credentials mark the connection
        assert "wrong" not in CallLog.objects.get(connection=bad).error
    finally:
        server.stop()


def test_credentials_are_checked_at_connect_time(org):
    from core.errors import DomainError

    with pytest.raises(DomainError) as missing:
        connector_services.connection_create(
            actor=SYSTEM,
            organization=org,
            kind="file_transfer",
            vendor="sftp",
            mode="live",
            credentials={},
            settings={"host": "127.0.0.1", "username": "u"},
        )
    with pytest.raises(DomainError) as unreadable:
        connector_services.connection_create(
            actor=SYSTEM,
            organization=org,
            kind="file_transfer",
            vendor="sftp",
            mode="live",
            credentials={"private_key": "-----BEGIN OPENSSH PRIVATE KEY-----\nnope\n"},
            settings={"host": "127.0.0.1", "username": "u"},
        )
    assert [d["target"] for d in missing.value.details] == ["password"]
    assert [d["target"] for d in unreadable.value.details] == ["private_key"]
