"""A task only the tests register (worker ``--include tests.core.job_tasks``): long enough to be killed mid-run."""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery import shared_task

from core.jobs import TASK_DEFAULTS


@shared_task(name="tests.record_and_wait", **TASK_DEFAULTS)
def record_and_wait(folder: str, timeout: float = 30) -> None:
    """Write ``start <pid>`` to folder/runs, wait until folder/release exists, then write ``done <pid>``.

    Idempotent in the way the tests need: every attempt is on record.
    """
    runs = Path(folder) / "runs"
    with runs.open("a") as out:
        out.write(f"start {os.getpid()}\n")
    deadline = time.monotonic() + timeout
    while not (Path(folder) / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with runs.open("a") as out:
        out.write(f"done {os.getpid()}\n")
