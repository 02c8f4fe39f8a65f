"""``manage.py runplatform [ADDRPORT]``: the web server, a Celery worker and beat in one command.

What ``make run`` calls. Ctrl-C (or SIGTERM) stops all three; when one of them exits,
the others are stopped and the command fails. Without CELERY_BROKER_URL the worker
and beat use the filesystem broker under var/celery, so no server is needed.

It watches ``/health/ready`` (core.health) as a load balancer would: a ``health``
line says when the platform is ready, and again whenever a check starts or stops
failing (the database, the cache, the broker, the worker's or beat's heartbeat).
"""

from __future__ import annotations

import json
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.supervisor import Child, Output, supervise


class ReadinessWatch(threading.Thread):
    """Polls ``url`` (``/health/ready``) and writes a line when its verdict changes."""

    def __init__(self, url: str, out: Output, *, interval: float = 2.0, width: int = 6) -> None:
        super().__init__(name="readiness-watch", daemon=True)
        self.url, self.out, self.interval, self.width = url, out, interval, width
        self.stopped = threading.Event()

    def verdict(self) -> str | None:
        """``"ready"``, ``"not ready: worker, beat"``, or None while the web server does not answer yet."""
        try:
            with urllib.request.urlopen(self.url, timeout=10) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code != 503:
                return f"not ready: HTTP {exc.code}"
            body = json.load(exc)
        except (OSError, ValueError):
            return None
        failing = [f"{name} ({check['detail']})" for name, check in body["checks"].items() if check["status"] != "ok"]
        return f"not ready: {'; '.join(failing)}" if failing else f"ready ({', '.join(body['checks'])} ok): {self.url}"

    def run(self) -> None:
        said = None
        while not self.stopped.wait(self.interval):
            verdict = self.verdict()
            if verdict is not None and verdict != said:  # each change once, not every poll
                self.out.write(f"{'health'.ljust(self.width)} | {verdict}\n")
                self.out.flush()
                said = verdict


class Command(BaseCommand):
    help = "Run the development web server, a Celery worker and Celery beat; Ctrl-C stops all three."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Where the web server listens.")
        parser.add_argument("--noreload", action="store_true", help="Do not restart the web server on code changes.")
        parser.add_argument("--concurrency", type=int, default=2, help="Worker processes (default 2).")
        parser.add_argument("--loglevel", default="INFO", help="Log level of the worker and beat.")
        parser.add_argument("--grace", type=float, default=20.0, help="Seconds to let the children stop before killing them.")

    def children(self, options: dict[str, Any]) -> list[Child]:
        python = sys.executable
        host, _, port = self.addrport(options).rpartition(":")
        # uvicorn serves the ASGI application (config/asgi.py): the pages, the API and the real-time stream's
        # WebSocket and Server-Sent Events (realtime/), which runserver's WSGI cannot hold open.
        web = [python, "-m", "uvicorn", "config.asgi:application", "--host", host, "--port", port, "--ws", "websockets-sansio"]
        web += ["--no-access-log", "--lifespan", "off"]  # each request is logged once, by the platform (core.logs)
        if not options["noreload"]:
            web += ["--reload", *(arg for folder in self.code_folders() for arg in ("--reload-dir", folder))]
        celery = [python, "-m", "celery", "-A", "config"]
        worker = [*celery, "worker", "--loglevel", options["loglevel"], "--concurrency", str(options["concurrency"])]
        worker += ["--without-gossip", "--without-mingle"]  # one worker: no peers to talk to
        beat = [*celery, "beat", "--loglevel", options["loglevel"]]
        return [Child("web", web), Child("worker", worker), Child("beat", beat)]

    @staticmethod
    def addrport(options: dict[str, Any]) -> str:
        return options["addrport"] if ":" in options["addrport"] else f"127.0.0.1:{options['addrport']}"

    @staticmethod
    def code_folders() -> list[str]:
        """The project's packages: what a code change restarts the web server for (not .venv, node_modules, var)."""
        base = Path(settings.BASE_DIR)
        return sorted(str(p.parent) for p in base.glob("*/__init__.py") if p.parent.name not in ("tests", "sdks", "samples"))

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port = self.addrport(options).rpartition(":")
        host = "127.0.0.1" if host in ("", "0.0.0.0", "0") else host  # where it listens on every address
        watch = ReadinessWatch(f"http://{host}:{port}/health/ready", self.stdout)
        watch.start()
        try:
            status = supervise(self.children(options), out=self.stdout, grace=options["grace"])
        finally:
            watch.stopped.set()
        if status:
            raise CommandError("a process of the platform stopped; the others were stopped with it", returncode=status)
