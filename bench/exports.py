"""Batch exports with one worker: 100,000 registrations as CSV and as XLSX (seconds and peak RSS), and PDF tickets.

Creates a fresh PostgreSQL database (``--database-url``, default emp_bench_exports:
it is dropped and created again, so do not point it at a database you need), migrates
it and seeds one organization, one event and ``--rows`` confirmed registrations. Each export runs
in a child process of its own, the way one worker runs the job
(``integrations.exports.export_run``), so its peak RSS and CPU seconds are the export's alone (CPU seconds tell a slower
change from a busier machine). The database is dropped at the end unless ``--keep``.
Then renders the tickets of a ``--order`` attendee order as one PDF and prints
tickets per second.

    .venv/bin/python bench/exports.py
    .venv/bin/python bench/exports.py --database-url postgres://postgres@127.0.0.1:5432/emp_bench_exports_mine
    .venv/bin/python bench/exports.py --rows 20000 --formats csv

Targets (issue 18): CSV < 10 s, XLSX < 40 s, peak RSS < 200 MB. A script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import api_read  # the read benchmark's helpers: recreate and drop the database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emp_bench_exports"
ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path, and bench/email.py would shadow the standard library's email.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]


def setup(database_url: str, media: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media
    os.environ["CACHE_URL"] = "locmemcache://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(rows: int) -> str:
    """One organization, one event, ``rows`` confirmed registrations; returns the organization's id."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Organization
    from events.models import Event, EventStatus
    from registrations.models import Registration, RegistrationStatus, TicketType

    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Bench Events", slug=f"bench-{uuid.uuid4().hex[:8]}")
    start = timezone.now() + dt.timedelta(days=30)
    event = Event.objects.create(
        organization=org,
        title="Bench Summit",
        slug="bench-summit",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        status=EventStatus.PUBLISHED,
        capacity=rows + 10,
    )
    ticket_type = TicketType.objects.create(organization=org, event=event, name="Standard", currency="EUR")
    now = timezone.now()
    batch = []
    for i in range(rows):
        batch.append(
            Registration(
                organization=org,
                event=event,
                ticket_type=ticket_type,
                order_id=uuid.uuid4(),
                attendee_name=f"Attendee {i}",
                attendee_email=f"a{i}@example.com",
                status=RegistrationStatus.CONFIRMED,
                confirmed_at=now,
            )
        )
        if len(batch) == 5000:
            Registration.objects.bulk_create(batch)
            batch = []
    Registration.objects.bulk_create(batch)
    return str(org.pk)


def run_one(job_id: str) -> None:
    """In the child: run the job like the worker does; print seconds and this process's peak RSS as JSON."""
    from integrations import exports
    from integrations.models import ExportJob

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    began = time.perf_counter()
    assert exports.export_run(job_id=job_id)
    seconds = time.perf_counter() - began
    job = ExportJob.objects.get(pk=job_id)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures = {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime - cpu_before, "peak_mb": peak_rss_mb()}
    print(json.dumps({**figures, "rows": job.rows_done, "bytes": job.file_size}))


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM): ru_maxrss would count the parent's, kept across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_EXPORTS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--order", type=int, default=1000, help="attendees of the order whose tickets are rendered")
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    parser.add_argument("--media", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        setup(args.database_url, args.media)
        run_one(args.run_one)
        return
    folder = tempfile.mkdtemp(prefix="bench-exports-")
    database_url = args.database_url
    api_read.recreate_database(database_url)
    media = f"{folder}/media"
    setup(database_url, media)
    began = time.perf_counter()
    org_id = seed(args.rows)
    print(f"seeded {args.rows:,} registrations in {time.perf_counter() - began:.1f} s ({database_url.split(':')[0]})")

    from core.audit import SYSTEM
    from integrations.models import ExportJob

    for fmt in args.formats.split(","):
        job = ExportJob.objects.create(organization_id=org_id, type="registrations", format=fmt, created_by=SYSTEM.audit_label)
        child = subprocess.run(
            [sys.executable, __file__, "--run-one", str(job.pk), "--database-url", database_url, "--media", media],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{fmt:5} {figures['rows']:,} rows  {figures['seconds']:6.1f} s  CPU {figures['cpu']:6.1f} s  "
            f"{figures['rows'] / figures['seconds']:8,.0f} rows/s  "
            f"peak RSS {figures['peak_mb']:5.0f} MB  file {figures['bytes'] / 1e6:5.1f} MB"
        )

    from core.documents import Branding
    from registrations import tickets
    from registrations.models import Registration

    order = list(
        Registration.objects.filter(organization_id=org_id).select_related(
            "ticket_type", "event", "event__venue", "event__organization"
        )[: args.order]
    )
    began = time.perf_counter()
    pdf = tickets.tickets_pdf(order, Branding(name="Bench Events"))
    seconds = time.perf_counter() - began
    print(
        f"tickets PDF: {len(order):,} tickets in {seconds:.1f} s = {len(order) / seconds:,.0f} tickets/s ({len(pdf) / 1e6:.1f} MB)"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (figures are slower on a busy machine)")
    api_read.finish(database_url, args.keep)


if __name__ == "__main__":
    main()
