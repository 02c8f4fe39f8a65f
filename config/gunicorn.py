"""gunicorn settings for the platform: ``gunicorn -c config/gunicorn.py config.wsgi``.

Prometheus multi-process mode (core.metrics): with ``PROMETHEUS_MULTIPROC_DIR`` set,
every worker writes its samples to files in that folder and a scrape of any
worker adds them up. The master empties the folder when it starts (samples of an
earlier run would be added to this one's) and tells prometheus-client when a
worker exits, so the live gauges of a dead worker stop counting.
Everything else is gunicorn's own command line and ``GUNICORN_CMD_ARGS``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))


def on_starting(server: Any) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if folder:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
