"""The public status page in Chromium: components, an open incident, announced maintenance; a developer subscribes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from core.audit import SYSTEM
from core.health import BEAT, WORKER, record_heartbeat
from status import selectors, services
from status.models import IncidentStatus, Subscription
from tests.browser.test_portal_layout import signed_in_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_status_page_shows_components_incidents_and_maintenance_and_a_developer_subscribes(tab):
    record_heartbeat(WORKER)
    record_heartbeat(BEAT)
    selectors._checks.clear()
    incident = services.incident_open(
        actor=SYSTEM, title="Webhook deliveries delayed", impact="minor", components=["webhooks"], body="Deliveries are late."
    )
    services.incident_post(actor=SYSTEM, incident=incident, status=IncidentStatus.IDENTIFIED, body="A slow receiver pool.")
    starts = (timezone.now() + dt.timedelta(days=9)).replace(hour=2, minute=0, second=0, microsecond=0)
    services.maintenance_schedule(
        actor=SYSTEM,
        title="Database upgrade",
        body="The API is read-only for up to 30 minutes.",
        components=["api", "portal"],
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
    )

    tab.open("/status/")
    page = tab.page
    assert page.locator(".status-overall").inner_text() == "Degraded performance"
    assert page.locator("#component-webhooks .state").inner_text() == "Degraded performance"
    assert page.locator("#component-api .state").inner_text() == "Operational"
    assert page.locator(f"#incident-{incident.pk} .updates li").count() == 2
    assert "Database upgrade" in page.locator("#maintenance ~ article, section[aria-labelledby=maintenance]").first.inner_text()
    shot = tab.shot("status page")
    tab.assert_no_errors()

    ada = UserFactory(email="ada@partner.example")
    signed_in_as(tab, ada)
    tab.open("/status/")
    page.get_by_role("button", name="Email me about incidents and maintenance").click()
    page.wait_for_selector("text=You will get an email")
    assert Subscription.objects.filter(user=ada).exists()
    tab.shot("status page subscribed")
    tab.assert_no_errors()

    folder = Path("/tmp/shots/ops")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, folder / "status-page.png")
