"""Batch exports: 202 and a job, each format parsed with a standard parser and matching the API's JSON, the signed
expiring link, tenancy and permissions, and one result when a worker dies halfway."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest
from defusedxml import ElementTree as SafeElementTree
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditEntry
from integrations import exports, tasks
from integrations.models import ExportJob, ExportStatus
from registrations.models import Registration, RegistrationStatus
from tests.conftest import error_of
from tests.factories import OrganizationFactory
from tests.integrations.factories import confirmed_registrations
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regs(org: Any) -> list[Registration]:
    event = PublishedEventFactory(organization=org, capacity=100, title="Acme Summit")
    ticket_type = TicketTypeFactory(event=event, name="Standard")
    return [
        RegistrationFactory(ticket_type=ticket_type, attendee_name=name, attendee_email=f"{i}@example.com")
        for i, name in enumerate(["Ada", "Bob, Jr.", "=cmd|' /C calc'!A0", "Zoë"])
    ]


def start(client: Any, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/exports", {"type": "registrations", "format": "csv", **body}, format="json")
    assert response.status_code == 202, response.content
    assert response["Location"] == f"/api/v1/exports/{response.json()['id']}"
    return response.json()


def download(client: Any, job_id: str) -> bytes:
    job = client.get(f"/api/v1/exports/{job_id}").json()
    assert job["status"] == "succeeded" and job["progress"]["percent"] == 100, job
    response = client.get(urlsplit(job["downloadUrl"]).path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def by_id(client: Any) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in client.get("/api/v1/registrations?pageSize=100").json()["data"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "xml"])
def test_each_format_parses_and_matches_the_api(client_owner, regs, fmt):
    job = start(client_owner, format=fmt)
    assert job["status"] == "queued" and job["downloadUrl"] is None
    assert exports.export_run(job_id=job["id"])  # what the worker runs
    content = download(client_owner, job["id"])
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(content.decode())))
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in content.decode().splitlines()]
    elif fmt == "xml":
        root = SafeElementTree.fromstring(content)
        assert root.tag == "export" and root.get("type") == "registrations"
        rows = [{child.tag: child.text or "" for child in row} for row in root]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
        header, *values = list(sheet.values)
        rows = [dict(zip(header, ("" if v is None else v for v in row), strict=True)) for row in values]
    api = by_id(client_owner)
    assert sorted(r["id"] for r in rows) == sorted(api)
    for row in rows:
        item = api[row["id"]]
        assert row["attendeeEmail"] == item["attendeeEmail"] and row["status"] == item["status"]
        expected_name = (
            "'" + item["attendeeName"] if fmt == "csv" and item["attendeeName"].startswith("=") else item["attendeeName"]
        )
        assert row["attendeeName"] == expected_name
        assert row["eventId"] == item["eventId"] and row["createdAt"] == item["createdAt"]


def test_filters_progress_and_audit(client_owner, regs):
    Registration.objects.filter(pk=regs[0].pk).update(status=RegistrationStatus.CANCELLED)
    job = start(client_owner, format="jsonl", filters={"eventId": str(regs[0].event_id), "status": ["cancelled"]})
    seen: list[int] = []
    assert exports.export_run(job_id=job["id"], after_batch=seen.append)
    lines = download(client_owner, job["id"]).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [str(regs[0].pk)]
    body = client_owner.get(f"/api/v1/exports/{job['id']}").json()
    assert body["progress"] == {"rowsDone": 1, "rowsTotal": 1, "percent": 100} and seen == [1]
    assert AuditEntry.objects.filter(action__in=["export.requested", "export.completed"]).count() == 2
    assert client_owner.get("/api/v1/exports").json()["data"][0]["id"] == job["id"]


def test_the_link_is_signed_and_expires(client, client_owner, regs, settings):
    job = start(client_owner)
    exports.export_run(job_id=job["id"])
    url = urlsplit(client_owner.get(f"/api/v1/exports/{job['id']}").json()["downloadUrl"]).path
    assert client.get(url).status_code == 200  # no credentials: the link is the credential
    assert client.get(url[:-3] + ("abc" if not url.endswith("abc") else "abd")).status_code == 404
    settings.EXPORT_URL_TTL_SECONDS = -1  # the link's age is past the limit
    assert client.get(url).status_code == 404
    settings.EXPORT_URL_TTL_SECONDS = 900
    ExportJob.objects.filter(pk=job["id"]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url).status_code == 404  # the file's own lifetime is over


def test_a_worker_that_died_halfway_leaves_one_result(client_owner, org, settings):
    confirmed_registrations(org, 25)
    settings.EXPORT_BATCH_ROWS = 10
    job = start(client_owner)

    class Killed(BaseException):
        """The process dies: nothing after this point runs (no except Exception, no cleanup)."""

    def die(done: int) -> None:
        if done >= 10:
            raise Killed

    with pytest.raises(Killed):
        exports.export_run(job_id=job["id"], after_batch=die)
    dead = ExportJob.objects.get(pk=job["id"])
    assert (dead.status, dead.attempt, dead.rows_done) == (ExportStatus.RUNNING, 1, 10)
    assert not exports.export_run(job_id=job["id"])  # a duplicate message while the lease runs: nothing
    assert exports.lease_left(job["id"]) > 0
    later = timezone.now() + dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS + 1)
    assert exports.exports_due(now=later) == [dead.pk]
    assert exports.export_run(job_id=job["id"], now=later)  # the next attempt, from the start
    done = ExportJob.objects.get(pk=job["id"])
    assert (done.status, done.attempt, done.rows_done) == (ExportStatus.SUCCEEDED, 2, 25)
    rows = list(csv.DictReader(io.StringIO(download(client_owner, job["id"]).decode())))
    assert len(rows) == 25 and len({r["id"] for r in rows}) == 25
    # The dead attempt can record nothing any more; its part file is never the result.
    assert exports._mine(job["id"], 1).update(status=ExportStatus.SUCCEEDED) == 0
    assert sorted(os.listdir(settings.MEDIA_ROOT + f"/exports/{org.pk}")) == [f"{job['id']}.csv"]
    assert AuditEntry.objects.filter(action="export.completed").count() == 1


def test_the_sweep_sends_lost_jobs(client_owner, regs):
    job = start(client_owner)
    ExportJob.objects.filter(pk=job["id"]).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert tasks.sweep_exports() == 1  # to the test broker


def test_permissions_and_tenancy(client_owner, api, member, org, regs):
    door = api(member(Role.CHECKIN, email="door@acme.example"))
    refused = door.post("/api/v1/exports", {"type": "payments", "format": "csv"}, format="json")
    assert refused.status_code == 403
    bad = client_owner.post("/api/v1/exports", {"type": "secrets", "format": "pdf"}, format="json")
    assert bad.status_code == 400 and {d["target"] for d in error_of(bad)["details"]} == {"type", "format"}
    job = start(client_owner)
    exports.export_run(job_id=job["id"])
    other = OrganizationFactory()
    stranger = api(member(organization=other, email="eve@other.example"), other)
    assert stranger.get(f"/api/v1/exports/{job['id']}").status_code == 404
    assert stranger.get("/api/v1/exports").json()["data"] == []
    mine = start(stranger)
    exports.export_run(job_id=mine["id"])
    content = download(stranger, mine["id"]).decode()
    assert content.strip().count("\n") == 0  # the header only: none of the first organization's rows


def test_every_csv_column_is_the_api_json(client_owner, regs, settings):
    """The export reads tuples straight from the database (ids as text in SQL, times as the API writes them): each
    column of each row is what the registration's JSON says, and the rows come in keyset batches of a query each."""
    regs[1].status, regs[1].cancelled_at = RegistrationStatus.CANCELLED, timezone.now()
    regs[1].save(update_fields=["status", "cancelled_at"])
    settings.EXPORT_BATCH_ROWS = 3  # two batches for four rows, and a third query that finds none
    job = start(client_owner, format="csv")
    with CaptureQueriesContext(connection) as queries:
        assert exports.export_run(job_id=job["id"])
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "registrations_registration"' in q["sql"]]
    assert len(reads) == 4, reads  # the count, then one query a batch: no query per row (the ticket type is a join)
    rows = list(csv.DictReader(io.StringIO(download(client_owner, job["id"]).decode())))
    api = by_id(client_owner)
    assert len(rows) == len(api) == 4
    same = ("id", "orderId", "eventId", "attendeeEmail", "status", "source", "createdAt", "confirmedAt", "cancelledAt")
    for row in rows:
        item = api[row["id"]]
        assert {k: row[k] for k in same} == {k: item[k] or "" for k in same}
        assert row["ticketType"] == item["ticketType"]["name"] == "Standard"
        assert row["attendeeName"] in (item["attendeeName"], "'" + item["attendeeName"])
    assert any(row["cancelledAt"] for row in rows) and any(not row["cancelledAt"] for row in rows)
