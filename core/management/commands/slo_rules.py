"""``manage.py slo_rules [--check]``: write the Prometheus rules of the service level objectives (core.slo)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import slo


class Command(BaseCommand):
    help = "Write deploy/prometheus/slo-rules.yml from core/slo.py (--check: fail when it differs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail when the file differs from the objectives.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = slo.render()
        current = slo.RULES_FILE.read_text() if slo.RULES_FILE.exists() else ""
        if options["check"]:
            if current != text:
                raise CommandError(f"{slo.RULES_FILE} differs from core/slo.py: run manage.py slo_rules")
            return
        slo.RULES_FILE.parent.mkdir(parents=True, exist_ok=True)
        slo.RULES_FILE.write_text(text)
        self.stdout.write(f"wrote {slo.RULES_FILE}")
