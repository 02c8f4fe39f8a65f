"""Complete every published event whose end has passed (run periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.audit import SYSTEM
from events.services import events_complete_ended


class Command(BaseCommand):
    help = "Move published events that have ended to completed."

    def handle(self, *args: Any, **options: Any) -> None:
        done = events_complete_ended(actor=SYSTEM)
        self.stdout.write(f"Completed {done} event(s).")
