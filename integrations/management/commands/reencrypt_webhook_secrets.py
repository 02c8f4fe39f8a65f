"""``manage.py reencrypt_webhook_secrets``: finish a rotation of FIELD_ENCRYPTION_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from integrations import services


class Command(BaseCommand):
    help = (
        "Encrypt every webhook signing secret again under the first FIELD_ENCRYPTION_KEY. Run it after putting a "
        "new key first in the list; drop the old key afterwards."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.secrets_reencrypt()
        self.stdout.write(f"Re-encrypted the secrets of {count} webhook subscriptions.")
