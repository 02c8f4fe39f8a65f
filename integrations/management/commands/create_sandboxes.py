"""``manage.py create_sandboxes``: a seeded sandbox for every developer organization that has none; safe to rerun."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from integrations.sandbox import sandboxes_provision


class Command(BaseCommand):
    help = "Create and seed the sandbox of every developer organization that has none (organizations made before sandboxes)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = sandboxes_provision()
        for sandbox in created:
            self.stdout.write(f"Created the sandbox {sandbox.slug} of {sandbox.sandbox_of}.")
        self.stdout.write(f"{len(created)} sandbox{'es' if len(created) != 1 else ''} created.")
