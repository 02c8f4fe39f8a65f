"""SFTP as a file-transfer connector (spec §2.4), through paramiko.

- **Authentication** by password or by private key (OpenSSH or PEM text, with an optional passphrase), both
  kept in the connection's encrypted credentials.
- **The server's host key is pinned at setup.** The connection test records the key the server presents in
  the connection's settings (``host_key``, OpenSSH's ``type base64`` form; an organizer may also enter it when
  connecting) and shows its SHA-256 fingerprint. Every later session offers only that key type and refuses a
  server that presents another key before any credential is sent; an upload without a pinned key is refused.
- **Uploads are atomic for readers:** the file goes to a hidden temporary name derived from the idempotency key
  (``.<name>.<key>.part``) and is renamed onto its name with OpenSSH's ``posix-rename`` (replacing an older
  file). A connection lost halfway leaves at most the temporary file, which the retry overwrites: the final
  name only ever holds a complete file.
- Calls go through ``connectors.calls`` (breaker, retries with backoff, call log): unreachable or dropped
  connections are ``Unavailable``; a refused login, a changed host key or a refusal of the server
  (permission, no such directory) are ``Rejected``.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import io
import socket
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import paramiko
from django.conf import settings

from connectors import calls, registry
from connectors import services as connector_services
from connectors.exceptions import Rejected, Unavailable
from connectors.models import Connection
from core.audit import SYSTEM
from integrations.transfer import Uploaded

KEY_TYPES = r"ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|ssh-rsa"
_KEY_CLASSES: tuple[type[paramiko.PKey], ...] = (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey)


def fingerprint(host_key: str) -> str:
    """``SHA256:<base64>`` of an OpenSSH public key line, as ``ssh-keygen -lf`` prints it."""
    blob = base64.b64decode(host_key.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def _private_key(text: str, passphrase: str | None) -> paramiko.PKey:
    for cls in _KEY_CLASSES:
        try:
            return cls.from_private_key(io.StringIO(text), password=passphrase or None)
        except paramiko.PasswordRequiredException:
            raise Rejected("the private key needs its passphrase") from None
        except (paramiko.SSHException, ValueError):
            continue
    raise Rejected("the private key could not be read (OpenSSH or PEM: Ed25519, ECDSA or RSA)")


def validate(mode: str, credentials: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, str]:
    """A password or a private key (one that can be read); a port in range."""
    problems: dict[str, str] = {}
    if not credentials.get("password") and not credentials.get("private_key"):
        problems["password"] = "a password or a private key is required"
    if credentials.get("private_key"):
        try:
            _private_key(str(credentials["private_key"]), credentials.get("passphrase"))
        except Rejected as exc:
            problems["private_key"] = exc.message
    if values.get("port") and not 0 < int(values["port"]) < 65536:
        problems["port"] = "must be between 1 and 65535"
    return problems


class _Session:
    def __init__(self, transport: paramiko.Transport, sftp: paramiko.SFTPClient, host_key: str) -> None:
        self.transport, self.sftp, self.host_key = transport, sftp, host_key


def _presented(transport: paramiko.Transport) -> str:
    key = transport.get_remote_server_key()
    return f"{key.get_name()} {key.get_base64()}"


@contextmanager
def _session(connection: Connection, attempt: calls.Attempt, *, pinned: str | None) -> Iterator[_Session]:
    """An authenticated SFTP session; the host key must be ``pinned`` (None: record what the server presents)."""
    options, secret = connection.settings, connector_services.credentials_of(connection)
    host, port = str(options.get("host", "")), int(options.get("port") or 22)
    attempt.method, attempt.path = "SSH", f"sftp://{host}:{port}"
    try:
        sock = socket.create_connection((host, port), timeout=settings.CONNECTOR_CONNECT_TIMEOUT_SECONDS)
    except OSError as exc:
        raise Unavailable(f"cannot reach {host}:{port}: {exc}") from None
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = transport.auth_timeout = settings.CONNECTOR_CONNECT_TIMEOUT_SECONDS
        if pinned:
            transport.get_security_options().key_types = [pinned.split()[0]]
        try:
            transport.start_client(timeout=settings.CONNECTOR_CONNECT_TIMEOUT_SECONDS)
        except paramiko.SSHException as exc:
            if pinned and "incompatible" in str(exc).lower():
                raise Rejected(f"the server no longer offers a {pinned.split()[0]} host key (pinned {fingerprint(pinned)})")
            raise Unavailable(f"SSH handshake with {host}:{port} failed: {exc}") from None
        except (OSError, EOFError) as exc:
            raise Unavailable(f"SSH handshake with {host}:{port} failed: {exc}") from None
        presented = _presented(transport)
        if pinned and presented.split()[:2] != pinned.split()[:2]:
            # Refused before any credential is sent: the server is not the one pinned at setup.
            raise Rejected(
                f"host key changed: {host}:{port} presented {fingerprint(presented)}, pinned {fingerprint(pinned)}",
                vendor_code="host_key_changed",
            )
        try:
            if secret.get("private_key"):
                transport.auth_publickey(
                    str(options.get("username", "")), _private_key(secret["private_key"], secret.get("passphrase"))
                )
            else:
                transport.auth_password(str(options.get("username", "")), str(secret.get("password", "")))
        except paramiko.AuthenticationException as exc:
            raise Rejected(f"the server refused the login: {exc}", status_code=401) from None
        except (paramiko.SSHException, OSError, EOFError) as exc:
            raise Unavailable(f"the connection was lost during login: {exc}") from None
        sftp = paramiko.SFTPClient.from_transport(transport)
        if sftp is None:
            raise Unavailable("the server opened no SFTP channel")
        channel = sftp.get_channel()
        if channel is not None:
            channel.settimeout(settings.CONNECTOR_READ_TIMEOUT_SECONDS)
        try:
            yield _Session(transport, sftp, presented)
        except (TimeoutError, paramiko.SSHException, EOFError) as exc:
            raise Unavailable(f"the connection was lost: {exc or type(exc).__name__}") from None
        except OSError as exc:
            if not transport.is_active():
                raise Unavailable(f"the connection was lost: {exc}") from None
            # The session is alive: the server answered with an SFTP status (permission, no such file).
            raise Rejected(f"the server refused: {exc}", vendor_code=errno.errorcode.get(exc.errno or 0, "")) from None
    finally:
        transport.close()


def _directory(connection: Connection) -> str:
    return str(connection.settings.get("directory") or ".").rstrip("/") or "/"


def test_call(connection: Connection) -> str:
    """Log in, check the directory, and pin the host key if none is pinned yet (a changed one is refused)."""
    pinned = connection.settings.get("host_key") or None

    def attempt(a: calls.Attempt) -> str:
        with _session(connection, a, pinned=pinned) as session:
            mode = session.sftp.stat(_directory(connection)).st_mode
            if mode is None or not stat.S_ISDIR(mode):
                raise Rejected(f"{_directory(connection)} is not a directory on the server")
            return session.host_key

    presented = calls.call(connection, "sftp.test", attempt)
    where = f"{_directory(connection)} on {connection.settings.get('host')}"
    if pinned:
        return f"Logged in; {where} is reachable. Host key {fingerprint(presented)} matches the pinned key."
    connector_services.settings_store(actor=SYSTEM, connection=connection, values={"host_key": presented})
    return (
        f"Logged in; {where} is reachable. Host key {fingerprint(presented)} ({presented.split()[0]}) is now pinned: "
        "compare it with your server's (ssh-keygen -lf); a server presenting another key will be refused."
    )


class SftpTransfer:
    """The ``FileTransfer`` port over SFTP."""

    def upload(self, connection: Connection, local: Path, name: str, *, idempotency_key: str) -> Uploaded:
        pinned = connection.settings.get("host_key")
        if not pinned:
            raise Rejected("the server's host key is not pinned: test the connection first")
        if "/" in name or name.startswith("."):
            raise Rejected(f"{name!r} is not a plain file name")
        directory = _directory(connection)
        final = f"{directory}/{name}"
        temporary = f"{directory}/.{name}.{hashlib.sha256(idempotency_key.encode()).hexdigest()[:12]}.part"
        size = local.stat().st_size

        def attempt(a: calls.Attempt) -> Uploaded:
            with _session(connection, a, pinned=pinned) as session, local.open("rb") as source:
                a.method, a.path = "PUT", final
                written = session.sftp.putfo(source, temporary, file_size=size, confirm=True)
                if written.st_size != size:
                    raise Unavailable(f"the server holds {written.st_size} of {size} bytes")
                session.sftp.posix_rename(temporary, final)  # replaces an older file of the name at once
                return Uploaded(remote_path=final, size=size, host_key_fingerprint=fingerprint(session.host_key))

        return calls.call(connection, "sftp.upload", attempt, idempotency_key=idempotency_key)


VENDOR = registry.register(
    registry.Vendor(
        kind="file_transfer",
        name="sftp",
        label="SFTP server",
        credentials=(
            registry.Field("password", "Password", required=False, help="Or a private key."),
            registry.Field("private_key", "Private key", required=False, help="OpenSSH or PEM text (Ed25519, ECDSA or RSA)."),
            registry.Field("passphrase", "Key passphrase", required=False),
        ),
        settings=(
            registry.Field("host", "Host", pattern=r"[A-Za-z0-9.:\[\]-]{1,253}", help="a host name or address"),
            registry.Field("port", "Port", required=False, pattern=r"\d{1,5}", help="22 if empty"),
            registry.Field("username", "User name", pattern=r"[^\s]{1,128}", help="no spaces"),
            registry.Field("directory", "Directory", required=False, help="where files go; the login directory if empty"),
            registry.Field(
                "host_key",
                "Host key",
                required=False,
                pattern=rf"({KEY_TYPES}) [A-Za-z0-9+/]+={{0,2}}",
                help="the server's public host key (type and base64); recorded by the first connection test if empty",
            ),
        ),
        test=test_call,
        validate=validate,
        docs_url="https://datatracker.ietf.org/doc/html/draft-ietf-secsh-filexfer-02",
        extra={"adapter": SftpTransfer()},
    )
)
