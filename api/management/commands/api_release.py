"""``manage.py api_release VERSION [--date YYYY-MM-DD]``: keep the surface of today's OpenAPI document as a release."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from api import changelog
from api.schema import document


class Command(BaseCommand):
    help = "Write api/releases/VERSION.json from the OpenAPI document the code serves now (the changelog's input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", help="The release, e.g. 1.1 (X-API-Version).")
        parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date.today(), help="Release date (today).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = changelog.write_release(options["version"], options["date"], document())
        self.stdout.write(f"wrote {path}")
