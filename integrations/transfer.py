"""The file-transfer port (spec §2.4, batch file exchange): put a finished file on a partner's server.

Plain dataclasses in and out; an adapter (``integrations.sftp``) registers a ``Vendor`` of kind
``file_transfer`` whose ``extra["adapter"]`` implements ``FileTransfer``. Scheduled exports call ``upload``
with a connection and never see the vendor's library.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from connectors import registry
from connectors.exceptions import Rejected
from connectors.models import Connection, Kind


@dataclass(frozen=True)
class Uploaded:
    """Where the file now is on the server, how big it is, and the host key the server proved it holds."""

    remote_path: str
    size: int
    host_key_fingerprint: str


class FileTransfer(Protocol):
    def upload(self, connection: Connection, local: Path, name: str, *, idempotency_key: str) -> Uploaded:
        """Put ``local`` as ``name`` in the connection's directory: written under a temporary name and renamed, so a
        reader never sees a partial file under ``name``. Raises Rejected, Unavailable, CircuitOpen or Disconnected."""
        ...


def adapter(connection: Connection) -> FileTransfer:
    vendor = registry.get(connection.kind, connection.vendor)
    found = vendor.extra.get("adapter") if vendor is not None and connection.kind == Kind.FILE_TRANSFER else None
    if found is None:
        raise Rejected(f"{connection.label} is not a file-transfer connection")
    transfer: FileTransfer = found
    return transfer


def upload(connection: Connection, local: Path, name: str, *, idempotency_key: str) -> Uploaded:
    return adapter(connection).upload(connection, local, name, idempotency_key=idempotency_key)
