"""The console's import pages: upload and the dry run's report (nothing written), run through the same services, roles
and tenancy; an attendee export of the console imports as it is."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import OutboxEvent
from registrations.models import ImportJob, ImportStatus, Registration

pytestmark = pytest.mark.django_db

CSV = b"Name,Email,Ticket type\nAda,ada@example.com,Speaker\nBob,bob-at-example,Speaker\n"


def post_file(client: Any, event: Any, content: bytes = CSV, kind: str = "registrations") -> Any:
    return client.post(
        reverse("console:imports", args=[event.pk]), {"kind": kind, "file": SimpleUploadedFile("people.csv", content)}
    )


def test_an_upload_shows_every_rows_errors_and_writes_nothing(world, as_role):
    client = as_role("owner")
    registrations, outbox = Registration.objects.count(), OutboxEvent.objects.count()
    response = post_file(client, world.event)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("console:import", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "INVALID_EMAIL" in page and "&#x27;bob-at-example&#x27; is not an email address." in page
    assert "Skip the 1 row with errors" in page
    assert (Registration.objects.count(), OutboxEvent.objects.count()) == (registrations, outbox)
    listing = client.get(reverse("console:imports", args=[world.event.pk])).content.decode()
    assert "people.csv" in listing


def test_running_imports_through_the_services(world, as_role, eager, django_capture_on_commit_callbacks):
    client = as_role("admin")
    post_file(client, world.event)
    job = ImportJob.objects.get()
    refused = client.post(reverse("console:import", args=[job.pk]), follow=True)
    assert "fix the file, or run with skipInvalidRows" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("console:import", args=[job.pk]), {"skip_invalid": "on"})
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED and job.outcomes == {"confirmed": 1, "skipped": 1}
    ada = Registration.objects.get(attendee_email="ada@example.com")
    assert ada.event_id == world.event.pk and ada.status == "confirmed"
    assert OutboxEvent.objects.filter(event_type="registration.confirmed", data__id=str(ada.pk)).exists()
    page = client.get(reverse("console:import", args=[job.pk])).content.decode()
    assert "Download the result file" in page and "/downloads/imports/" in page


def test_the_console_attendee_export_imports_as_it_is(world, as_role):
    client = as_role("owner")
    exported = b"".join(client.get(reverse("console:attendees-export", args=[world.event.pk])).streaming_content)
    post_file(client, world.event, exported)
    job = ImportJob.objects.get()
    # The same people, the same event: every row is a person registered already.
    assert job.rows_total == Registration.objects.filter(event=world.event).count()
    assert {e["code"] for e in job.report} == {"ALREADY_REGISTERED"}


@pytest.mark.parametrize("role", ["viewer", "finance"])
def test_roles_that_read_registrations_see_imports_but_cannot_upload_or_run(world, as_role, role):
    post_file(as_role("owner"), world.event)
    job = ImportJob.objects.get()
    client = as_role(role)
    assert client.get(reverse("console:imports", args=[world.event.pk])).status_code == 200
    assert client.get(reverse("console:import", args=[job.pk])).status_code == 200
    assert post_file(client, world.event).status_code == 403
    assert client.post(reverse("console:import", args=[job.pk]), {"skip_invalid": "on"}).status_code == 403
    assert ImportJob.objects.get().status == ImportStatus.INVALID


def test_another_organizations_event_and_import_are_404(world, as_role):
    client = as_role("owner")
    assert post_file(client, world.other_event).status_code == 404
    rival = ImportJob.objects.create(
        organization=world.other_org,
        event=world.other_event,
        kind="registrations",
        status="validated",
        file_name="x.csv",
        file_size=1,
    )
    assert client.get(reverse("console:import", args=[rival.pk])).status_code == 404
    assert client.post(reverse("console:import", args=[rival.pk])).status_code == 404
