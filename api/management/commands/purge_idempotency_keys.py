"""Delete stored Idempotency-Key responses older than their 24 hours (run periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete expired Idempotency-Key records."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge_expired()} expired idempotency record(s).")
