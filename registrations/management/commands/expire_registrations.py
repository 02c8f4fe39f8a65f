"""Cancel pending-payment registrations whose payment window has passed (run every minute or so)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from registrations.tasks import expire_pending_registrations


class Command(BaseCommand):
    help = "Cancel expired pending-payment registrations and promote the waitlist."

    def handle(self, *args: Any, **options: Any) -> None:
        done = expire_pending_registrations()  # the periodic job, run in this process
        self.stdout.write(f"Expired {done} registration(s).")
