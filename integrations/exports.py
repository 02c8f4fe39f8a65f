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
from collections.abc import Callable, Iterator, Sequence
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
from django.db import transaction
from django.db.models import F, Model, Q, QuerySet
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
@dataclass(frozen=True)
class Source:
    """One export type: its rows (tenant-scoped), the permission it needs, and its columns."""

    permission: str
    rows: Callable[[Organization], QuerySet[Any]]
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]
    event_field: str | None = "event_id"
    created_field: str = "created_at"
    status_field: str | None = "status"


def _iso(value: dt.datetime | None) -> str | None:
    return iso(value)  # as the API writes it


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


SOURCES: dict[str, Source] = {
    "registrations": Source(
        Perm.REGISTRATIONS_VIEW,
        lambda org: Registration.objects.filter(organization=org).select_related("ticket_type"),
        (
            ("id", lambda r: str(r.pk)),
            ("orderId", lambda r: str(r.order_id)),
            ("eventId", lambda r: str(r.event_id)),
            ("ticketType", lambda r: r.ticket_type.name),
            ("attendeeName", lambda r: r.attendee_name),
            ("attendeeEmail", lambda r: r.attendee_email),
            ("status", lambda r: r.status),
            ("source", lambda r: r.source),
            ("createdAt", lambda r: _iso(r.created_at)),
            ("confirmedAt", lambda r: _iso(r.confirmed_at)),
            ("cancelledAt", lambda r: _iso(r.cancelled_at)),
        ),
    ),
    "attendees": Source(
        Perm.REGISTRATIONS_VIEW,
        lambda org: Registration.objects.filter(organization=org, status=RegistrationStatus.CONFIRMED).select_related(
            "ticket_type"
        ),
        (
            ("registrationId", lambda r: str(r.pk)),
            ("eventId", lambda r: str(r.event_id)),
            ("name", lambda r: r.attendee_name),
            ("email", lambda r: r.attendee_email),
            ("ticketType", lambda r: r.ticket_type.name),
            ("confirmedAt", lambda r: _iso(r.confirmed_at)),
        ),
        status_field=None,
    ),
    "payments": Source(
        Perm.PAYMENTS_VIEW,
        lambda org: Payment.objects.filter(organization=org),
        (
            ("id", lambda p: str(p.pk)),
            ("eventId", lambda p: str(p.event_id)),
            ("amount", lambda p: p.amount),
            ("currency", lambda p: p.currency),
            ("status", lambda p: p.status),
            ("provider", lambda p: p.provider),
            ("refundedAmount", lambda p: p.refunded_amount),
            ("createdAt", lambda p: _iso(p.created_at)),
            ("succeededAt", lambda p: _iso(p.succeeded_at)),
        ),
    ),
    "invoices": Source(
        Perm.PAYMENTS_VIEW,
        lambda org: Invoice.objects.filter(organization=org).select_related("payment"),
        (
            ("id", lambda i: str(i.pk)),
            ("number", lambda i: i.number),
            ("paymentId", lambda i: str(i.payment_id)),
            ("eventId", lambda i: str(i.payment.event_id)),
            ("buyerName", lambda i: i.buyer_name),
            ("buyerEmail", lambda i: i.buyer_email),
            ("currency", lambda i: i.currency),
            ("net", lambda i: i.total_net),
            ("tax", lambda i: i.total_tax),
            ("gross", lambda i: i.total_gross),
            ("issuedAt", lambda i: _iso(i.issued_at)),
        ),
        event_field="payment__event_id",
        status_field=None,
    ),
    "checkins": Source(
        Perm.REGISTRATIONS_VIEW,
        lambda org: CheckIn.objects.filter(organization=org),
        (
            ("id", lambda c: str(c.pk)),
            ("eventId", lambda c: str(c.event_id)),
            ("sessionId", lambda c: _str(c.session_id)),
            ("registrationId", lambda c: _str(c.registration_id)),
            ("result", lambda c: c.result),
            ("accepted", lambda c: c.accepted),
            ("device", lambda c: c.device),
            ("scannedBy", lambda c: c.scanned_by),
            ("createdAt", lambda c: _iso(c.created_at)),
            ("undoneAt", lambda c: _iso(c.undone_at)),
        ),
        status_field="result",
    ),
    "sessions": Source(
        Perm.EVENTS_VIEW,
        lambda org: Session.objects.filter(organization=org),
        (
            ("id", lambda s: str(s.pk)),
            ("eventId", lambda s: str(s.event_id)),
            ("title", lambda s: s.title),
            ("startsAt", lambda s: _iso(s.starts_at)),
            ("endsAt", lambda s: _iso(s.ends_at)),
            ("room", lambda s: s.room),
            ("track", lambda s: s.track),
            ("status", lambda s: s.status),
        ),
    ),
    "feedback": Source(
        Perm.EVENTS_VIEW,
        lambda org: SessionFeedback.objects.filter(organization=org).select_related("session"),
        (
            ("id", lambda f: str(f.pk)),
            ("eventId", lambda f: str(f.session.event_id)),
            ("sessionId", lambda f: str(f.session_id)),
            ("registrationId", lambda f: str(f.registration_id)),
            ("rating", lambda f: f.rating),
            ("comment", lambda f: f.comment),
            ("createdAt", lambda f: _iso(f.created_at)),
        ),
        event_field="session__event_id",
        status_field=None,
    ),
    "audit": Source(
        Perm.AUDIT_VIEW,
        lambda org: AuditEntry.objects.filter(organization_id=org.pk),
        (
            ("id", lambda a: a.pk),
            ("createdAt", lambda a: _iso(a.created_at)),
            ("actor", lambda a: a.actor_label),
            ("action", lambda a: a.action),
            ("objectType", lambda a: a.object_type),
            ("objectId", lambda a: a.object_id),
            ("changes", lambda a: json.dumps(a.changes, sort_keys=True, default=str)),
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


def batches(qs: QuerySet[Any], size: int) -> Iterator[list[Model]]:
    """``qs`` in primary-key order, ``size`` rows a query (keyset: each query is short, nothing is held between)."""
    last: Any = None
    while True:
        page = qs.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


# -- writers ------------------------------------------------------------------------------------------
class Writer:
    def __init__(self, path: Path, columns: Sequence[str], name: str) -> None:
        self.path, self.columns, self.name = path, list(columns), name

    def row(self, values: Sequence[Any]) -> None:
        raise NotImplementedError

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
        self._csv.writerow([csv_cell(_plain(v)) for v in values])

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
        self._sheet.write_row(self._next, 0, ["" if v is None else _plain(v) for v in values])
        self._next += 1

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
    writer = WRITERS[job.format](part, [name for name, _ in source.columns], job.type)
    done = 0
    try:
        for rows in batches(qs, settings.EXPORT_BATCH_ROWS):
            for row in rows:
                writer.row([get(row) for _, get in source.columns])
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
