"""``seed_demo`` then ``seed_demo_activity``: every console page of the demo organization shows figures; safe to rerun."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from events.models import Event
from registrations.models import CheckIn, SessionFeedback

pytestmark = pytest.mark.django_db


def test_the_demo_organization_has_registrations_payments_check_ins_and_feedback_on_every_page():
    call_command("seed_demo")
    call_command("seed_demo_activity")
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    call_command("seed_demo_activity")
    assert {m._meta.label: m._default_manager.count() for m in apps.get_models()} == counts

    client = Client()
    client.force_login(User.objects.get(email="owner@demo.example"))
    home = client.get("/console/home/")
    assert "Demo Evening: Hands-on Workshops" in home.text and "Running" in home.text
    assert any(d["data"] and max(d["data"]) > 0 for d in home.context["chart"]["datasets"])
    reports = client.get("/console/reports/").context["tables"]
    for key in ("day", "ticket_type", "method", "attendance", "feedback"):
        assert reports[key]["rows"], key
    assert {row[0] for row in reports["method"]["rows"]} == {"Paid offline", "Sandbox card"}
    evening = Event.objects.get(slug="demo-evening")
    assert CheckIn.objects.filter(event=evening, accepted=True, session__isnull=True).count() == 40
    assert SessionFeedback.objects.filter(session__event=evening).count() == 25
    assert client.get(f"/console/events/{evening.pk}/attendees/").context["total"] == 60
    desk = Client()
    desk.force_login(User.objects.get(email="checkin@demo.example"))
    assert "Demo Evening: Hands-on Workshops" in desk.get("/console/desk/").context["open_now"][0].title
    audit = client.get("/console/audit/", {"action": "payment."}).context["entries"]
    assert audit
