"""Delete refilled rate-limit buckets and stale leases kept by the database store (run periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.tasks import purge_rate_limits


class Command(BaseCommand):
    help = "Delete idle rate-limit buckets and expired in-flight leases (database store only; Redis expires its own)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge_rate_limits()} rate-limit row(s).")
