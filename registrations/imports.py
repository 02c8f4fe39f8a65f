"""Batch file exchange in (spec §2.1): registrations or attendee details from a CSV or XLSX file.

1. ``import_upload`` reads the file and checks every row against the event as it is
   (the dry run). It writes nothing but the job and the stored file: no registration,
   no outbox row, no email. The job's ``report`` lists each row's errors.
2. ``import_start`` queues the checked job; ``registrations.run_import`` (a worker)
   runs it. ``import_run`` claims the job with a lease (a conditional UPDATE, as
   exports do), reads the file again, checks it again against the event as it is now,
   and sends each row through the API's own services: ``registration_create`` (seats,
   the waitlist, ``registration.*`` outbox rows and so webhooks and emails) or
   ``registration_update``. Rows go in chunks, one transaction a chunk; each row's
   outcome (``ImportRow``, unique per job and row) commits with what the row wrote, and
   the chunk commits only while the attempt still holds the job. A worker killed halfway
   leaves its lease to run out; the next attempt skips the rows already recorded, so no
   row is imported twice.
3. The result is a CSV file, one line per row, behind a signed, expiring link.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from api.renderers import csv_cell
from core import audit, jobs, locks
from core.audit import Actor
from core.errors import DomainError
from events.models import Event
from registrations import errors
from registrations.models import (
    ImportJob,
    ImportKind,
    ImportRow,
    ImportStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    TicketType,
)

RESULT_SALT = "registrations.imports.result"
CHUNK_ROWS = 100
XLSX_MAGIC = b"PK\x03\x04"

# The columns each kind reads: canonical name -> (API name, required). Headers match case-, space- and
# punctuation-blind, and under the aliases below (an export's columns import as they are).
COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    ImportKind.REGISTRATIONS: {
        "attendee_name": ("attendeeName", True),
        "attendee_email": ("attendeeEmail", True),
        "ticket_type": ("ticketType", True),
    },
    ImportKind.ATTENDEES: {
        "registration_id": ("registrationId", True),
        "attendee_name": ("attendeeName", False),
        "attendee_email": ("attendeeEmail", False),
    },
}
ALIASES = {
    "attendeename": "attendee_name",
    "name": "attendee_name",
    "attendeeemail": "attendee_email",
    "email": "attendee_email",
    "tickettype": "ticket_type",
    "tickettypeid": "ticket_type",
    "tickettypename": "ticket_type",
    "registrationid": "registration_id",
    "registration": "registration_id",
}

# Row error codes (the dry run's report and the result file); docs/imports.md explains each.
REQUIRED, INVALID_EMAIL, TOO_LONG = "REQUIRED", "INVALID_EMAIL", "TOO_LONG"
UNKNOWN_TICKET_TYPE, UNKNOWN_REGISTRATION = "UNKNOWN_TICKET_TYPE", "UNKNOWN_REGISTRATION"
DUPLICATE_IN_FILE, ALREADY_REGISTERED, NOTHING_TO_CHANGE = "DUPLICATE_IN_FILE", "ALREADY_REGISTERED", "NOTHING_TO_CHANGE"
ROW_CODES = (REQUIRED, INVALID_EMAIL, TOO_LONG, UNKNOWN_TICKET_TYPE, UNKNOWN_REGISTRATION, DUPLICATE_IN_FILE, ALREADY_REGISTERED)
MAX_LENGTH = {"attendee_name": 200, "attendee_email": 254}


# -- reading ---------------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _unreadable(details: str) -> DomainError:
    return DomainError(errors.IMPORT_FILE_UNREADABLE, details=details, target="file")


def _too_many(limit: int) -> DomainError:
    return DomainError(
        errors.IMPORT_TOO_MANY_ROWS, details=f"At most {limit:,} rows below the header; split the file.", target="file"
    )


def _bounded(rows: Iterable[Sequence[Any]], limit: int) -> list[list[str]]:
    """Non-empty rows as strings, the header first; refuses more than ``limit`` rows below it (reading stops there)."""
    out: list[list[str]] = []
    for raw in rows:
        values = [_cell(v) for v in raw]
        if not any(values):
            continue
        out.append(values)
        if len(out) > limit + 1:
            raise _too_many(limit)
    return out


def read_table(content: bytes, *, max_rows: int) -> list[list[str]]:
    """The file's rows as lists of strings, the header first: an XLSX workbook's first sheet, or CSV."""
    if content.startswith(XLSX_MAGIC):
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                return _bounded(book.worksheets[0].iter_rows(values_only=True), max_rows)
            finally:
                book.close()
        except DomainError:
            raise
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
            raise _unreadable(f"Not a readable XLSX workbook ({type(exc).__name__}).") from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable("A CSV file must be UTF-8 (save it as 'CSV UTF-8').") from None
    if "\x00" in text:
        raise _unreadable("The file is neither CSV nor XLSX.")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True), max_rows)
    except csv.Error as exc:
        raise _unreadable(f"Not a readable CSV file: {exc}.") from None


def _canonical(header: str) -> str:
    key = re.sub(r"[^a-z0-9]", "", header.lower())
    return ALIASES.get(key, key)


@dataclass
class Row:
    line: int  # the row's line in the file, the header being line 1
    values: dict[str, str]
    errors: list[dict[str, Any]] = field(default_factory=list)
    # Resolved by the check: the ticket type, or the registration, the row names.
    target: Any = None

    def fail(self, column: str | None, code: str, message: str) -> None:
        self.errors.append({"row": self.line, "column": column, "code": code, "message": message})


def parse(kind: str, content: bytes, *, max_rows: int | None = None) -> list[Row]:
    """The file's rows, with their values under the kind's canonical column names. Raises the file-level errors."""
    limit = max_rows if max_rows is not None else settings.IMPORT_MAX_ROWS
    table = read_table(content, max_rows=limit)
    if not table:
        raise _unreadable("The file is empty: the first row must name the columns.")
    header, body = table[0], table[1:]
    wanted = COLUMNS[kind]
    where: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _canonical(name)
        if key in wanted and key not in where:
            where[key] = i
    missing = [api for key, (api, required) in wanted.items() if required and key not in where]
    if missing or not where:
        accepted = ", ".join(api for api, _ in wanted.values())
        raise DomainError(
            errors.IMPORT_COLUMNS_MISSING,
            f"The header lacks {', '.join(missing) or 'every known column'}.",
            details={"missing": missing, "accepted": accepted},
            target="file",
        )
    rows = []
    for offset, values in enumerate(body, start=2):
        rows.append(Row(line=offset, values={key: values[i] if i < len(values) else "" for key, i in where.items()}))
    return rows


# -- checking -------------------------------------------------------------------------------------------
def _check_contact(row: Row, required: bool) -> None:
    for key in ("attendee_name", "attendee_email"):
        value = row.values.get(key, "")
        api = COLUMNS[ImportKind.REGISTRATIONS][key][0]
        if not value:
            if required:
                row.fail(api, REQUIRED, f"{api} is empty.")
            continue
        if len(value) > MAX_LENGTH[key]:
            row.fail(api, TOO_LONG, f"{api} has more than {MAX_LENGTH[key]} characters.")
        elif key == "attendee_email":
            try:
                validate_email(value)
            except ValidationError:
                row.fail(api, INVALID_EMAIL, f"{value!r} is not an email address.")


def _check_registrations(event: Event, rows: list[Row]) -> None:
    types = list(TicketType.objects.filter(event=event))
    by_key = {t.name.casefold(): t for t in types} | {str(t.pk): t for t in types}
    taken = {
        e.casefold()
        for e in Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("attendee_email", flat=True)
    }
    seen: dict[str, int] = {}
    for row in rows:
        _check_contact(row, required=True)
        name = row.values.get("ticket_type", "")
        row.target = by_key.get(name.casefold()) or by_key.get(name.lower())
        if not name:
            row.fail("ticketType", REQUIRED, "ticketType is empty.")
        elif row.target is None:
            row.fail("ticketType", UNKNOWN_TICKET_TYPE, f"The event has no ticket type {name!r} (give its name or id).")
        email = row.values.get("attendee_email", "").casefold()
        if email and email in seen:
            row.fail("attendeeEmail", DUPLICATE_IN_FILE, f"Row {seen[email]} registers this email address already.")
        elif email in taken:
            row.fail("attendeeEmail", ALREADY_REGISTERED, "This email address is registered for the event already.")
        if email:
            seen.setdefault(email, row.line)


def _check_attendees(event: Event, rows: list[Row]) -> None:
    ids: dict[int, uuid.UUID] = {}
    for row in rows:
        raw = row.values.get("registration_id", "")
        try:
            ids[row.line] = uuid.UUID(raw)
        except ValueError:
            row.fail("registrationId", REQUIRED if not raw else UNKNOWN_REGISTRATION, f"{raw!r} is not a registration id.")
    found = {r.pk: r for r in Registration.objects.filter(event=event, pk__in=set(ids.values()))}
    seen: dict[uuid.UUID, int] = {}
    for row in rows:
        _check_contact(row, required=False)
        pk = ids.get(row.line)
        if pk is None:
            continue
        row.target = found.get(pk)
        if row.target is None:
            row.fail("registrationId", UNKNOWN_REGISTRATION, "The event has no registration with this id.")
        elif pk in seen:
            row.fail("registrationId", DUPLICATE_IN_FILE, f"Row {seen[pk]} changes this registration already.")
        seen.setdefault(pk, row.line)
        if not row.values.get("attendee_name") and not row.values.get("attendee_email"):
            row.fail(None, NOTHING_TO_CHANGE, "Give attendeeName, attendeeEmail or both.")


def check(kind: str, event: Event, rows: list[Row]) -> list[Row]:
    """Check every row against the event as it is now (reads only); each row's ``errors`` says what is wrong."""
    (_check_registrations if kind == ImportKind.REGISTRATIONS else _check_attendees)(event, rows)
    return rows


def report_of(rows: Iterable[Row]) -> list[dict[str, Any]]:
    return [error for row in rows for error in row.errors]


# -- services -------------------------------------------------------------------------------------------
def import_upload(
    *, actor: Actor, organization: Organization, event: Event, kind: str, file_name: str, content: bytes
) -> ImportJob:
    """The dry run: read and check every row of the file, keep the file and the report; nothing else is written.

    Raises IMPORT_FILE_TOO_LARGE, IMPORT_TOO_MANY_ROWS, IMPORT_FILE_UNREADABLE and IMPORT_COLUMNS_MISSING.
    """
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise DomainError(
            errors.IMPORT_FILE_TOO_LARGE,
            details=f"The file has {len(content):,} bytes; at most {settings.IMPORT_MAX_BYTES:,} are taken.",
            target="file",
        )
    rows = check(kind, event, parse(kind, content))
    report = report_of(rows)
    job_id = uuid.uuid4()
    suffix = "xlsx" if content.startswith(XLSX_MAGIC) else "csv"
    stored = default_storage.save(f"imports/{organization.pk}/{job_id}/source.{suffix}", ContentFile(content))
    return ImportJob.objects.create(
        id=job_id,
        organization=organization,
        event=event,
        kind=kind,
        status=ImportStatus.INVALID if report else ImportStatus.VALIDATED,
        file=stored,
        file_name=Path(file_name).name[:255] or f"import.{suffix}",
        file_size=len(content),
        rows_total=len(rows),
        rows_invalid=sum(1 for r in rows if r.errors),
        report=report,
        created_by=str(actor.audit_label)[:255],
    )


def import_start(*, actor: Actor, job: ImportJob, skip_invalid: bool = False) -> ImportJob:
    """Queue a checked import for a worker (``registrations.run_import`` after the commit). Locks the job. Audited.

    Raises IMPORT_NOT_RUNNABLE for a job already started, or one with errors unless ``skip_invalid``.
    """
    from registrations.tasks import run_import

    with transaction.atomic():
        with locks.bounded():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (ImportStatus.VALIDATED, ImportStatus.INVALID):
            raise DomainError(errors.IMPORT_NOT_RUNNABLE, details=f"The import is {job.status}.")
        if job.status == ImportStatus.INVALID and not skip_invalid:
            raise DomainError(
                errors.IMPORT_NOT_RUNNABLE,
                details=f"{job.rows_invalid} row(s) have errors: fix the file, or run with skipInvalidRows.",
                target="skipInvalidRows",
            )
        job.status, job.skip_invalid = ImportStatus.QUEUED, skip_invalid
        job.save(update_fields=["status", "skip_invalid", "updated_at"])
        audit.record(
            actor=actor,
            action="import.started",
            target=job,
            organization_id=job.organization_id,
            changes={"kind": job.kind, "rows": job.rows_total, "event": str(job.event_id), "skipInvalid": skip_invalid},
        )
        jobs.enqueue(run_import, str(job.pk))
    return job


class _Lost(Exception):
    """Another attempt holds the job now: this one's chunk must not commit."""


@dataclass(frozen=True)
class _ImportActor:
    """The member who started the import, as the rows' audit entries name them."""

    audit_label: str
    audit_id: str = "import"


def _claim(job_id: Any, now: dt.datetime) -> int | None:
    lease = now + dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
    open_q = Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, claimed_until__lt=now)
    with transaction.atomic(), locks.bounded():
        taken = ImportJob.objects.filter(open_q, pk=job_id).update(
            status=ImportStatus.RUNNING, attempt=F("attempt") + 1, claimed_until=lease, started_at=now, error=""
        )
        if not taken:
            return None
        return int(ImportJob.objects.filter(pk=job_id).values_list("attempt", flat=True).get())


def _mine(job_id: Any, attempt: int) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(pk=job_id, attempt=attempt, status=ImportStatus.RUNNING)


def _refused(job: ImportJob, row: Row) -> ImportRow | None:
    """The outcome of a row the check refused (skipped or failed, with its first error); None for a row to import."""
    if not row.errors:
        return None
    first = row.errors[0]
    return ImportRow(
        job=job, row=row.line, outcome="skipped" if job.skip_invalid else "failed", code=first["code"], message=first["message"]
    )


def _outcome(job: ImportJob, row: Row, result: Registration | DomainError, status: str | None = None) -> ImportRow:
    """A row's outcome: the registration's status (or ``status``), or the service's error code when it refused."""
    if isinstance(result, DomainError):
        return ImportRow(job=job, row=row.line, outcome="failed", code=result.error.code, message=str(result.message)[:500])
    return ImportRow(job=job, row=row.line, outcome=status or result.status, registration_id=result.pk)


def _apply_chunk(job: ImportJob, chunk: Sequence[Row], actor: Actor) -> list[ImportRow]:
    """Send a chunk's checked rows through the API's services; each row's outcome, in the chunk's order.

    New registrations go through ``registrations_create_many`` (each row its own order of
    one, as ``registration_create`` places it, the event locked once for the chunk);
    attendee changes through ``registration_update``, row by row. ``locks.Busy`` goes up:
    the task retries the chunk and nothing of it is kept.
    """
    from registrations import services

    outcomes: dict[int, ImportRow] = {}
    todo = []
    for row in chunk:
        refused = _refused(job, row)
        if refused is not None:
            outcomes[row.line] = refused
        else:
            todo.append(row)
    if job.kind == ImportKind.REGISTRATIONS:
        orders = [
            services.Order(
                ticket_type_id=row.target.pk,
                attendees=[{"name": row.values["attendee_name"], "email": row.values["attendee_email"]}],
            )
            for row in todo
        ]
        results = services.registrations_create_many(
            actor=actor,
            organization_id=job.organization_id,
            event_id=job.event_id,
            orders=orders,
            source=RegistrationSource.BATCH,
        )
        for row, result in zip(todo, results, strict=True):
            outcomes[row.line] = _outcome(job, row, result if isinstance(result, DomainError) else result[0])
    else:
        for row in todo:
            data = {k: v for k, v in row.values.items() if k in ("attendee_name", "attendee_email") and v}
            try:
                outcomes[row.line] = _outcome(
                    job, row, services.registration_update(actor=actor, registration=row.target, data=data), "updated"
                )
            except locks.Busy:
                raise
            except DomainError as exc:
                outcomes[row.line] = _outcome(job, row, exc)
    return [outcomes[row.line] for row in chunk]


def import_run(*, job_id: Any, now: dt.datetime | None = None, after_chunk: Callable[[int], None] | None = None) -> bool:
    """Run the import if this worker can claim it; True when this run recorded the result.

    Each chunk of rows is one transaction: the rows' registrations (or updates), their
    outbox rows and audit entries, their ``ImportRow`` outcomes, and the job's progress,
    committed only while this attempt holds the job. ``after_chunk`` is called with the
    rows done so far (the benchmark and the tests watch progress).
    """
    now = now or timezone.now()
    attempt = _claim(job_id, now)
    if attempt is None:
        return False
    job = ImportJob.objects.select_related("event").get(pk=job_id)
    actor = _ImportActor(audit_label=f"import {job.pk} by {job.created_by}"[:255])
    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        rows = check(job.kind, job.event, parse(job.kind, content))
    except DomainError as exc:
        _mine(job_id, attempt).update(status=ImportStatus.FAILED, error=str(exc.message)[:500], claimed_until=None)
        return True
    done_rows = set(ImportRow.objects.filter(job_id=job_id).values_list("row", flat=True))
    todo = [r for r in rows if r.line not in done_rows]
    done = len(done_rows)
    for start in range(0, len(todo), CHUNK_ROWS):
        chunk = todo[start : start + CHUNK_ROWS]
        try:
            with transaction.atomic():
                ImportRow.objects.bulk_create(_apply_chunk(job, chunk, actor))
                done += len(chunk)
                lease = timezone.now() + dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
                if not _mine(job_id, attempt).update(rows_done=done, claimed_until=lease):
                    raise _Lost
        except (_Lost, IntegrityError):
            return False  # another attempt took the job over (its rows are the ones kept)
        if after_chunk is not None:
            after_chunk(done)
    name = _write_result(job, rows)
    finished, counts = timezone.now(), outcome_counts(job)
    with transaction.atomic():
        recorded = _mine(job_id, attempt).update(
            status=ImportStatus.SUCCEEDED,
            result_file=name,
            rows_done=done,
            outcomes=counts,
            claimed_until=None,
            completed_at=finished,
        )
        if recorded:
            audit.record(
                actor=audit.SYSTEM,
                action="import.completed",
                target=job,
                organization_id=job.organization_id,
                changes={"attempt": attempt, "outcomes": counts},
            )
    return bool(recorded)


RESULT_COLUMNS = ("row", "outcome", "registrationId", "attendeeName", "attendeeEmail", "code", "message")


def _write_result(job: ImportJob, rows: list[Row]) -> str:
    """The result file: one line per row of the file, in its order, with its outcome."""
    values = {r.line: r.values for r in rows}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RESULT_COLUMNS)
    for out in ImportRow.objects.filter(job=job).order_by("row").iterator(chunk_size=2000):
        given = values.get(out.row, {})
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    out.row,
                    out.outcome,
                    "" if out.registration_id is None else str(out.registration_id),
                    given.get("attendee_name", ""),
                    given.get("attendee_email", ""),
                    out.code,
                    out.message,
                )
            ]
        )
    name = f"imports/{job.organization_id}/{job.pk}/result.csv"
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(buffer.getvalue().encode("utf-8")))


def outcome_counts(job: ImportJob) -> dict[str, int]:
    """Rows per outcome so far: {"confirmed": 10, "waitlisted": 2, "failed": 1}."""
    return {
        row["outcome"]: row["n"]
        for row in ImportRow.objects.filter(job=job).values("outcome").annotate(n=Count("id")).order_by("outcome")
    }


def lease_left(job_id: Any, now: dt.datetime | None = None) -> float | None:
    now = now or timezone.now()
    until = ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).values_list("claimed_until", flat=True).first()
    if until is None:
        return None
    return max((until - now).total_seconds(), 0.0)


def imports_due(*, now: dt.datetime | None = None, limit: int = 100) -> list[uuid.UUID]:
    """Imports a worker should run: queued past a minute (their message was lost), or running on a lease that ran out."""
    now = now or timezone.now()
    due = Q(status=ImportStatus.QUEUED, updated_at__lt=now - dt.timedelta(seconds=60)) | Q(
        status=ImportStatus.RUNNING, claimed_until__lt=now
    )
    return list(ImportJob.objects.filter(due).order_by("created_at").values_list("pk", flat=True)[:limit])


# -- the result's link ----------------------------------------------------------------------------------
def result_url(job: ImportJob) -> str:
    """A link to the result file anyone holding it may use for ``EXPORT_URL_TTL_SECONDS``."""
    token = signing.dumps({"j": str(job.pk), "a": job.attempt}, salt=RESULT_SALT, compress=False)
    return settings.SITE_URL + reverse("import-result-download", args=[token])


def result_job(token: str) -> ImportJob | None:
    """The finished import a result link names, or None (bad signature, link too old)."""
    try:
        claims = signing.loads(token, salt=RESULT_SALT, max_age=settings.EXPORT_URL_TTL_SECONDS)
    except signing.BadSignature:
        return None
    return (
        ImportJob.objects.filter(pk=claims.get("j"), attempt=claims.get("a"), status=ImportStatus.SUCCEEDED)
        .exclude(result_file="")
        .first()
    )
