"""Complete every published event whose end has passed (run periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from events.tasks import complete_ended_events


class Command(BaseCommand):
    help = "Move published events that have ended to completed."

    def handle(self, *args: Any, **options: Any) -> None:
        done = complete_ended_events()  # the periodic job, run in this process
        self.stdout.write(f"Completed {done} event(s).")
