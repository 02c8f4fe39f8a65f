"""The public status page: components from the health checks and incidents, maintenance 7 days ahead, feeds, emails."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from config.celery import app as celery_app
from core.audit import SYSTEM
from core.errors import DomainError
from core.health import BEAT, WORKER, record_heartbeat
from core.models import AuditEntry, Heartbeat
from status import selectors, services, tasks
from status.models import IncidentStatus, IncidentUpdate, Maintenance, Subscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _fresh_checks() -> Iterator[None]:
    selectors._checks.clear()
    yield
    selectors._checks.clear()


@pytest.fixture
def eager() -> Iterator[None]:
    """The subscribers' emails are sent by the task, run at once in this process."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def healthy() -> None:
    record_heartbeat(WORKER)
    record_heartbeat(BEAT)


def states(client: Client) -> dict[str, str]:
    response = client.get("/status/")
    assert response.status_code == 200
    return {state.key: state.state for state in response.context["states"]}


def test_every_component_is_operational_when_every_check_passes(client: Client, healthy: None) -> None:
    assert states(client) == {
        "api": "operational",
        "webhooks": "operational",
        "connectors": "operational",
        "portal": "operational",
    }
    assert b"All systems operational" in client.get("/status/").content


def test_a_worker_without_heartbeat_degrades_webhooks_and_connectors_only(client: Client, healthy: None) -> None:
    Heartbeat.objects.filter(name=WORKER).delete()
    assert states(client) == {"api": "operational", "webhooks": "degraded", "connectors": "degraded", "portal": "operational"}
    [webhooks] = [s for s in client.get("/status/").context["states"] if s.key == "webhooks"]
    assert webhooks.why == "failing checks: worker"


def test_the_checks_are_run_at_most_every_15_seconds_a_process(healthy: None) -> None:
    first = selectors._check_results(now_monotonic=1000.0)
    Heartbeat.objects.all().delete()
    assert selectors._check_results(now_monotonic=1010.0) == first  # within the interval: the same verdicts
    assert selectors._check_results(now_monotonic=1016.0)["worker"] is False


def test_an_incident_sets_its_components_state_emails_subscribers_and_resolves(
    client: Client, healthy: None, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    ada = UserFactory(email="ada@partner.example")
    services.subscription_set(user=ada, subscribed=True)
    UserFactory(email="not-subscribed@partner.example")
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.incident_open(
            actor=SYSTEM, title="API errors", impact="major", components=["api"], body="Requests fail with 503."
        )
    assert states(client)["api"] == "outage" and states(client)["webhooks"] == "operational"
    assert [m.to for m in mail.outbox] == [["ada@partner.example"]]
    assert mail.outbox[0].subject == "[Status] API errors: Investigating"
    assert "Requests fail with 503." in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.incident_post(actor=SYSTEM, incident=incident, status=IncidentStatus.RESOLVED, body="Fixed.")
    incident.refresh_from_db()
    assert incident.resolved_at is not None
    assert states(client)["api"] == "operational"
    assert len(mail.outbox) == 2 and mail.outbox[1].subject == "[Status] API errors: Resolved"
    page = client.get("/status/").content.decode()
    assert "Resolved in the last 14 days" in page and "Fixed." in page
    assert AuditEntry.objects.filter(action__in=["incident.opened", "incident.updated"]).count() == 2


def test_a_notification_is_sent_once_however_often_the_task_runs(healthy: None) -> None:
    services.subscription_set(user=UserFactory(email="ada@partner.example"), subscribed=True)
    incident = services.incident_open(actor=SYSTEM, title="Slow", impact="minor", components=["webhooks"], body="Slow.")
    update = IncidentUpdate.objects.get(incident=incident)
    assert tasks.notify.run("update", str(update.pk)) == 1
    assert tasks.notify.run("update", str(update.pk)) == 0  # redelivered: nothing twice
    assert len(mail.outbox) == 1


def test_maintenance_less_than_7_days_ahead_is_refused(healthy: None) -> None:
    now = timezone.now()
    with pytest.raises(DomainError) as refused:
        services.maintenance_schedule(
            actor=SYSTEM,
            title="Database upgrade",
            body="Read-only for 30 minutes.",
            components=["api"],
            starts_at=now + dt.timedelta(days=6, hours=23),
            ends_at=now + dt.timedelta(days=7, hours=1),
            now=now,
        )
    assert refused.value.error.code == "MAINTENANCE_NOTICE_TOO_SHORT"
    assert Maintenance.objects.count() == 0


def test_maintenance_announced_7_days_ahead_is_shown_mailed_and_marks_its_components_while_it_runs(
    client: Client, healthy: None, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    services.subscription_set(user=UserFactory(email="ada@partner.example"), subscribed=True)
    now = timezone.now()
    starts = now + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        maintenance = services.maintenance_schedule(
            actor=SYSTEM,
            title="Database upgrade",
            body="Read-only for 30 minutes.",
            components=["api", "portal"],
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=30),
            now=now,
        )
    assert "Database upgrade" in client.get("/status/").content.decode()
    assert mail.outbox[0].subject == "[Status] Scheduled maintenance: Database upgrade"
    assert states(client)["api"] == "operational"  # not yet
    during = {s.key: s.state for s in selectors.component_states(now=starts + dt.timedelta(minutes=5))}
    assert during == {"api": "maintenance", "webhooks": "operational", "connectors": "operational", "portal": "maintenance"}
    assert maintenance.announced_at == now


def test_the_atom_and_rss_feeds_list_incident_updates_and_maintenance(client: Client, healthy: None) -> None:
    incident = services.incident_open(actor=SYSTEM, title="Webhook delays", impact="minor", components=["webhooks"], body="Late.")
    services.incident_post(actor=SYSTEM, incident=incident, status=IncidentStatus.MONITORING, body="Catching up.")
    starts = timezone.now() + dt.timedelta(days=10)
    services.maintenance_schedule(
        actor=SYSTEM,
        title="Broker move",
        body="Brief pause.",
        components=["webhooks"],
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )
    atom = client.get("/status/feed.atom")
    assert atom.status_code == 200 and atom["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles == ["Scheduled maintenance: Broker move", "Webhook delays: Monitoring", "Webhook delays: Investigating"]
    assert all(entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:") for entry in root.iter(f"{ATOM}entry"))
    rss = client.get("/status/feed.rss")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert len(ET.fromstring(rss.content).findall("./channel/item")) == 3
    page = client.get("/status/").content.decode()
    assert 'type="application/atom+xml"' in page and 'href="/status/feed.rss"' in page


def test_a_signed_in_developer_subscribes_and_unsubscribes_on_the_page(client: Client, healthy: None) -> None:
    assert client.post("/status/subscription", {"subscribe": "1"}).status_code == 302
    assert Subscription.objects.count() == 0  # anonymous: sent to sign in
    ada = UserFactory(email="ada@partner.example")
    client.force_login(ada)
    assert b"Email me about incidents" in client.get("/status/").content
    client.post("/status/subscription", {"subscribe": "1"})
    assert Subscription.objects.filter(user=ada).exists()
    assert b"Unsubscribe" in client.get("/status/").content
    client.post("/status/subscription", {"subscribe": "0"})
    assert not Subscription.objects.filter(user=ada).exists()


def test_the_console_refuses_maintenance_announced_too_late(client: Client, healthy: None) -> None:
    admin = UserFactory(email="ops@platform.example", is_staff=True, is_superuser=True)
    client.force_login(admin)
    starts = timezone.now() + dt.timedelta(days=2)
    form = {
        "title": "Too soon",
        "body": "x",
        "components": ["api"],
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": (starts + dt.timedelta(hours=1)).strftime("%Y-%m-%d"),
        "ends_at_1": (starts + dt.timedelta(hours=1)).strftime("%H:%M:%S"),
    }
    response = client.post("/admin/status/maintenance/add/", form)
    assert response.status_code == 200
    assert "at least 7 days ahead" in response.content.decode()
    assert Maintenance.objects.count() == 0
    later = timezone.now() + dt.timedelta(days=8)
    form |= {"title": "In time", "starts_at_0": later.strftime("%Y-%m-%d"), "starts_at_1": later.strftime("%H:%M:%S")}
    form |= {
        "ends_at_0": (later + dt.timedelta(hours=1)).strftime("%Y-%m-%d"),
        "ends_at_1": (later + dt.timedelta(hours=1)).strftime("%H:%M:%S"),
    }
    assert client.post("/admin/status/maintenance/add/", form).status_code == 302
    assert Maintenance.objects.get().title == "In time"
