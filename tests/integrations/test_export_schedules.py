"""Scheduled exports: rules in a time zone, the API, the tick that starts each occurrence once, and runs delivered
by email, to a real SFTP server (OpenSSH on 127.0.0.1) and to an https endpoint, with retries and failures
reported to the owner."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts.roles import Role
from connectors import services as connector_services
from core.audit import SYSTEM
from core.models import AuditEntry
from integrations import schedules
from integrations.models import ExportRun, ExportSchedule, RunStatus
from tests.conftest import error_of
from tests.factories import OrganizationFactory
from tests.fakes.sftp import OpenSSHServer, available
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def regs(org: Any) -> list[Any]:
    ticket_type = TicketTypeFactory(event=PublishedEventFactory(organization=org, capacity=100))
    return [RegistrationFactory(ticket_type=ticket_type, attendee_email=f"{i}@example.com") for i in range(3)]


@pytest.fixture
def sshd(tmp_path: Path) -> Any:
    if not available():
        pytest.skip("needs Debian's openssh-server")
    server = OpenSSHServer(tmp_path / "sshd")
    server.start()
    yield server
    server.stop()


def sftp_connection(org: Any, sshd: Any) -> Any:
    return connector_services.connection_create(
        actor=SYSTEM,
        organization=org,
        kind="file_transfer",
        vendor="sftp",
        mode="live",
        credentials={"private_key": sshd.client_key},
        settings={"host": "127.0.0.1", "port": str(sshd.port), "username": sshd.user, "directory": str(sshd.root)},
    )


def body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Nightly registrations",
        "type": "registrations",
        "format": "csv",
        "cron": "0 2 * * *",
        "timeZone": "Europe/Berlin",
        "destination": "email",
        "recipients": ["finance@acme.example"],
        **fields,
    }


def due_run(schedule_id: str) -> ExportRun:
    """Move the clock to the schedule's next occurrence and tick: the run it starts."""
    schedule = ExportSchedule.objects.get(pk=schedule_id)
    assert schedule.next_run_at is not None
    [run_id] = schedules.schedules_tick(now=schedule.next_run_at + dt.timedelta(seconds=1))
    return ExportRun.objects.get(pk=run_id)


# -- when --------------------------------------------------------------------------------------------------
def test_a_cron_rule_is_read_in_its_time_zone_across_a_daylight_saving_change():
    monday_nine = {"cron": "0 9 * * 1", "rrule": "", "time_zone": "Europe/Berlin"}
    assert schedules.next_occurrence(after=at(2026, 3, 20), **monday_nine) == at(2026, 3, 23, 8)  # CET, UTC+1
    assert schedules.next_occurrence(after=at(2026, 3, 23, 8), **monday_nine) == at(2026, 3, 30, 7)  # CEST, UTC+2


def test_cron_days_of_month_and_of_week_are_either_and_sunday_is_0_or_7():
    rule = {"rrule": "", "time_zone": "UTC"}
    # The 13th or any Friday, at noon: from Sunday 2026-03-01, Friday the 6th comes first, then the 13th (a Friday).
    assert schedules.next_occurrence(cron="0 12 13 * 5", after=at(2026, 3, 1), **rule) == at(2026, 3, 6, 12)
    assert schedules.next_occurrence(cron="0 12 13 * 5", after=at(2026, 3, 7), **rule) == at(2026, 3, 13, 12)
    assert schedules.next_occurrence(cron="30 6 * * 7", after=at(2026, 3, 2), **rule) == at(2026, 3, 8, 6, 30)
    assert schedules.next_occurrence(cron="30 6 * * 0", after=at(2026, 3, 2), **rule) == at(2026, 3, 8, 6, 30)


def test_an_rrule_in_new_york_and_its_end():
    first_of_month = {"cron": "", "rrule": "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=6;BYMINUTE=0", "time_zone": "America/New_York"}
    assert schedules.next_occurrence(after=at(2026, 1, 15), **first_of_month) == at(2026, 2, 1, 11)  # EST
    assert schedules.next_occurrence(after=at(2026, 4, 15), **first_of_month) == at(2026, 5, 1, 10)  # EDT
    ended = {"cron": "", "rrule": "FREQ=DAILY;COUNT=1;BYHOUR=6;BYMINUTE=0", "time_zone": "UTC"}
    anchor = at(2026, 1, 1)
    assert schedules.next_occurrence(after=anchor, anchor=anchor, **ended) == at(2026, 1, 1, 6)
    assert schedules.next_occurrence(after=at(2026, 1, 2), anchor=anchor, **ended) is None


# -- the API -----------------------------------------------------------------------------------------------
def test_create_read_update_and_delete_through_the_api(client_owner, owner):
    created = client_owner.post("/api/v1/export-schedules", body(), format="json")

    assert created.status_code == 201, created.content
    data = created.json()
    assert created["Location"] == f"/api/v1/export-schedules/{data['id']}"
    assert data["secret"] is None and data["enabled"] is True and data["recipients"] == ["finance@acme.example"]
    next_run = dt.datetime.fromisoformat(data["nextRunAt"])
    assert next_run > timezone.now() and next_run.astimezone(dt.timezone(dt.timedelta(hours=1))).hour in (1, 2)
    assert ExportSchedule.objects.get(pk=data["id"]).owner == owner
    listed = client_owner.get("/api/v1/export-schedules").json()["data"]
    assert [s["id"] for s in listed] == [data["id"]]
    read = client_owner.get(f"/api/v1/export-schedules/{data['id']}")
    changed = client_owner.patch(
        f"/api/v1/export-schedules/{data['id']}",
        {"rrule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=0"},
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["cron"] == "" and changed.json()["rrule"].startswith("FREQ=WEEKLY")
    assert dt.datetime.fromisoformat(changed.json()["nextRunAt"]).astimezone(dt.UTC).weekday() == 0
    assert client_owner.delete(f"/api/v1/export-schedules/{data['id']}").status_code == 204
    assert not ExportSchedule.objects.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="export_schedule.").values_list("action", flat=True).order_by("id")
    ) == [
        "export_schedule.created",
        "export_schedule.updated",
        "export_schedule.deleted",
    ]


@pytest.mark.parametrize(
    ("fields", "targets"),
    [
        ({"rrule": "FREQ=DAILY"}, {"cron"}),  # both
        ({"cron": ""}, {"cron"}),  # neither
        ({"cron": "*/1 * * * *"}, {"cron"}),  # every minute
        ({"cron": "61 * * * *"}, {"cron"}),
        ({"timeZone": "Mars/Olympus"}, {"timeZone"}),
        ({"recipients": []}, {"recipients"}),
        ({"destination": "sftp"}, {"connectionId"}),
        ({"destination": "https", "url": ""}, {"url"}),
    ],
)
def test_what_a_schedule_needs_is_checked(client_owner, fields, targets):
    response = client_owner.post("/api/v1/export-schedules", body(**fields), format="json")
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["code"] == "EXPORT_SCHEDULE_INVALID"
    assert {d["target"] for d in error["details"]} == targets


def test_an_sftp_destination_needs_a_connection_whose_host_key_is_pinned(client_owner, org, sshd):
    connection = sftp_connection(org, sshd)
    fields = body(destination="sftp", connectionId=str(connection.pk))
    refused = client_owner.post("/api/v1/export-schedules", fields, format="json")
    assert "not pinned" in error_of(refused)["details"][0]["message"]
    assert connector_services.connection_test(actor=SYSTEM, connection=connection).ok
    assert client_owner.post("/api/v1/export-schedules", fields, format="json").status_code == 201


def test_roles_and_tenancy(api, member, org, client_owner):
    editor = api(member(Role.EDITOR, email="ed@acme.example"))
    assert editor.post("/api/v1/export-schedules", body(), format="json").status_code == 403
    mine = client_owner.post("/api/v1/export-schedules", body(), format="json").json()
    other = OrganizationFactory()
    stranger = api(member(organization=other, email="eve@other.example"), other)
    assert stranger.get(f"/api/v1/export-schedules/{mine['id']}").status_code == 404
    assert stranger.get(f"/api/v1/export-schedules/{mine['id']}/runs").status_code == 404
    assert stranger.post(f"/api/v1/export-schedules/{mine['id']}/run").status_code == 404
    assert stranger.get("/api/v1/export-schedules").json()["data"] == []


# -- runs --------------------------------------------------------------------------------------------------
def test_each_occurrence_starts_one_run_and_the_email_link_downloads_the_file(client_owner, client, regs, mailoutbox):
    schedule = client_owner.post("/api/v1/export-schedules", body(), format="json").json()
    occurrence = ExportSchedule.objects.get(pk=schedule["id"]).next_run_at

    run = due_run(schedule["id"])
    assert schedules.schedules_tick(now=occurrence + dt.timedelta(seconds=2)) == []  # a second tick: nothing new
    assert run.scheduled_for == occurrence
    assert ExportSchedule.objects.get(pk=schedule["id"]).next_run_at == occurrence + dt.timedelta(days=1)

    assert schedules.run_attempt(run_id=run.pk, now=occurrence) == RunStatus.SUCCEEDED
    assert schedules.run_attempt(run_id=run.pk, now=occurrence) is None  # done: a duplicate message does nothing

    [mail] = mailoutbox
    assert mail.to == ["finance@acme.example"] and "3 registrations rows" in mail.body
    link = next(line for line in mail.body.splitlines() if "/downloads/exports/m." in line)
    response = client.get(urlsplit(link.strip()).path)  # no credentials: the signed link is enough
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r["attendeeEmail"] for r in rows) == ["0@example.com", "1@example.com", "2@example.com"]
    runs = client_owner.get(f"/api/v1/export-schedules/{schedule['id']}/runs").json()["data"]
    assert [(r["status"], r["rows"], r["attempts"], r["deliveredTo"]) for r in runs] == [
        ("succeeded", 3, 1, "finance@acme.example")
    ]
    assert client.get(urlsplit(link.strip()).path[:-3] + "abc/").status_code == 404  # a forged link


def test_a_scheduled_export_reaches_the_sftp_server(client_owner, org, regs, sshd):
    connection = sftp_connection(org, sshd)
    assert connector_services.connection_test(actor=SYSTEM, connection=connection).ok
    schedule = client_owner.post(
        "/api/v1/export-schedules", body(destination="sftp", connectionId=str(connection.pk), format="xlsx"), format="json"
    ).json()
    run = due_run(schedule["id"])

    assert schedules.run_attempt(run_id=run.pk, now=run.scheduled_for) == RunStatus.SUCCEEDED

    [uploaded] = list(sshd.root.iterdir())
    local = run.scheduled_for.astimezone(dt.timezone(dt.timedelta(hours=1)))  # Berlin in winter, December
    assert uploaded.name == f"registrations-{local:%Y%m%d-%H%M}.xlsx"
    import openpyxl

    sheet = openpyxl.load_workbook(uploaded, read_only=True).active
    assert sheet is not None and sum(1 for _ in sheet.iter_rows()) == 4  # the header and three rows
    run.refresh_from_db()
    assert run.delivered_to == f"sftp://127.0.0.1{uploaded}"


def test_a_changed_host_key_fails_the_run_at_once_and_tells_the_owner(
    client_owner, owner, org, regs, sshd, mailoutbox, django_capture_on_commit_callbacks
):
    connection = sftp_connection(org, sshd)
    assert connector_services.connection_test(actor=SYSTEM, connection=connection).ok
    schedule = client_owner.post(
        "/api/v1/export-schedules", body(destination="sftp", connectionId=str(connection.pk)), format="json"
    ).json()
    sshd.stop()
    sshd.new_host_key()
    sshd.start()
    run = due_run(schedule["id"])

    with django_capture_on_commit_callbacks(execute=True):
        assert schedules.run_attempt(run_id=run.pk, now=run.scheduled_for) == RunStatus.FAILED

    run.refresh_from_db()
    assert run.attempts == 1 and "host key changed" in run.error  # a refusal is not retried
    assert list(sshd.root.iterdir()) == []
    [mail] = mailoutbox
    assert mail.to == [owner.email] and "Nightly registrations" in mail.subject and "host key changed" in mail.body


def test_an_endpoint_that_fails_is_retried_with_backoff_then_the_owner_is_told(
    client_owner, owner, regs, receiver, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EXPORT_SCHEDULE_MAX_ATTEMPTS = 3
    created = client_owner.post("/api/v1/export-schedules", body(destination="https", url=receiver.url), format="json").json()
    secret = created["secret"]
    assert secret.startswith("whsec_")
    run = due_run(created["id"])
    receiver.answer(503, 200)

    assert schedules.run_attempt(run_id=run.pk, now=run.scheduled_for) == RunStatus.PENDING
    run.refresh_from_db()
    assert run.error.endswith("answered 503") and run.next_attempt_at > timezone.now()
    assert schedules.run_attempt(run_id=run.pk, now=run.next_attempt_at - dt.timedelta(seconds=1)) is None  # not due yet
    assert schedules.run_attempt(run_id=run.pk, now=run.next_attempt_at) == RunStatus.SUCCEEDED

    first, second = receiver.requests
    assert first.body == second.body and first.headers["idempotency-key"] == second.headers["idempotency-key"] == str(run.pk)
    # Signed like a webhook: the Standard Webhooks reference library computes the same signature (its verify() would
    # also parse the body as JSON, which a CSV file is not).
    stamp = dt.datetime.fromtimestamp(int(second.headers["webhook-timestamp"]), tz=UTC)
    expected = Webhook(secret).sign(second.headers["webhook-id"], stamp, second.body.decode())
    assert second.headers["webhook-signature"] == expected
    assert second.headers["content-type"] == "text/csv" and second.body.decode().count("\n") == 4
    assert mailoutbox == []

    # The next occurrence: the endpoint keeps failing, and the third attempt gives up and emails the owner.
    receiver.answer(500, 502, 503)
    later = due_run(created["id"])
    when = later.next_attempt_at
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            outcome = schedules.run_attempt(run_id=later.pk, now=when)
        later.refresh_from_db()
        when = later.next_attempt_at or when
    assert outcome == RunStatus.FAILED and later.attempts == 3 and later.error.endswith("answered 503")
    [mail] = mailoutbox
    assert mail.to == [owner.email] and "3 attempt(s)" in mail.body


def test_run_now_and_a_lost_run_message_is_sent_again_by_the_tick(client_owner, regs, mailoutbox):
    schedule = client_owner.post("/api/v1/export-schedules", body(), format="json").json()
    started = client_owner.post(f"/api/v1/export-schedules/{schedule['id']}/run")
    assert started.status_code == 202 and started.json()["status"] == "pending"
    # Its message was lost: a tick a minute later sends it again.
    assert schedules.schedules_tick(now=timezone.now() + dt.timedelta(minutes=1)) == [
        dt_uuid for dt_uuid in ExportRun.objects.values_list("pk", flat=True)
    ]
    assert schedules.run_attempt(run_id=started.json()["id"]) == RunStatus.SUCCEEDED
    assert len(mailoutbox) == 1
