"""Imports from CSV and XLSX: the dry run reports every row's errors and writes nothing; the run goes through the API's
services (seats, the waitlist, outbox rows, audit); a per-row result file behind a signed link; limits; a worker killed
halfway imports no row twice; tenancy and roles."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditEntry, Change, OutboxEvent
from registrations import imports
from registrations.models import EventRegistrationSettings, ImportJob, ImportRow, ImportStatus, Registration
from tests.conftest import error_of
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org: Any) -> Any:
    event = PublishedEventFactory(organization=org, capacity=100, title="Acme Summit")
    TicketTypeFactory(event=event, name="Standard")
    TicketTypeFactory(event=event, name="VIP")
    return event


def csv_bytes(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Any, event: Any, content: bytes, name: str = "people.csv", kind: str = "registrations") -> Any:
    handle = io.BytesIO(content)
    handle.name = name
    return client.post("/api/v1/imports", {"eventId": str(event.pk), "kind": kind, "file": handle}, format="multipart")


def written(org: Any) -> dict[str, int]:
    """Everything a run writes: registrations, outbox rows (so webhooks and emails), changes, audit, emails."""
    return {
        "registrations": Registration.objects.filter(organization=org).count(),
        "outbox": OutboxEvent.objects.filter(organization_id=org.pk).count(),
        "changes": Change.objects.filter(organization_id=org.pk).count(),
        "audit": AuditEntry.objects.filter(organization_id=org.pk).count(),
        "mail": len(mail.outbox),
    }


def run(client: Any, job_id: str, **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/imports/{job_id}/run", body, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"
    assert imports.import_run(job_id=job_id)  # what the worker runs
    return client.get(f"/api/v1/imports/{job_id}").json()


def result_rows(client: Any, job: dict[str, Any]) -> list[dict[str, str]]:
    response = client.get(urlsplit(job["resultUrl"]).path)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_an_import_dry_run_reports_errors_without_writing(client_owner, org, event):
    RegistrationFactory(ticket_type=event.ticket_types.get(name="Standard"), attendee_email="taken@example.com")
    content = csv_bytes(
        [
            ["Attendee Name", "attendee_email", "ticketType"],
            ["Ada Lovelace", "ada@example.com", "Standard"],  # 2: fine
            ["", "nobody@example.com", "Standard"],  # 3: no name
            ["Bob", "not-an-email", "VIP"],  # 4: bad email
            ["Cy", "cy@example.com", "Gold"],  # 5: no such ticket type
            ["Ada Again", "ADA@example.com", "vip"],  # 6: the same email as row 2 (case-blind); "vip" is VIP
            ["Taken", "taken@example.com", "Standard"],  # 7: registered already
            ["x" * 201, "", ""],  # 8: too long, no email, no ticket type
        ]
    )
    before = written(org)
    response = upload(client_owner, event, content)
    assert response.status_code == 201, response.content
    job = response.json()
    assert response["Location"] == f"/api/v1/imports/{job['id']}"
    assert (job["status"], job["rowsTotal"], job["rowsInvalid"], job["fileName"]) == ("invalid", 7, 6, "people.csv")
    assert [(e["row"], e["column"], e["code"]) for e in job["rowErrors"]] == [
        (3, "attendeeName", "REQUIRED"),
        (4, "attendeeEmail", "INVALID_EMAIL"),
        (5, "ticketType", "UNKNOWN_TICKET_TYPE"),
        (6, "attendeeEmail", "DUPLICATE_IN_FILE"),
        (7, "attendeeEmail", "ALREADY_REGISTERED"),
        (8, "attendeeName", "TOO_LONG"),
        (8, "attendeeEmail", "REQUIRED"),
        (8, "ticketType", "REQUIRED"),
    ]
    assert "Row 2" in job["rowErrors"][3]["message"]
    assert written(org) == before  # nothing but the job itself
    assert ImportRow.objects.count() == 0
    # The job keeps its report; a GET shows the same.
    assert client_owner.get(f"/api/v1/imports/{job['id']}").json()["rowErrors"] == job["rowErrors"]


def test_a_clean_file_checks_as_validated_from_csv_with_semicolons_and_bom_or_xlsx(client_owner, event):
    rows = [["name", "email", "ticket type"], ["Ada", "ada@example.com", "Standard"], ["Bob", "bob@example.com", "VIP"]]
    for content, name in (
        (csv_bytes(rows, delimiter=";", bom=True), "a.csv"),
        (xlsx_bytes(rows), "a.xlsx"),
    ):
        job = upload(client_owner, event, content, name=name).json()
        assert (job["status"], job["rowsTotal"], job["rowErrors"]) == ("validated", 2, []), name


def test_the_run_goes_through_the_registration_service_seats_waitlist_outbox_and_a_result_file(client_owner, org, event):
    event.capacity = 2
    event.save()
    EventRegistrationSettings.objects.create(organization=org, event=event, waitlist_enabled=True)
    rows = [["attendeeName", "attendeeEmail", "ticketType"]] + [[f"P{i}", f"p{i}@example.com", "Standard"] for i in range(4)]
    job = upload(client_owner, event, csv_bytes(rows)).json()
    assert job["status"] == "validated"
    done = run(client_owner, job["id"])
    assert done["status"] == "succeeded" and done["progress"] == {"rowsDone": 4, "rowsTotal": 4, "percent": 100}
    assert done["outcomes"] == {"confirmed": 2, "waitlisted": 2}
    registrations = {r.attendee_email: r for r in Registration.objects.filter(event=event)}
    assert sorted(registrations) == [f"p{i}@example.com" for i in range(4)]
    assert {r.source for r in registrations.values()} == {"batch"}
    # The same outbox rows as POST /registrations: created for each, confirmed for those with a seat.
    published = list(OutboxEvent.objects.filter(organization_id=org.pk).values_list("event_type", "data__attendeeEmail"))
    assert sorted(published) == sorted(
        [("registration.created", f"p{i}@example.com") for i in range(4)]
        + [("registration.confirmed", "p0@example.com"), ("registration.confirmed", "p1@example.com")]
    )
    assert AuditEntry.objects.filter(action="registration.created", actor_label__contains=job["id"]).count() == 4
    lines = result_rows(client_owner, done)
    assert [(line["row"], line["outcome"], line["attendeeEmail"]) for line in lines] == [
        ("2", "confirmed", "p0@example.com"),
        ("3", "confirmed", "p1@example.com"),
        ("4", "waitlisted", "p2@example.com"),
        ("5", "waitlisted", "p3@example.com"),
    ]
    assert [line["registrationId"] for line in lines] == [str(registrations[f"p{i}@example.com"].pk) for i in range(4)]
    # Run once only.
    again = client_owner.post(f"/api/v1/imports/{job['id']}/run", {}, format="json")
    assert again.status_code == 409 and error_of(again)["code"] == "IMPORT_NOT_RUNNABLE"


def test_a_sold_out_row_fails_with_the_services_code_and_the_others_are_kept(client_owner, event):
    event.capacity = 1
    event.save()
    rows = [["attendeeName", "attendeeEmail", "ticketType"], ["A", "a@example.com", "VIP"], ["B", "b@example.com", "VIP"]]
    done = run(client_owner, upload(client_owner, event, csv_bytes(rows)).json()["id"])
    assert done["outcomes"] == {"confirmed": 1, "failed": 1}
    lines = result_rows(client_owner, done)
    assert [(line["outcome"], line["code"]) for line in lines] == [("confirmed", ""), ("failed", "SOLD_OUT")]


def test_a_file_with_errors_runs_only_when_told_to_skip_them(client_owner, event):
    rows = [["attendeeName", "attendeeEmail", "ticketType"], ["A", "a@example.com", "VIP"], ["B", "nope", "VIP"]]
    job = upload(client_owner, event, csv_bytes(rows)).json()
    refused = client_owner.post(f"/api/v1/imports/{job['id']}/run", {}, format="json")
    assert refused.status_code == 409
    assert (error_of(refused)["code"], error_of(refused)["target"]) == ("IMPORT_NOT_RUNNABLE", "skipInvalidRows")
    done = run(client_owner, job["id"], skipInvalidRows=True)
    lines = result_rows(client_owner, done)
    assert [(line["outcome"], line["code"]) for line in lines] == [("confirmed", ""), ("skipped", "INVALID_EMAIL")]
    assert list(Registration.objects.filter(event=event).values_list("attendee_email", flat=True)) == ["a@example.com"]


def test_an_attendees_import_changes_details_through_the_update_service(client_owner, event):
    standard = event.ticket_types.get(name="Standard")
    first, second = (RegistrationFactory(ticket_type=standard, attendee_email=f"{n}@example.com") for n in ("one", "two"))
    rows = [
        ["registrationId", "attendeeName", "attendeeEmail"],
        [str(first.pk), "Renamed", ""],
        [str(second.pk), "", "new@example.com"],
    ]
    job = upload(client_owner, event, csv_bytes(rows), kind="attendees").json()
    assert job["status"] == "validated", job["rowErrors"]
    done = run(client_owner, job["id"])
    assert done["outcomes"] == {"updated": 2}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attendee_name, first.attendee_email) == ("Renamed", "one@example.com")
    assert second.attendee_email == "new@example.com"
    assert AuditEntry.objects.filter(action="registration.updated").count() == 2


def test_an_attendees_dry_run_names_unknown_and_other_events_registrations(client_owner, org, event):
    elsewhere = RegistrationFactory(ticket_type=TicketTypeFactory(event=PublishedEventFactory(organization=org)))
    rows = [["registrationId", "attendeeName"], [str(elsewhere.pk), "X"], ["nope", "Y"], [str(elsewhere.pk), ""]]
    job = upload(client_owner, event, csv_bytes(rows), kind="attendees").json()
    assert [(e["row"], e["code"]) for e in job["rowErrors"]] == [
        (2, "UNKNOWN_REGISTRATION"),
        (3, "UNKNOWN_REGISTRATION"),
        (4, "UNKNOWN_REGISTRATION"),
        (4, "NOTHING_TO_CHANGE"),
    ]


@pytest.mark.parametrize(
    ("setting", "value", "content", "status", "code"),
    [
        (
            "IMPORT_MAX_BYTES",
            60,
            csv_bytes([["name", "email", "ticketType"]] + [["A", "a@example.com", "VIP"]] * 3),
            413,
            "IMPORT_FILE_TOO_LARGE",
        ),
        (
            "IMPORT_MAX_ROWS",
            2,
            csv_bytes([["name", "email", "ticketType"]] + [["A", "a@example.com", "VIP"]] * 3),
            413,
            "IMPORT_TOO_MANY_ROWS",
        ),
        (None, None, b"\x89PNG\r\n\x1a\n\x00\x00binary", 400, "IMPORT_FILE_UNREADABLE"),
        (None, None, b"PK\x03\x04 not really a workbook", 400, "IMPORT_FILE_UNREADABLE"),
        (None, None, "name,email\nÄ,ä@example.com\n".encode("latin-1"), 400, "IMPORT_FILE_UNREADABLE"),
        (None, None, b"", 400, "VALIDATION_ERROR"),
    ],
    ids=["too-large", "too-many-rows", "binary", "bad-xlsx", "not-utf8", "empty"],
)
def test_limits_and_unreadable_files_are_clear_errors(client_owner, org, event, settings, setting, value, content, status, code):
    if setting:
        setattr(settings, setting, value)
    response = upload(client_owner, event, content)
    assert response.status_code == status, response.content
    body = error_of(response)
    assert body["code"] == code
    assert ImportJob.objects.count() == 0


def test_missing_columns_are_named(client_owner, event):
    response = upload(client_owner, event, csv_bytes([["name", "phone"], ["A", "1"]]))
    assert response.status_code == 400
    body = error_of(response)
    assert body["code"] == "IMPORT_COLUMNS_MISSING"
    assert body["details"]["missing"] == ["attendeeEmail", "ticketType"]


def test_a_worker_killed_halfway_imports_no_row_twice(client_owner, org, event, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    rows = [["attendeeName", "attendeeEmail", "ticketType"]] + [[f"P{i}", f"p{i}@example.com", "VIP"] for i in range(5)]
    job = upload(client_owner, event, csv_bytes(rows)).json()
    client_owner.post(f"/api/v1/imports/{job['id']}/run", {}, format="json")

    class Killed(BaseException):
        pass

    def die(done: int) -> None:
        raise Killed  # the process dies after its first chunk committed

    with pytest.raises(Killed):
        imports.import_run(job_id=job["id"], after_chunk=die)
    assert Registration.objects.filter(event=event).count() == 2
    # The redelivered message while the lease runs: nothing to do yet.
    assert imports.import_run(job_id=job["id"]) is False
    assert imports.imports_due() == []
    later = timezone.now() + timezone.timedelta(seconds=600)
    assert imports.imports_due(now=later) == [ImportJob.objects.get().pk]
    assert imports.import_run(job_id=job["id"], now=later)
    emails = sorted(Registration.objects.filter(event=event).values_list("attendee_email", flat=True))
    assert emails == [f"p{i}@example.com" for i in range(5)]
    done = client_owner.get(f"/api/v1/imports/{job['id']}").json()
    assert done["outcomes"] == {"confirmed": 5}
    assert [line["row"] for line in result_rows(client_owner, done)] == ["2", "3", "4", "5", "6"]


def test_the_result_link_is_signed_and_the_jobs_are_the_organizations(api, client_owner, org, other_org, member, event):
    rows = [["attendeeName", "attendeeEmail", "ticketType"], ["A", "a@example.com", "VIP"]]
    done = run(client_owner, upload(client_owner, event, csv_bytes(rows)).json()["id"])
    path = urlsplit(done["resultUrl"]).path
    assert api().get(path).status_code == 200  # the link is the credential
    assert api().get(path[:-3] + "xyz").status_code == 404
    rival = api(member(Role.OWNER, organization=other_org), other_org)
    assert rival.get(f"/api/v1/imports/{done['id']}").status_code == 404
    assert rival.post(f"/api/v1/imports/{done['id']}/run", {}, format="json").status_code == 404
    assert rival.get("/api/v1/imports").json()["data"] == []
    refused = upload(rival, event, csv_bytes(rows))
    assert refused.status_code == 400 and error_of(refused)["target"] == "eventId"


def test_a_viewer_may_follow_imports_but_not_start_them(api, member, event, client_owner):
    viewer = api(member(Role.VIEWER))
    rows = [["attendeeName", "attendeeEmail", "ticketType"], ["A", "a@example.com", "VIP"]]
    assert upload(viewer, event, csv_bytes(rows)).status_code == 403
    job = upload(client_owner, event, csv_bytes(rows)).json()
    assert viewer.get(f"/api/v1/imports/{job['id']}").status_code == 200
    assert viewer.post(f"/api/v1/imports/{job['id']}/run", {}, format="json").status_code == 403
    assert ImportJob.objects.get().status == ImportStatus.VALIDATED


def people(count: int) -> list[list[str]]:
    """A header and ``count`` new attendees, on the Standard and VIP ticket types in turn."""
    return [["attendeeName", "attendeeEmail", "ticketType"]] + [
        [f"P{i}", f"p{i}@example.com", ("Standard", "VIP")[i % 2]] for i in range(count)
    ]


def test_a_chunk_locks_the_event_once_and_writes_each_row_in_one_statement(client_owner, org, event):
    event.capacity = 300
    event.save()
    job = upload(client_owner, event, csv_bytes(people(250))).json()
    client_owner.post(f"/api/v1/imports/{job['id']}/run", {}, format="json")
    chunks: list[list[str]] = [[]]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        chunks[-1].append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert imports.import_run(job_id=job["id"], after_chunk=lambda done: chunks.append([]))
    # chunks[0] also holds the claim and the check before the first chunk; chunks[3] the result.
    if connection.vendor == "postgresql":  # SQLite locks the whole database: its statement names no row lock
        locks = [len([s for s in chunk if "FOR NO KEY UPDATE" in s and "events_event" in s]) for chunk in chunks]
        assert locks == [1, 1, 1, 0]
    for chunk, rows in zip(chunks[1:3], (100, 50), strict=True):
        # Per chunk: the event's lock (and its lock timeout), each ticket type read once, a savepoint, the rows'
        # outcomes, the job's progress; then one statement a row (its registration, outbox rows, audit and change) on
        # PostgreSQL, four elsewhere (no data-modifying CTEs).
        per_row = 1 if connection.vendor == "postgresql" else 4
        assert len(chunk) <= rows * per_row + 9, chunk[:12]
        assert len([s for s in chunk if "INSERT" in s and "registrations_registration" in s]) == rows
    assert ImportJob.objects.get(pk=job["id"]).outcomes == {"confirmed": 250}
    assert written(org)["outbox"] == 500 and written(org)["registrations"] == 250


def test_seats_counted_within_a_chunk_across_ticket_types_as_one_order_at_a_time(client_owner, org, event):
    event.capacity = 151  # reached inside the second chunk, by rows of both ticket types
    event.save()
    done = run(client_owner, upload(client_owner, event, csv_bytes(people(250))).json()["id"])
    assert done["outcomes"] == {"confirmed": 151, "failed": 99}
    lines = result_rows(client_owner, done)
    assert {line["outcome"] for line in lines[:151]} == {"confirmed"}
    assert {(line["outcome"], line["code"]) for line in lines[151:]} == {("failed", "SOLD_OUT")}
    assert Registration.objects.filter(event=event).count() == 151
    assert AuditEntry.objects.filter(action="registration.created").count() == 151


def test_a_waitlist_met_inside_a_chunk_keeps_the_queue(client_owner, org, event):
    event.capacity = 120
    event.save()
    EventRegistrationSettings.objects.create(organization=org, event=event, waitlist_enabled=True)
    done = run(client_owner, upload(client_owner, event, csv_bytes(people(150))).json()["id"])
    assert done["outcomes"] == {"confirmed": 120, "waitlisted": 30}
    lines = result_rows(client_owner, done)
    assert [line["outcome"] for line in lines] == ["confirmed"] * 120 + ["waitlisted"] * 30
    positions = Registration.objects.filter(event=event, status="waitlisted").order_by("created_at")
    assert [r.attendee_email for r in positions] == [f"p{i}@example.com" for i in range(120, 150)]
