"""Delete request counters past their retention (beat runs the same job daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.tasks import purge_usage


class Command(BaseCommand):
    help = "Delete API usage counters older than API_USAGE_RETENTION_DAYS."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge_usage()} API usage row(s).")
