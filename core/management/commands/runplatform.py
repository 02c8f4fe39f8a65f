"""``manage.py runplatform [ADDRPORT]``: the web server, a Celery worker and beat in one command.

What ``make run`` calls. Ctrl-C (or SIGTERM) stops all three; when one of them exits,
the others are stopped and the command fails. Without CELERY_BROKER_URL the worker
and beat use the filesystem broker under var/celery, so no server is needed.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.supervisor import Child, supervise


class Command(BaseCommand):
    help = "Run the development web server, a Celery worker and Celery beat; Ctrl-C stops all three."
    requires_system_checks: list[str] = []  # runserver checks; the worker and beat load the same settings

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Where runserver listens.")
        parser.add_argument("--noreload", action="store_true", help="Do not restart the web server on code changes.")
        parser.add_argument("--concurrency", type=int, default=2, help="Worker processes (default 2).")
        parser.add_argument("--loglevel", default="INFO", help="Log level of the worker and beat.")
        parser.add_argument("--grace", type=float, default=20.0, help="Seconds to let the children stop before killing them.")

    def children(self, options: dict[str, Any]) -> list[Child]:
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        web = [python, manage, "runserver", options["addrport"], *(["--noreload"] if options["noreload"] else [])]
        celery = [python, "-m", "celery", "-A", "config"]
        worker = [*celery, "worker", "--loglevel", options["loglevel"], "--concurrency", str(options["concurrency"])]
        worker += ["--without-gossip", "--without-mingle"]  # one worker: no peers to talk to
        beat = [*celery, "beat", "--loglevel", options["loglevel"]]
        return [Child("web", web), Child("worker", worker), Child("beat", beat)]

    def handle(self, *args: Any, **options: Any) -> None:
        status = supervise(self.children(options), out=self.stdout, grace=options["grace"])
        if status:
            raise CommandError("a process of the platform stopped; the others were stopped with it", returncode=status)
