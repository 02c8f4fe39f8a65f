"""Imports: a file of 10,000 registrations checked (the dry run) and imported by one worker through the services.

Creates a fresh PostgreSQL database (``--database-url``, default emp_bench_imports: it is
dropped and created again, so do not point it at a database you need; dropped at the end
unless ``--keep``), migrates it and seeds one organization and
one published event with a free ticket type, writes a CSV (or XLSX) of ``--rows`` new
attendees, then times the upload's dry run (``registrations.imports.import_upload``) and
the run as one worker runs it (``import_run``: each row through ``registration_create``,
with its audit entry, outbox rows and change row). Prints seconds, CPU seconds of this
process, SQL statements per row, rows per second and the load average.

    .venv/bin/python bench/imports.py
    .venv/bin/python bench/imports.py --database-url postgres://postgres@127.0.0.1:5432/emp_bench_imports_mine
    .venv/bin/python bench/imports.py --rows 1000 --format xlsx

Target (issue 18): an import of 10,000 rows in under 60 s. A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

import _path  # noqa: F401  # the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import api_read  # the read benchmark's helpers: recreate and drop the database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emp_bench_imports"
ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on the path, and its email.py would shadow the standard library's email.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]


def setup(database_url: str, media: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media
    os.environ["CACHE_URL"] = "locmemcache://"
    # Messages the run sends after its commits (emails, webhooks) stay in this process: no worker drains them here.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(rows: int) -> tuple[object, object]:
    """One organization and one published event with room for every row; returns them."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Organization
    from events.models import Event, EventStatus
    from registrations.models import TicketType

    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Bench Imports", slug=f"bench-{uuid.uuid4().hex[:8]}")
    start = timezone.now() + dt.timedelta(days=30)
    event = Event.objects.create(
        organization=org,
        title="Bench Import Summit",
        slug=f"bench-import-{uuid.uuid4().hex[:6]}",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        status=EventStatus.PUBLISHED,
        capacity=rows + 10,
    )
    TicketType.objects.create(organization=org, event=event, name="Standard", currency="EUR", max_per_order=10)
    return org, event


def file_of(rows: int, fmt: str) -> bytes:
    header = ["attendeeName", "attendeeEmail", "ticketType"]
    body = [[f"Attendee {i}", f"attendee{i}@example.com", "Standard"] for i in range(rows)]
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("people")
        for row in [header, *body]:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *body])
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_IMPORTS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url
        api_read.recreate_database(database_url)
        setup(database_url, str(Path(folder) / "media"))
        from django.conf import settings
        from django.db import connection

        settings.IMPORT_MAX_ROWS = max(settings.IMPORT_MAX_ROWS, args.rows)
        settings.IMPORT_MAX_BYTES = max(settings.IMPORT_MAX_BYTES, args.rows * 200)

        from core.audit import SYSTEM
        from registrations import imports
        from registrations.models import ImportJob, ImportStatus, Registration

        org, event = seed(args.rows)
        content = file_of(args.rows, args.format)
        print(f"{connection.vendor}, {args.rows:,} rows as {args.format} ({len(content):,} bytes)")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (figures are slower on a busy machine)")

        started = time.perf_counter()
        job = imports.import_upload(
            actor=SYSTEM, organization=org, event=event, kind="registrations", file_name=f"bench.{args.format}", content=content
        )
        checked = time.perf_counter() - started
        assert job.status == ImportStatus.VALIDATED, job.report[:3]
        print(f"dry run: {checked:.2f} s ({args.rows / checked:,.0f} rows/s), nothing written")

        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)  # what import_start does, without a broker
        statements = [0]

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            statements[0] += 1
            return execute(sql, params, many, context)

        cpu_before = cpu_seconds()
        started = time.perf_counter()
        last = [started]

        def progress(done: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= 10:
                print(f"  {done:,} rows after {now - started:.0f} s")
                last[0] = now

        with connection.execute_wrapper(count):
            assert imports.import_run(job_id=job.pk, after_chunk=progress)
        took = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
        job.refresh_from_db()
        made = Registration.objects.filter(event=event).count()
        print(f"import run: {took:.2f} s ({args.rows / took:,.0f} rows/s), outcomes {job.outcomes}, {made:,} registrations")
        print(
            f"  CPU {cpu:.2f} s in this process ({cpu / args.rows * 1000:.2f} ms a row), {statements[0] / args.rows:.2f} statements a row"
        )
        total = checked + took
        verdict = "met" if total < 60 * args.rows / 10_000 else "missed"
        print(f"total {total:.2f} s; target < 60 s for 10,000 rows: {verdict} (load average now {os.getloadavg()[0]:.1f})")
        api_read.finish(database_url, args.keep)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
