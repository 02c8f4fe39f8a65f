"""Real SFTP servers on 127.0.0.1 for the SFTP connector's tests.

``OpenSSHServer`` runs Debian's OpenSSH ``/usr/sbin/sshd`` (package openssh-server) as the current user with a
config, host key and ``authorized_keys`` of its own in a temporary folder, on a free port, SFTP through
``internal-sftp``: public-key logins. As root, sshd insists on its privilege-separation directory
(``/run/sshd``, which the package's service unit creates); it is created if missing.

``AsyncSSHServer`` is asyncssh's SSH server with its SFTP server rooted in a folder, in a thread of its own:
password logins, which sshd can only check against the system's accounts (PAM or /etc/shadow) that a test
must not change.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import asyncssh

SSHD = "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keygen(path: Path, kind: str = "ed25519") -> str:
    """A new key pair at ``path`` (private) and ``path``.pub; returns the public line (``type base64``)."""
    path.unlink(missing_ok=True)
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "", "-f", str(path)], check=True)
    return " ".join(Path(f"{path}.pub").read_text().split()[:2])


def available() -> bool:
    return Path(SSHD).exists() and shutil.which("ssh-keygen") is not None


class OpenSSHServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = folder / "files"
        self.root.mkdir(parents=True, exist_ok=True)
        self.user = pwd.getpwuid(os.getuid()).pw_name
        self.host_key = keygen(folder / "host_ed25519")
        self.client_key_path = folder / "client_ed25519"
        self.client_public = keygen(self.client_key_path)
        (folder / "authorized_keys").write_text(self.client_public + "\n")
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / "sshd.log"

    @property
    def client_key(self) -> str:
        return self.client_key_path.read_text()

    def new_host_key(self) -> str:
        """Replace the server's host key (a server reinstalled, or someone in between); restart to take effect."""
        self.host_key = keygen(self.folder / "host_ed25519")
        return self.host_key

    def _config(self) -> Path:
        config = self.folder / "sshd_config"
        config.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {self.folder / 'host_ed25519'}",
                    f"PidFile {self.folder / 'sshd.pid'}",
                    f"AuthorizedKeysFile {self.folder / 'authorized_keys'}",
                    f"AllowUsers {self.user}",
                    "StrictModes no",
                    "UsePAM no",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "PermitRootLogin prohibit-password",
                    "Subsystem sftp internal-sftp",
                    "MaxStartups 50",
                    "LogLevel VERBOSE",
                    "",
                ]
            )
        )
        return config

    def start(self) -> None:
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(self._config())], stdout=log, stderr=log, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.settimeout(2)
                if s.recv(4).startswith(b"SSH-"):
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sshd did not start:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.05)

    def _descendants(self) -> list[int]:
        assert self.process is not None
        children: dict[int, list[int]] = {}
        for status in Path("/proc").glob("[0-9]*/status"):
            with contextlib.suppress(OSError):
                fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
                children.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
        found, todo = [], [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def drop_sessions(self) -> int:
        """SIGKILL every session process (the listener stays): each client's connection is lost mid-transfer."""
        killed = 0
        for pid in self._descendants():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
        return killed

    def stop(self) -> None:
        if self.process is None:
            return
        self.drop_sessions()
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait()
        self.process = None


class _PasswordServer(asyncssh.SSHServer):
    def __init__(self, users: dict[str, str]) -> None:
        self.users = users

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self.users.get(username) == password


class AsyncSSHServer:
    """asyncssh's SSH server with password logins; SFTP rooted at ``root`` (paths like "/" are inside it)."""

    def __init__(self, folder: Path, users: dict[str, str]) -> None:
        self.folder, self.users = folder, users
        self.user = next(iter(users))
        self.root = folder / "files"
        self.root.mkdir(parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519")
        self.key = key
        self.host_key = (
            key.export_public_key("openssh").decode().split()[0] + " " + key.export_public_key("openssh").decode().split()[1]
        )
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._server: Any = None

    def start(self) -> None:
        self._thread.start()
        root = str(self.root)

        def sftp_factory(chan: Any) -> asyncssh.SFTPServer:
            return asyncssh.SFTPServer(chan, chroot=root.encode())

        async def listen() -> Any:
            return await asyncssh.listen(
                "127.0.0.1",
                self.port,
                server_host_keys=[self.key],
                server_factory=lambda: _PasswordServer(self.users),
                sftp_factory=sftp_factory,
                allow_scp=False,
            )

        self._server = asyncio.run_coroutine_threadsafe(listen(), self.loop).result(10)

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            asyncio.run_coroutine_threadsafe(self._server.wait_closed(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
