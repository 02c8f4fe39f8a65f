"""Delete stored Idempotency-Key responses past their TTL (beat runs the same job hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.tasks import purge_idempotency_keys


class Command(BaseCommand):
    help = "Delete expired Idempotency-Key records."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge_idempotency_keys()} expired idempotency record(s).")
