"""The console's scheduled-export pages: create from the form (the same service as the API), edit, run now and read
the runs, delete; owners and admins only; another organization's schedule is a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.roles import Perm, Role, role_has
from core.audit import SYSTEM
from integrations import schedules
from integrations.models import ExportRun, ExportSchedule

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Nightly attendees",
    "type": "attendees",
    "format": "csv",
    "cron": "0 2 * * *",
    "rrule": "",
    "time_zone": "Europe/Berlin",
    "destination": "email",
    "recipients": "finance@acme.example, boss@acme.example",
    "connection_id": "",
    "url": "",
    "enabled": "on",
}


def _schedule(organization: Any) -> ExportSchedule:
    schedule, _ = schedules.schedule_create(
        actor=SYSTEM,
        organization=organization,
        data={k: v for k, v in FORM.items() if k not in ("recipients", "connection_id", "url", "enabled")}
        | {"recipients": ["finance@acme.example"]},
    )
    return schedule


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_pages_open_for_the_roles_that_manage_integrations(world: Any, as_role: Any, role: str) -> None:
    schedule = _schedule(world.org)
    allowed = role_has(role, Perm.INTEGRATIONS_MANAGE) and role_has(role, Perm.CONSOLE_OPEN)
    client = as_role(role)
    for url in (reverse("console:export-schedules"), reverse("console:export-schedule", args=[schedule.pk])):
        assert client.get(url).status_code == (200 if allowed else 403), (role, url)
    posted = client.post(reverse("console:export-schedule", args=[schedule.pk]), {"action": "run"})
    assert posted.status_code == (302 if allowed else 403)
    assert ExportRun.objects.filter(schedule=schedule).exists() == allowed


def test_create_edit_run_and_delete(world: Any, as_role: Any) -> None:
    client = as_role("owner")
    created = client.post(reverse("console:export-schedules"), FORM)
    schedule = ExportSchedule.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse("console:export-schedule", args=[schedule.pk])
    assert schedule.recipients == ["finance@acme.example", "boss@acme.example"] and schedule.owner == world.users["owner"]
    assert schedule.next_run_at is not None

    edited = client.post(
        reverse("console:export-schedule", args=[schedule.pk]),
        {**FORM, "action": "save", "cron": "", "rrule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=0"},
    )
    assert edited.status_code == 302
    schedule.refresh_from_db()
    assert schedule.cron == "" and schedule.rrule.startswith("FREQ=WEEKLY")

    client.post(reverse("console:export-schedule", args=[schedule.pk]), {"action": "run"})
    run = ExportRun.objects.get()
    assert schedules.run_attempt(run_id=run.pk) == "succeeded"
    page = client.get(reverse("console:export-schedule", args=[schedule.pk])).content.decode()
    assert "Succeeded" in page and "finance@acme.example, boss@acme.example" in page

    deleted = client.post(reverse("console:export-schedule", args=[schedule.pk]), {"action": "delete"})
    assert deleted.status_code == 302 and not ExportSchedule.objects.exists()


def test_a_refused_schedule_shows_why(world: Any, as_role: Any) -> None:
    response = as_role("owner").post(reverse("console:export-schedules"), {**FORM, "cron": "* * * * *"}, follow=True)
    assert response.status_code == 200 and not ExportSchedule.objects.exists()
    assert "more often than every 5 minutes" in response.content.decode()


def test_another_organizations_schedule_is_404(world: Any, as_role: Any) -> None:
    theirs = _schedule(world.other_org)
    client = as_role("owner")
    assert client.get(reverse("console:export-schedule", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("console:export-schedule", args=[theirs.pk]), {"action": "delete"}).status_code == 404
    assert ExportSchedule.objects.filter(pk=theirs.pk).exists()
    assert "Nightly attendees" not in client.get(reverse("console:export-schedules")).content.decode()
