"""``manage.py generate_sdks [--output DIR]``: regenerate the Python and TypeScript SDKs from the OpenAPI document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from api import sdks


class Command(BaseCommand):
    help = "Write sdks/openapi.json and the generated parts of sdks/python and sdks/typescript (make sdks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=sdks.ROOT, help="The folder to write (sdks/).")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in sdks.generate(options["output"]):
            self.stdout.write(f"wrote {path}")
