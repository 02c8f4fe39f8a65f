"""Cancel pending-payment registrations whose payment window has passed (run every minute or so)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.audit import SYSTEM
from registrations.services import registrations_expire_pending


class Command(BaseCommand):
    help = "Cancel expired pending-payment registrations and promote the waitlist."

    def handle(self, *args: Any, **options: Any) -> None:
        done = registrations_expire_pending(actor=SYSTEM)
        self.stdout.write(f"Expired {done} registration(s).")
