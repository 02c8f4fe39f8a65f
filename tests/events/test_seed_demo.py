"""``manage.py seed_demo``: demo data built through the services, safe to run twice."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client

from accounts.models import Membership, Organization, User
from accounts.roles import Role
from events.models import Event, EventStatus, Session

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_is_idempotent_and_its_owner_login_works(capsys, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    call_command("seed_demo")
    first_output = capsys.readouterr().out
    after_first = row_counts()
    call_command("seed_demo")
    second_output = capsys.readouterr().out

    assert row_counts() == after_first
    assert first_output == second_output
    assert "http://127.0.0.1:8000/admin/" in first_output
    assert "/api/v1/" in first_output and "/api/docs/" in first_output

    organization = Organization.objects.get(name="Demo Events")
    roles = dict(Membership.objects.filter(organization=organization).values_list("user__email", "role"))
    assert roles == {"owner@demo.example": Role.OWNER, "admin@demo.example": Role.ADMIN, "checkin@demo.example": Role.CHECKIN}
    conference = Event.objects.get(organization=organization, title="Demo Conf")
    assert conference.status == EventStatus.PUBLISHED and conference.time_zone == "Europe/Berlin"
    assert conference.speakers.count() == 4
    sessions = Session.objects.filter(event=conference)
    assert sessions.count() == 6 and set(sessions.values_list("room", flat=True)) == {"Hall A", "Hall B"}
    assert len({s.starts_at.date() for s in sessions}) == 2
    series = Event.objects.get(organization=organization, parent=None, category="meetup")
    assert series.sub_events.count() == 4
    assert Event.objects.filter(organization=organization, status=EventStatus.DRAFT, parent=None).count() == 1

    login = re.search(r"(owner@demo\.example) / (\S+)", first_output)
    assert login is not None
    owner = authenticate(username=login.group(1), password=login.group(2))
    assert owner is not None and not owner.is_staff  # organizers work in the console; the admin is for superusers
    root = User.objects.get(email="root@demo.example")
    assert root.is_superuser and root.is_staff

    client = Client()
    assert client.login(username=login.group(1), password=login.group(2))
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    assert "Demo Conf" in response.text

    # The partner signs in to the developer portal at once (a verified address) and works in its organization.
    developer = re.search(r"(developer@demo\.example) / (\S+)", first_output)
    assert developer is not None and "/portal/" in first_output
    portal = Client()
    response = portal.post("/portal/accounts/login/", {"login": developer.group(1), "password": developer.group(2)})
    assert response.status_code == 302 and response["Location"] == "/portal/dashboard/"
    assert "Demo Integrations" in portal.get("/portal/dashboard/").text
    assert Organization.objects.get(slug="demo-integrations").kind == "developer"


def test_seed_demo_takes_the_password_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "s3cret-demo")

    call_command("seed_demo")

    assert "root@demo.example / s3cret-demo" in capsys.readouterr().out
    root = authenticate(username="root@demo.example", password="s3cret-demo")
    assert root is not None and root.is_superuser
