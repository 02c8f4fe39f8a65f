"""``manage.py runplatform`` (what ``make run`` calls) and the supervisor under it: one stop for all, no orphans."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from core.supervisor import Child, supervise
from registrations.models import Registration, RegistrationStatus
from tests.celery_worker import wait_until, worker_database_url
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory, register

PY = sys.executable
# A child that starts a grandchild and reports both; the supervisor must not leave the grandchild behind.
PARENT_OF_ONE = (
    "import subprocess, sys, time;"
    "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
    "print('ready', p.pid, flush=True); time.sleep(60)"
)
STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def pids_in(output: str, pattern: str) -> list[int]:
    return [int(pid) for pid in re.findall(pattern, output)]


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def test_when_one_child_exits_the_others_and_their_children_are_stopped_and_it_fails():
    out = io.StringIO()
    children = [
        Child("parent", [PY, "-c", PARENT_OF_ONE]),
        Child("quitter", [PY, "-c", "import time; time.sleep(1.5); print('bye', flush=True); raise SystemExit(3)"]),
    ]

    assert supervise(children, out=out, grace=5) == 1

    output = out.getvalue()
    assert "quitter | bye\n" in output
    assert "quitter | exited with status 3; stopping the others" in output
    [grandchild] = pids_in(output, r"parent  \| ready (\d+)")
    started = pids_in(output, r"\| started \(pid (\d+)\)")
    assert len(started) == 2
    assert not any(alive(pid) for pid in [*started, grandchild]), output


def test_sigterm_stops_every_child_and_kills_one_that_ignores_it_after_the_grace_period():
    out = io.StringIO()
    children = [Child("parent", [PY, "-c", PARENT_OF_ONE]), Child("stubborn", [PY, "-c", STUBBORN])]

    def stop_when_ready() -> None:
        wait_until(lambda: out.getvalue().count("| ready") == 2, what="both children")
        os.kill(os.getpid(), signal.SIGTERM)  # the supervisor's handler, not pytest's, receives it

    waiter = threading.Thread(target=stop_when_ready)
    waiter.start()
    status = supervise(children, out=out, grace=1)
    waiter.join()

    output = out.getvalue()
    assert status == 0, output
    assert "stubborn | did not stop in time; killed" in output
    assert output.endswith("Stopped (SIGTERM).\n")
    pids = pids_in(output, r"\| started \(pid (\d+)\)") + pids_in(output, r"parent   \| ready (\d+)")
    assert len(pids) == 3
    assert not any(alive(pid) for pid in pids), output
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN  # the previous handlers are back


def test_a_second_ctrl_c_kills_at_once_instead_of_waiting_out_the_grace_period():
    out = io.StringIO()

    def interrupt_twice() -> None:
        wait_until(lambda: "| ready" in out.getvalue(), what="the child")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.5)  # the supervisor is waiting out the grace period for the child that ignores SIGTERM
        os.kill(os.getpid(), signal.SIGINT)

    started = time.monotonic()
    waiter = threading.Thread(target=interrupt_twice)
    waiter.start()
    status = supervise([Child("stubborn", [PY, "-c", STUBBORN])], out=out, grace=60)
    waiter.join()

    assert status == 0
    assert "stubborn | did not stop in time; killed" in out.getvalue()
    assert time.monotonic() - started < 30


def _status(pk: object) -> str | None:
    return Registration.objects.filter(pk=pk).values_list("status", flat=True).first()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_runplatform_serves_runs_a_worker_and_beat_and_ctrl_c_stops_them_all(org, celery_broker_env, tmp_path):
    event = PublishedEventFactory(organization=org, capacity=5, currency="EUR")
    [unpaid] = register(event, TicketTypeFactory(event=event, price=Decimal("25.00")), now=timezone.now() - dt.timedelta(hours=1))
    port = _free_port()
    log = tmp_path / "runplatform.log"
    env = {**os.environ, **celery_broker_env, "DATABASE_URL": worker_database_url(), "RATE_LIMITS_ENABLED": "false"}
    env["JOB_EXPIRE_REGISTRATIONS_SECONDS"] = "1"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [PY, "manage.py", "runplatform", f"127.0.0.1:{port}", "--noreload", "--concurrency", "1"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:

        def started() -> bool:
            text = log.read_text(errors="replace")
            return " ready." in text and "beat: Starting" in text and "Uvicorn running on" in text

        wait_until(started, timeout=40, what="the web server, the worker and beat")
        # The supervisor watches /health/ready: ready once the worker and beat wrote their heartbeats.
        wait_until(
            lambda: "health | ready (database, cache, broker, worker, beat ok)" in log.read_text(), timeout=20, what="readiness"
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=10) as response:
            assert json.load(response)["status"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=10) as response:
            assert response.status == 200
        # The same server answers the real-time stream's path (its streams: tests/realtime).
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/stream", timeout=10)
        assert refused.value.code == 401 and json.load(refused.value)["error"]["code"] == "AUTHENTICATION_REQUIRED"
        # Beat sends the expiry job from the database schedule, the worker runs it.
        wait_until(lambda: _status(unpaid.pk) == RegistrationStatus.CANCELLED, timeout=20, what="the expiry job")
        family = descendants(process.pid)
        assert len(family) >= 4, family  # the web server, the worker and its pool process, beat

        process.send_signal(signal.SIGINT)  # what Ctrl-C delivers
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text()
    assert not [pid for pid in family if alive(pid)], output
    assert "Stopped (SIGINT)." in output
    for name in ("web", "worker", "beat"):
        assert re.search(rf"^{name} +\| started \(pid \d+\)", output, re.M), output
