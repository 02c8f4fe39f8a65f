"""Registrations, payments, check-ins and feedback for the demo organization (after ``seed_demo``); safe to rerun."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Organization
from console import demo
from events.models import Event, Venue

ORGANIZATION_SLUG = "demo-events"
CONFERENCE_SLUG = "demo-conf"
TIME_ZONE = "Europe/Berlin"


class Command(BaseCommand):
    help = "Give the demo organization registrations, payments, check-ins and feedback (run seed_demo first)."

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=ORGANIZATION_SLUG).first()
        venue = Venue.objects.filter(organization=organization).order_by("created_at").first()
        if organization is None or venue is None:
            raise CommandError("Run seed_demo first: the demo organization and its venue are missing.")
        conference = Event.objects.filter(organization=organization, slug=CONFERENCE_SLUG).first()
        with transaction.atomic():
            demo.seed(organization=organization, venue=venue, conference=conference, time_zone=TIME_ZONE)
        self.stdout.write(f"Demo activity is ready. Organizer console: {settings.SITE_URL}/console/")
