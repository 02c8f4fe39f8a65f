"""Demo data for a first look at the platform: an organization, its people, venue and events, and a partner.

The partner (a developer organization with one developer) signs in to the
developer portal; every demo address is verified, so no demo login waits for a
verification email.

Idempotent: every piece is looked up by a natural key (email, slug, name)
first, so running it again creates nothing and only prints the logins.
"""

from __future__ import annotations

import os
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Membership, Organization, OrganizationKind, User
from accounts.roles import Role
from accounts.services import organization_create
from core import audit
from core.audit import SYSTEM
from events import demo
from events.models import Event, Venue

DEFAULT_PASSWORD = "demo-pass-2026"
ORGANIZATION_SLUG = "demo-events"
DEVELOPER_ORGANIZATION_SLUG = "demo-integrations"
DEVELOPER_EMAIL = "developer@demo.example"
TIME_ZONE = "Europe/Berlin"
CONFERENCE_SLUG, MEETUP_SLUG, DRAFT_SLUG = demo.CONFERENCE_SLUG, demo.MEETUP_SLUG, demo.DRAFT_SLUG

# (email, name, role in the organization or None, platform superuser)
PEOPLE = (
    ("owner@demo.example", "Olivia Owner", Role.OWNER, False),
    ("admin@demo.example", "Adam Admin", Role.ADMIN, False),
    ("checkin@demo.example", "Chris Checkin", Role.CHECKIN, False),
    ("root@demo.example", "Platform Root", None, True),
    (DEVELOPER_EMAIL, "Dana Developer", None, False),  # the partner: owner of a developer organization
)


class Command(BaseCommand):
    help = "Create demo data (organization, users, venue, conference, meetup series, draft event); safe to rerun."

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with transaction.atomic():
            users = {email: self._user(email, name, superuser, password) for email, name, _, superuser in PEOPLE}
            for user in users.values():
                self._verified(user)
            organization = self._organization(users["owner@demo.example"])
            self._developer_organization(users[DEVELOPER_EMAIL])
            for email, _, role, _ in PEOPLE:
                if role is not None:
                    self._membership(organization, users[email], role)
            self._events(organization, self._venue(organization))
        self._print_logins(password)

    # -- people and the organization --------------------------------------------------
    def _user(self, email: str, name: str, superuser: bool, password: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            return create(email=email, password=password, name=name)
        if not user.check_password(password):  # DEMO_PASSWORD changed: keep the printed login true
            user.set_password(password)
            user.save(update_fields=["password"])
        return user

    def _verified(self, user: User) -> None:
        """The address counts as verified for the developer portal's sign-in (django-allauth)."""
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})

    def _developer_organization(self, owner: User) -> None:
        if not Organization.objects.filter(slug=DEVELOPER_ORGANIZATION_SLUG).exists():
            organization_create(
                actor=SYSTEM,
                name="Demo Integrations",
                owner=owner,
                slug=DEVELOPER_ORGANIZATION_SLUG,
                kind=OrganizationKind.DEVELOPER,
            )

    def _organization(self, owner: User) -> Organization:
        organization = Organization.objects.filter(slug=ORGANIZATION_SLUG).first()
        if organization is None:
            organization = organization_create(actor=SYSTEM, name="Demo Events", owner=owner, slug=ORGANIZATION_SLUG)
            organization.default_time_zone = TIME_ZONE
            organization.save(update_fields=["default_time_zone", "updated_at"])
        return organization

    def _membership(self, organization: Organization, user: User, role: str) -> None:
        if Membership.objects.filter(organization=organization, user=user).exists():
            return
        # The demo skips the invitation round trip (no mail to click through) but keeps the audit trail.
        membership = Membership.objects.create(organization=organization, user=user, role=role)
        audit.record(
            actor=SYSTEM,
            action="membership.created",
            target=membership,
            organization_id=organization.id,
            changes={"user": str(user.id), "role": role},
        )

    def _venue(self, organization: Organization) -> Venue:
        found = Venue.objects.filter(organization=organization, name=demo.VENUE_NAME).first()
        return found or demo.venue(actor=SYSTEM, organization=organization)

    # -- events (events.demo, shared with every sandbox's seed) ---------------------------
    def _events(self, organization: Organization, venue: Venue) -> None:
        for slug, build in ((CONFERENCE_SLUG, demo.conference), (MEETUP_SLUG, demo.meetup), (DRAFT_SLUG, demo.draft)):
            if not Event.objects.filter(organization=organization, slug=slug).exists():
                build(actor=SYSTEM, organization=organization, venue=venue, time_zone=TIME_ZONE)

    # -- output -----------------------------------------------------------------------
    def _print_logins(self, password: str) -> None:
        site = settings.SITE_URL
        lines = [
            'Demo data is ready (organization "Demo Events").',
            "",
            "Logins (email / password):",
        ]
        for email, _, role, superuser in PEOPLE:
            if email == DEVELOPER_EMAIL:
                what = "developer portal, owner of Demo Integrations"
            else:
                what = "platform superuser" if superuser else f"{role}, organizer console"
            lines.append(f"  {email} / {password}   ({what})")
        lines += [
            "",
            f"Organizer console: {site}/console/   (seed_demo_activity adds registrations, payments, check-ins)",
            f"Admin (platform superusers): {site}/admin/",
            f"API:           {site}/api/v1/",
            f"API docs:      {site}/api/docs/",
            f"Dev portal:    {site}/portal/",
        ]
        self.stdout.write("\n".join(lines))
