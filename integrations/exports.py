"""Batch exports (spec §8.2): a job per request, run by a worker that streams rows to a file; a signed, expiring link.

``export_create`` records the job and enqueues ``integrations.tasks.run_export``
after the commit. ``export_run`` claims the job (a conditional UPDATE that sets a
lease and takes the next attempt number), reads the rows in keyset batches of
``EXPORT_BATCH_ROWS`` (short queries: no long transaction, memory bounded by one
batch), writes them through a streaming writer (CSV, XLSX in constant memory,
JSON lines, XML) to a part file, and records the result only if its attempt is
still the job's. A worker killed halfway leaves a lease that runs out; the
redelivered message or the sweep starts the next attempt from the beginning, and
the dead attempt's part file is never recorded: one job, one result.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

import xlsxwriter
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from accounts.roles import Perm
from api.renderers import csv_cell
from api.representation import iso
from core import audit, jobs, locks
from core.audit import SYSTEM, Actor
from core.models import AuditEntry
from events.models import Session
from integrations.models import ExportJob, ExportStatus
from payments.models import Invoice, Payment
from registrations.models import CheckIn, Registration, RegistrationStatus, SessionFeedback

logger = logging.getLogger(__name__)

DOWNLOAD_SALT = "integrations.exports.download"
FORMATS = {
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "xml": ("application/xml", "xml"),
}


# -- what can be exported ------------------------------------------------------------------------
# How a column's database value becomes the export's value: as it is, as text (ids), as the API writes a time, as JSON.
RAW, TEXT, TIME, JSON = "raw", "text", "time", "json"


@dataclass(frozen=True)
class Column:
    name: str  # as the API names the field
    field: str  # the lookup ``values_list`` reads (through a join when it names a relation's field)
    kind: str = RAW


@dataclass(frozen=True)
class Source:
    """One export type: its rows (tenant-scoped), the permission it needs, and its columns."""

    permission: str
    rows: Callable[[Organization], QuerySet[Any]]
    columns: tuple[Column, ...]
    event_field: str | None = "event_id"
    created_field: str = "created_at"
    status_field: str | None = "status"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _in_sql(column: Column) -> bool:
    """Whether the database writes the column's text itself: ids on PostgreSQL (``::text``, as ``str`` writes a UUID)."""
    return column.kind == TEXT and connection.vendor == "postgresql"


def selected(columns: Sequence[Column]) -> list[str | Cast]:
    """What ``values_list`` reads for each column."""
    return [Cast(c.field, output_field=TextField()) if _in_sql(c) else c.field for c in columns]


def converters(columns: Sequence[Column]) -> list[Callable[[Any], Any] | None]:
    """One function per column that turns what ``selected`` read into the export's value (None: as it is).

    Times are written as the API writes them, in the current time zone, looked up once for the whole export.
    """
    zone = timezone.get_current_timezone()

    def time(value: dt.datetime | None) -> str | None:
        return iso(value, zone)

    by_kind: dict[str, Callable[[Any], Any] | None] = {RAW: None, TEXT: _text, TIME: time, JSON: _json}
    return [None if _in_sql(c) else by_kind[c.kind] for c in columns]


SOURCES: dict[str, Source] = {
    "registrations": Source(
        Perm.REGISTRATIONS_VIEW,
        lambda org: Registration.objects.filter(organization=org),
        (
            Column("id", "id", TEXT),
            Column("orderId", "order_id", TEXT),
            Column("eventId", "event_id", TEXT),
            Column("ticketType", "ticket_type__name"),
            Column("attendeeName", "attendee_name"),
            Column("attendeeEmail", "attendee_email"),
            Column("status", "status"),
            Column("source", "source"),
            Column("createdAt", "created_at", TIME),
            Column("confirmedAt", "confirmed_at", TIME),
            Column("cancelledAt", "cancelled_at", TIME),
        ),
    ),
    "attendees": Source(
        Perm.REGISTRATIONS_VIEW,
        lambda org: Registration.objects.filter(organization=org, status=RegistrationStatus.CONFIRMED),
        (
            Column("registrationId", "id", TEXT),
            Column("eventId", "event_id", TEXT),
            Column("name", "attendee_name"),
            Column("email", "attendee_email"),
            Column("ticketType", "ticket_type__name"),
            Column("confirmedAt", "confirmed_at", TIME),
        ),
        status_field=None,
    ),
    "payments": Source(
        Perm.PAYMENTS_VIEW,
        lambda org: Payment.objects.filter(organization=org),
        (
            Column("id", "id", TEXT),
            Column("eventId", "event_id", TEXT),
            Column("amount", "amount"),
            Column("currency", "currency"),
            Column("status", "status"),
            Column("provider", "provider"),
            Column("refundedAmount", "refunded_amount"),
            Column("createdAt", "created_at", TIME),
            Column("succeededAt", "succeeded_at", TIME),
        ),
    ),
    "invoices": Source(
        Perm.PAYMENTS_VIEW,
        lambda org: Invoice.objects.filter(organization=org),
        (
            Column("id", "id", TEXT),
            Column("number", "number"),
            Column("paymentId", "payment_id", TEXT),
            Column("eventId", "payment__event_id", TEXT),
            Column("buyerName", "buyer_name"),
            Column("buyerEmail", "buyer_email"),
            Column("currency", "currency"),
            Column("net", "total_net"),
            Column("tax", "total_tax"),
            Column("gross", "total_gross"),
            Column("issuedAt", "issued_at", TIME),
        ),
        event_field="payment__event_id",
        status_field=None,
    ),
    "checkins": Source(
        Perm.REGISTRATIONS_VIEW,
        lambda org: CheckIn.objects.filter(organization=org),
        (
            Column("id", "id", TEXT),
            Column("eventId", "event_id", TEXT),
            Column("sessionId", "session_id", TEXT),
            Column("registrationId", "registration_id", TEXT),
            Column("result", "result"),
            Column("accepted", "accepted"),
            Column("device", "device"),
            Column("scannedBy", "scanned_by"),
            Column("createdAt", "created_at", TIME),
            Column("undoneAt", "undone_at", TIME),
        ),
        status_field="result",
    ),
    "sessions": Source(
        Perm.EVENTS_VIEW,
        lambda org: Session.objects.filter(organization=org),
        (
            Column("id", "id", TEXT),
            Column("eventId", "event_id", TEXT),
            Column("title", "title"),
            Column("startsAt", "starts_at", TIME),
            Column("endsAt", "ends_at", TIME),
            Column("room", "room"),
            Column("track", "track"),
            Column("status", "status"),
        ),
    ),
    "feedback": Source(
        Perm.EVENTS_VIEW,
        lambda org: SessionFeedback.objects.filter(organization=org),
        (
            Column("id", "id", TEXT),
            Column("eventId", "session__event_id", TEXT),
            Column("sessionId", "session_id", TEXT),
            Column("registrationId", "registration_id", TEXT),
            Column("rating", "rating"),
            Column("comment", "comment"),
            Column("createdAt", "created_at", TIME),
        ),
        event_field="session__event_id",
        status_field=None,
    ),
    "audit": Source(
        Perm.AUDIT_VIEW,
        lambda org: AuditEntry.objects.filter(organization_id=org.pk),
        (
            Column("id", "id"),
            Column("createdAt", "created_at", TIME),
            Column("actor", "actor_label"),
            Column("action", "action"),
            Column("objectType", "object_type"),
            Column("objectId", "object_id"),
            Column("changes", "changes", JSON),
        ),
        event_field=None,
        status_field=None,
    ),
}


def filtered(source: Source, organization: Organization, filters: dict[str, Any]) -> QuerySet[Any]:
    qs = source.rows(organization)
    if filters.get("event_id") and source.event_field:
        qs = qs.filter(**{source.event_field: filters["event_id"]})
    if filters.get("created_after"):
        qs = qs.filter(**{f"{source.created_field}__gte": filters["created_after"]})
    if filters.get("created_before"):
        qs = qs.filter(**{f"{source.created_field}__lt": filters["created_before"]})
    if filters.get("status") and source.status_field:
        qs = qs.filter(**{f"{source.status_field}__in": filters["status"]})
    return qs


def batches(qs: QuerySet[Any], fields: Sequence[str | Cast], size: int) -> Iterator[list[tuple[Any, ...]]]:
    """The ``fields`` of ``qs``'s rows as tuples, in primary-key order, ``size`` rows a query.

    Keyset paging: each query is short and nothing is held between them (no long transaction, memory bounded by one
    batch). Tuples straight from the cursor: no model instance per row.
    """
    ordered = qs.order_by("pk").values_list("pk", *fields)
    last: Any = None
    while True:
        page = ordered if last is None else ordered.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield [row[1:] for row in rows]
        last = rows[-1][0]


def rows_of(source: Source, qs: QuerySet[Any], size: int) -> Iterator[list[list[Any]]]:
    """Each batch of ``qs`` as the export's values, one list per row in the order of ``source.columns``."""
    changed = [(i, c) for i, c in enumerate(converters(source.columns)) if c is not None]
    for batch in batches(qs, selected(source.columns), size):
        out = []
        for values in batch:
            row = list(values)
            for i, c in changed:
                row[i] = c(row[i])
            out.append(row)
        yield out


# -- writers ------------------------------------------------------------------------------------------
class Writer:
    def __init__(self, path: Path, columns: Sequence[str], name: str) -> None:
        self.path, self.columns, self.name = path, list(columns), name

    def row(self, values: Sequence[Any]) -> None:
        raise NotImplementedError

    def rows(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.row(values)

    def close(self) -> None:
        raise NotImplementedError


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


class CsvWriter(Writer):
    def __init__(self, path: Path, columns: Sequence[str], name: str) -> None:
        super().__init__(path, columns, name)
        self._file: IO[str] = path.open("w", newline="", encoding="utf-8")
        self._csv = csv.writer(self._file, lineterminator="\r\n")
        self._csv.writerow(self.columns)

    def row(self, values: Sequence[Any]) -> None:
        self.rows([values])

    def rows(self, rows: Iterable[Sequence[Any]]) -> None:
        # csv_cell writes a Decimal as str() does: no _plain needed here.
        self._csv.writerows([[csv_cell(v) for v in values] for values in rows])

    def close(self) -> None:
        self._file.close()


class JsonLinesWriter(Writer):
    def __init__(self, path: Path, columns: Sequence[str], name: str) -> None:
        super().__init__(path, columns, name)
        self._file: IO[str] = path.open("w", encoding="utf-8")

    def row(self, values: Sequence[Any]) -> None:
        self._file.write(json.dumps(dict(zip(self.columns, map(_plain, values), strict=True)), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._file.close()


class XmlWriter(Writer):
    def __init__(self, path: Path, columns: Sequence[str], name: str) -> None:
        super().__init__(path, columns, name)
        self._file: IO[str] = path.open("w", encoding="utf-8")
        self._xml = XMLGenerator(self._file, encoding="utf-8", short_empty_elements=True)
        self._xml.startDocument()
        self._xml.startElement("export", AttributesImpl({"type": name}))

    def row(self, values: Sequence[Any]) -> None:
        x = self._xml
        x.startElement("row", AttributesImpl({}))
        for column, value in zip(self.columns, values, strict=True):
            value = _plain(value)
            x.startElement(column, AttributesImpl({"nil": "true"} if value is None else {}))
            if value is not None:
                x.characters("true" if value is True else "false" if value is False else str(value))
            x.endElement(column)
        x.endElement("row")

    def close(self) -> None:
        self._xml.endElement("export")
        self._xml.endDocument()
        self._file.close()


class XlsxWriter(Writer):
    """XLSX in constant memory: xlsxwriter flushes each row to a temporary file as it goes."""

    def __init__(self, path: Path, columns: Sequence[str], name: str) -> None:
        super().__init__(path, columns, name)
        self._book = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        self._sheet = self._book.add_worksheet(name[:31])
        self._sheet.write_row(0, 0, self.columns, self._book.add_format({"bold": True}))
        self._next = 1

    def row(self, values: Sequence[Any]) -> None:
        self.rows([values])

    def rows(self, rows: Iterable[Sequence[Any]]) -> None:
        # Text straight to write_string (write() would test each one for a formula, a URL, a number); None and ""
        # are no cell at all, as write() leaves a blank without a format.
        sheet, text, line = self._sheet, self._sheet.write_string, self._next
        for values in rows:
            for column, value in enumerate(values):
                if value.__class__ is str:
                    if value:
                        text(line, column, value)
                elif value is not None:
                    sheet.write(line, column, _plain(value))
            line += 1
        self._next = line

    def close(self) -> None:
        self._book.close()


WRITERS: dict[str, type[Writer]] = {"csv": CsvWriter, "jsonl": JsonLinesWriter, "xml": XmlWriter, "xlsx": XlsxWriter}


# -- services ------------------------------------------------------------------------------------------
def stored_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters as JSON keeps them (times in ISO 8601, ids as strings)."""
    return {
        k: (v.isoformat() if isinstance(v, dt.datetime) else str(v) if isinstance(v, uuid.UUID) else v)
        for k, v in filters.items()
    }


def export_create(*, actor: Actor, organization: Organization, type: str, format: str, filters: dict[str, Any]) -> ExportJob:
    """Record an export job and run it in a worker after the commit. Audited."""
    from integrations.tasks import run_export

    with transaction.atomic():
        job = ExportJob.objects.create(
            organization=organization,
            type=type,
            format=format,
            filters=stored_filters(filters),
            created_by=str(actor.audit_label)[:255],
        )
        audit.record(
            actor=actor,
            action="export.requested",
            target=job,
            organization_id=organization.pk,
            changes={"type": type, "format": format, "filters": job.filters},
        )
        jobs.enqueue(run_export, str(job.pk))
    return job


def _claim(job_id: Any, now: dt.datetime) -> int | None:
    """Take the job for this worker (queued, or running with a lease that ran out); the attempt number, or None."""
    lease = now + dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
    open_q = Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, claimed_until__lt=now)
    with transaction.atomic(), locks.bounded():
        taken = ExportJob.objects.filter(open_q, pk=job_id).update(
            status=ExportStatus.RUNNING, attempt=F("attempt") + 1, claimed_until=lease, rows_done=0, started_at=now, error=""
        )
        if not taken:
            return None
        return int(ExportJob.objects.filter(pk=job_id).values_list("attempt", flat=True).get())


def _mine(job_id: Any, attempt: int) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportStatus.RUNNING)


def export_run(*, job_id: Any, now: dt.datetime | None = None, after_batch: Callable[[int], None] | None = None) -> bool:
    """Run the export if this worker can claim it; True when this run recorded the result.

    ``after_batch`` is called with the rows written so far after each batch (the benchmark and tests watch progress).
    """
    now = now or timezone.now()
    attempt = _claim(job_id, now)
    if attempt is None:
        return False
    job = ExportJob.objects.select_related("organization").get(pk=job_id)
    source = SOURCES[job.type]
    qs = filtered(source, job.organization, job.filters)
    _mine(job_id, attempt).update(rows_total=qs.count())
    folder = Path(default_storage.path("exports/tmp"))
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f"{job.pk}-{attempt}.part"
    writer = WRITERS[job.format](part, [c.name for c in source.columns], job.type)
    done = 0
    try:
        for rows in rows_of(source, qs, settings.EXPORT_BATCH_ROWS):
            writer.rows(rows)
            done += len(rows)
            lease = timezone.now() + dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
            if not _mine(job_id, attempt).update(rows_done=done, claimed_until=lease):
                writer.close()
                part.unlink(missing_ok=True)
                return False  # another attempt took the job over: its result is the one
            if after_batch is not None:
                after_batch(done)
        writer.close()
    except Exception as exc:
        part.unlink(missing_ok=True)
        _mine(job_id, attempt).update(status=ExportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:500], claimed_until=None)
        raise
    name = f"exports/{job.organization_id}/{job.pk}.{FORMATS[job.format][1]}"
    final = Path(default_storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    finished = timezone.now()
    with transaction.atomic(), locks.bounded():
        recorded = _mine(job_id, attempt).update(
            status=ExportStatus.SUCCEEDED,
            file=name,
            file_size=part.stat().st_size,
            rows_done=done,
            claimed_until=None,
            completed_at=finished,
            expires_at=finished + dt.timedelta(seconds=settings.EXPORT_FILE_TTL_SECONDS),
        )
        if recorded:
            os.replace(part, final)  # same folder tree: atomic, so the recorded file is complete
            audit.record(
                actor=SYSTEM,
                action="export.completed",
                target=job,
                organization_id=job.organization_id,
                changes={"rows": done, "attempt": attempt},
            )
    if not recorded:
        part.unlink(missing_ok=True)
    else:
        for stale in folder.glob(f"{job.pk}-*.part"):  # left by attempts whose worker died: never a result
            stale.unlink(missing_ok=True)
    return bool(recorded)


def lease_left(job_id: Any, now: dt.datetime | None = None) -> float | None:
    """Seconds until a running job's lease ends (its worker may have died), or None when it is not running."""
    now = now or timezone.now()
    until = ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).values_list("claimed_until", flat=True).first()
    if until is None:
        return None
    return max((until - now).total_seconds(), 0.0)


def exports_due(*, now: dt.datetime | None = None, limit: int = 100) -> list[uuid.UUID]:
    """Jobs a worker should run: queued past a grace period (their message was lost), or running on a lease that ran out."""
    now = now or timezone.now()
    grace = now - dt.timedelta(seconds=60)
    due = Q(status=ExportStatus.QUEUED, created_at__lt=grace) | Q(status=ExportStatus.RUNNING, claimed_until__lt=now)
    return list(ExportJob.objects.filter(due).order_by("created_at").values_list("pk", flat=True)[:limit])


# -- downloads -----------------------------------------------------------------------------------------
def download_url(job: ExportJob) -> str:
    """A link anyone holding it may use until ``EXPORT_URL_TTL_SECONDS`` from now (signed with the job and its attempt)."""
    token = signing.dumps({"j": str(job.pk), "a": job.attempt}, salt=DOWNLOAD_SALT, compress=False)
    return settings.SITE_URL + reverse("export-download", args=[token])


def download_job(token: str, now: dt.datetime | None = None) -> ExportJob | None:
    """The finished, unexpired job a download link names, or None (bad signature, link too old, file gone)."""
    try:
        claims = signing.loads(token, salt=DOWNLOAD_SALT, max_age=settings.EXPORT_URL_TTL_SECONDS)
    except signing.BadSignature:
        return None
    return finished_job(claims.get("j"), claims.get("a"), now)


def finished_job(job_id: Any, attempt: Any, now: dt.datetime | None = None) -> ExportJob | None:
    """The job if its attempt ``attempt`` recorded a file that is still kept."""
    now = now or timezone.now()
    job = ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportStatus.SUCCEEDED).first()
    if job is None or not job.file or (job.expires_at is not None and job.expires_at <= now):
        return None
    return job
