"""``manage.py create_api_key --org SLUG --scopes "events:read registrations:write" [--name] [--test]``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts import services
from accounts.models import ApiKeyMode, Organization
from accounts.scopes import SCOPES
from core.audit import SYSTEM
from core.errors import DomainError


class Command(BaseCommand):
    help = "Create an API key for an organization and print it once (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The organization's slug.")
        parser.add_argument("--scopes", required=True, help=f"Scopes separated by spaces or commas, from: {' '.join(SCOPES)}")
        parser.add_argument("--name", default="", help="A name to recognise the key by (default: created <date>).")
        parser.add_argument("--test", action="store_true", help="A test key (emp_test_) instead of a live one.")
        parser.add_argument("--expires-in-days", type=int, default=None, help="Expire the key after this many days.")
        parser.add_argument("--allow-ip", action="append", default=[], help="Allow only this address or CIDR range (repeat).")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(f"No organization with the slug {options['org']!r}.")
        now = timezone.now()
        days = options["expires_in_days"]
        data = {
            "name": options["name"] or f"created {now:%Y-%m-%d %H:%M} UTC",
            "scopes": [s for s in options["scopes"].replace(",", " ").split() if s],
            "mode": ApiKeyMode.TEST if options["test"] else ApiKeyMode.LIVE,
            "expires_at": now + dt.timedelta(days=days) if days else None,
            "allowed_ips": options["allow_ip"],
        }
        try:
            key, raw = services.api_key_create(actor=SYSTEM, organization=organization, data=data, creator_role=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(f"API key {key.name!r} ({key.prefix}…) for {organization.slug}, scopes: {' '.join(key.scopes)}")
        self.stderr.write("Store it now: it is shown this once.")
        self.stdout.write(raw)
