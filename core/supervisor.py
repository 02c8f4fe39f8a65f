"""Run a few long-lived commands as one: prefixed output, one stop for all, no orphans.

``manage.py runplatform`` uses it for the web server, the Celery worker and beat. Each
child runs in a process group of its own, so a terminal's Ctrl-C reaches only the
supervisor, which stops each child in an orderly way (SIGTERM, then SIGKILL after
the grace period; the worker finishes its task in hand), then kills what is left of
its group, so no grandchild (the dev server's reloader, a pool process) outlives it. When one child
exits on its own the others are stopped too and the supervisor fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
PR_SET_PDEATHSIG = 1


class Output(Protocol):
    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


@dataclass(frozen=True)
class Child:
    name: str
    argv: Sequence[str]


def _die_with_parent() -> None:
    """In the child, before exec: be sent SIGTERM if the supervisor dies without stopping us (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def group_members(pgid: int) -> list[int]:
    """The live processes of process group ``pgid`` (zombies waiting for their reaper left out; Linux /proc)."""
    members = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def supervise(
    children: Sequence[Child],
    *,
    out: Output | None = None,
    grace: float = 10.0,
) -> int:
    """Run ``children`` until a stop signal or until one exits; then stop the rest.

    Returns 0 when stopped by SIGINT or SIGTERM, else 1 (a child ended on its own).
    Output lines are written to ``out`` as ``name | line``. A second stop signal
    during the grace period kills what is left at once.
    """
    out = out or sys.stdout
    width = max(len(child.name) for child in children)
    stop_requested: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: stop_requested.append(signum)) for signum in STOP_SIGNALS}
    child_env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    selector = selectors.DefaultSelector()
    running: dict[str, subprocess.Popen[bytes]] = {}
    partial: dict[str, bytes] = {}

    def emit(name: str, data: bytes) -> None:
        text = data.decode(errors="replace").rstrip("\r\n")
        out.write(f"{name.ljust(width)} | {text}\n")
        out.flush()

    def pump(timeout: float) -> None:
        for key, _ in selector.select(timeout):
            name = key.data
            chunk = os.read(key.fd, 65536)
            if not chunk:
                selector.unregister(key.fileobj)
                if partial.get(name):
                    emit(name, partial.pop(name))
                continue
            *lines, partial[name] = (partial.get(name, b"") + chunk).split(b"\n")
            for line in lines:
                emit(name, line)

    failed = False
    try:
        for child in children:
            process = subprocess.Popen(
                list(child.argv),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=child_env,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
            running[child.name] = process
            assert process.stdout is not None
            selector.register(process.stdout, selectors.EVENT_READ, child.name)
            emit(child.name, f"started (pid {process.pid}): {' '.join(child.argv)}".encode())
        while not stop_requested:
            pump(0.2)
            ended = [name for name, process in running.items() if process.poll() is not None]
            if ended:
                for name in ended:
                    emit(name, f"exited with status {running[name].returncode}; stopping the others".encode())
                failed = True
                break
    finally:
        # SIGTERM to each child only: the worker then stops its own pool after the task in hand (a
        # warm shutdown); a signal to the whole group would kill the pool processes mid-task.
        for process in running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while any(p.poll() is None for p in running.values()) and time.monotonic() < deadline and len(stop_requested) < 2:
            pump(0.1)
        for name, process in running.items():
            if process.poll() is None:
                emit(name, b"did not stop in time; killed")
            # Whatever is left in the group (a pool process, the reloader's child) goes with its leader.
            _signal_group(process, signal.SIGKILL)
            process.wait()
        gone_by = time.monotonic() + 2
        while any(group_members(process.pid) for process in running.values()) and time.monotonic() < gone_by:
            time.sleep(0.02)
        drain_until = time.monotonic() + 2  # the last lines; a process that escaped its group may hold a pipe
        while selector.get_map() and time.monotonic() < drain_until:
            pump(0.1)
        selector.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stop_requested:
        out.write(f"Stopped ({signal.Signals(stop_requested[0]).name}).\n")
    return 1 if failed else 0
