"""Delete refilled rate-limit buckets and stale leases kept by the database store (run periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.ratelimit import purge


class Command(BaseCommand):
    help = "Delete idle rate-limit buckets and expired in-flight leases (database store only; Redis expires its own)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge()} rate-limit row(s).")
