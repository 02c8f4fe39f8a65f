"""Scheduled exports (spec §8.2): a schedule, the export it makes, where the file goes, and each run's outcome.

- **When.** A five-field cron expression or an RFC 5545 RRULE, read in the schedule's time zone (09:00 stays
  09:00 across daylight-saving changes). ``next_run_at`` holds the next occurrence.
- **The tick** (``integrations.export_schedules_tick``, run by django-celery-beat every minute) claims each due
  occurrence with a conditional UPDATE that moves ``next_run_at`` on, and records an ``ExportRun`` (unique per
  schedule and occurrence) with its ``ExportJob`` in the same transaction: two ticks, or a tick run twice, make
  one run. Occurrences missed while nothing ran are not made up: the next run is the next occurrence after now.
- **A run** (``integrations.run_scheduled_export``) is claimed with a lease, runs its export through
  ``integrations.exports.export_run`` (the job's own attempts and fencing: a worker killed halfway leaves one
  result), then delivers the file: a download link by email, an upload through an SFTP connection
  (``integrations.transfer``), or a POST to an https endpoint signed like a webhook. A delivery that may
  succeed later is retried with exponential backoff and jitter up to ``EXPORT_SCHEDULE_MAX_ATTEMPTS``; a refusal,
  or the last attempt, fails the run and emails the schedule's owner (else the organization's owners).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from celery.schedules import crontab_parser
from dateutil import rrule as rrules
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Organization
from accounts.roles import Role
from connectors.exceptions import Rejected, Unavailable, VendorError
from connectors.models import Connection, ConnectionStatus, Kind
from core import audit, jobs, locks, secrets
from core.audit import SYSTEM, Actor
from core.errors import DomainError
from integrations import errors, exports, network, transfer
from integrations import signing as webhook_signing
from integrations.models import (
    ExportDestination,
    ExportJob,
    ExportRun,
    ExportSchedule,
    ExportStatus,
    RunStatus,
)

LINK_SALT = "integrations.schedules.link"
EDITABLE = (
    "name",
    "type",
    "format",
    "filters",
    "cron",
    "rrule",
    "time_zone",
    "destination",
    "recipients",
    "connection_id",
    "url",
    "enabled",
)
MIN_INTERVAL = dt.timedelta(minutes=5)


# -- when ------------------------------------------------------------------------------------------------
def _cron_rules(expression: str, start: dt.datetime) -> list[rrules.rrule]:
    """The cron expression as rrules on naive local times (day of month OR day of week when both are given)."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError("five fields: minute hour day-of-month month day-of-week")
    minute = sorted(crontab_parser(60).parse(fields[0]))
    hour = sorted(crontab_parser(24).parse(fields[1]))
    monthday = sorted(crontab_parser(31, 1).parse(fields[2]))
    month = sorted(crontab_parser(12, 1).parse(fields[3]))
    # cron: 0 (or 7) is Sunday; dateutil: 0 is Monday, 6 Sunday.
    weekday = sorted({(d - 1) % 7 for d in crontab_parser(7).parse("0" if fields[4] == "7" else fields[4])})
    common: dict[str, Any] = {"dtstart": start, "byminute": minute, "byhour": hour, "bymonth": month, "bysecond": 0}
    days_restricted, weekdays_restricted = fields[2] != "*", fields[4] != "*"
    if days_restricted and weekdays_restricted:
        return [
            rrules.rrule(rrules.MINUTELY, bymonthday=monthday, **common),
            rrules.rrule(rrules.MINUTELY, byweekday=weekday, **common),
        ]
    if weekdays_restricted:
        return [rrules.rrule(rrules.MINUTELY, byweekday=weekday, **common)]
    return [rrules.rrule(rrules.MINUTELY, bymonthday=monthday, **common)]


def _rules(cron: str, rrule: str, start: dt.datetime) -> list[Any]:
    if cron:
        return _cron_rules(cron, start)
    text = rrule.strip().removeprefix("RRULE:")
    if "SECONDLY" in text.upper():
        raise ValueError("FREQ=SECONDLY is not allowed")
    return [rrules.rrulestr(text, dtstart=start, ignoretz=True)]


def next_occurrence(
    *, cron: str, rrule: str, time_zone: str, after: dt.datetime, anchor: dt.datetime | None = None
) -> dt.datetime | None:
    """The first occurrence strictly after ``after`` (aware, UTC), or None when the rule has ended. Raises ValueError."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start = (anchor or after).astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    local_after = after.astimezone(zone).replace(tzinfo=None)
    found: list[dt.datetime] = []
    for rule in _rules(cron, rrule, start):
        candidate = rule.after(local_after)
        while candidate is not None and candidate.replace(tzinfo=zone) <= after:  # a repeated hour at a DST change
            candidate = rule.after(candidate)
        if candidate is not None:
            found.append(candidate.replace(tzinfo=zone).astimezone(dt.UTC))
    return min(found) if found else None


# -- checks ------------------------------------------------------------------------------------------------
def _problems(organization: Organization, data: Mapping[str, Any]) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []

    def problem(target: str, message: str) -> None:
        problems.append({"target": target, "code": "INVALID", "message": message})

    cron, rrule = data.get("cron") or "", data.get("rrule") or ""
    if bool(cron) == bool(rrule):
        problem("cron", "give exactly one of cron and rrule")
    try:
        zoneinfo.ZoneInfo(str(data.get("time_zone") or ""))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problem("timeZone", "not an IANA time zone")
    else:
        if bool(cron) != bool(rrule):
            try:
                now = timezone.now()
                first = next_occurrence(cron=cron, rrule=rrule, time_zone=data["time_zone"], after=now, anchor=now)
                second = first and next_occurrence(cron=cron, rrule=rrule, time_zone=data["time_zone"], after=first, anchor=now)
                if first is None:
                    problem("rrule", "the rule has no occurrence after now")
                elif second is not None and second - first < MIN_INTERVAL:
                    problem("cron" if cron else "rrule", "runs more often than every 5 minutes")
            except (ValueError, TypeError, KeyError) as exc:
                problem("cron" if cron else "rrule", f"cannot be read: {exc}")
    destination = data.get("destination")
    if destination == ExportDestination.EMAIL and not data.get("recipients"):
        problem("recipients", "an email destination needs at least one recipient")
    if destination == ExportDestination.SFTP:
        connection_id = data.get("connection_id")
        connection = (
            Connection.objects.filter(organization=organization, pk=connection_id, kind=Kind.FILE_TRANSFER).first()
            if connection_id
            else None
        )
        if connection is None or connection.status == ConnectionStatus.DISCONNECTED:
            problem("connectionId", "an SFTP destination needs a file-transfer connection of the organization")
        elif not connection.settings.get("host_key"):
            problem("connectionId", "test the connection first: its server's host key is not pinned yet")
    if destination == ExportDestination.HTTPS:
        url = str(data.get("url") or "")
        allowed = ("https://", "http://") if settings.WEBHOOK_ALLOW_HTTP else ("https://",)
        if not url.startswith(allowed):
            problem("url", "an https destination needs an https:// URL")
    return problems


def validate(organization: Organization, data: Mapping[str, Any]) -> None:
    """Raise EXPORT_SCHEDULE_INVALID naming every problem of ``data`` (rule, zone, destination)."""
    problems = _problems(organization, data)
    if problems:
        raise DomainError(errors.EXPORT_SCHEDULE_INVALID, target=problems[0]["target"], details=problems)


def _next_run(schedule: ExportSchedule, after: dt.datetime) -> dt.datetime | None:
    return next_occurrence(
        cron=schedule.cron, rrule=schedule.rrule, time_zone=schedule.time_zone, after=after, anchor=schedule.created_at
    )


# -- services ------------------------------------------------------------------------------------------------
def schedule_create(
    *, actor: Actor, organization: Organization, data: Mapping[str, Any], owner: Any = None
) -> tuple[ExportSchedule, str]:
    """A schedule and, for an https destination, its signing secret (returned once, stored encrypted).

    Raises EXPORT_SCHEDULE_INVALID. Audited."""
    clean = {k: data[k] for k in EDITABLE if k in data}
    clean.setdefault("time_zone", "UTC")
    clean["filters"] = exports.stored_filters(dict(clean.get("filters") or {}))
    validate(organization, clean)
    secret = webhook_signing.new_secret() if clean.get("destination") == ExportDestination.HTTPS else ""
    with transaction.atomic():
        schedule = ExportSchedule(
            organization=organization,
            owner=owner,
            created_by=str(actor.audit_label)[:255],
            secret=secrets.encrypt(secret) if secret else "",
            **clean,
        )
        schedule.created_at = timezone.now()
        schedule.next_run_at = _next_run(schedule, schedule.created_at) if schedule.enabled else None
        schedule.save()
        audit.record(
            actor=actor,
            action="export_schedule.created",
            target=schedule,
            organization_id=organization.pk,
            changes=audit.snapshot(schedule, EDITABLE),
        )
    return schedule, secret


def schedule_update(
    *, actor: Actor, schedule: ExportSchedule, data: Mapping[str, Any], precondition: locks.Precondition | None = None
) -> ExportSchedule:
    """Change the schedule; the next occurrence is worked out again. Locks the row. Raises EXPORT_SCHEDULE_INVALID, BUSY."""
    with transaction.atomic():
        with locks.bounded():
            locked = ExportSchedule.objects.select_for_update().get(pk=schedule.pk)
        locks.check(precondition, locked)
        merged = {k: getattr(locked, k) for k in EDITABLE} | {k: data[k] for k in EDITABLE if k in data}
        merged["filters"] = exports.stored_filters(dict(merged["filters"] or {}))
        if data.get("cron"):
            merged["rrule"] = ""
        if data.get("rrule"):
            merged["cron"] = ""
        validate(locked.organization, merged)
        changes = audit.assign(locked, merged, EDITABLE)
        if merged["destination"] == ExportDestination.HTTPS and not locked.secret:
            locked.secret = secrets.encrypt(webhook_signing.new_secret())
        locked.next_run_at = _next_run(locked, timezone.now()) if locked.enabled else None
        locked.save()
        if changes:
            audit.record(
                actor=actor,
                action="export_schedule.updated",
                target=locked,
                organization_id=locked.organization_id,
                changes=changes,
            )
    return locked


def schedule_delete(*, actor: Actor, schedule: ExportSchedule) -> None:
    with transaction.atomic():
        audit.record(actor=actor, action="export_schedule.deleted", target=schedule, organization_id=schedule.organization_id)
        schedule.delete()


def schedule_secret(schedule: ExportSchedule) -> str:
    return secrets.decrypt(schedule.secret) if schedule.secret else ""


def _start_run(schedule: ExportSchedule, occurrence: dt.datetime, actor: Actor) -> ExportRun | None:
    """Record the run of ``occurrence`` and its export job (in the caller's transaction); None if it exists."""
    if ExportRun.objects.filter(schedule=schedule, scheduled_for=occurrence).exists():
        return None
    job = ExportJob.objects.create(
        organization_id=schedule.organization_id,
        type=schedule.type,
        format=schedule.format,
        filters=schedule.filters,
        created_by=f"schedule {schedule.pk}"[:255],
    )
    run = ExportRun.objects.create(
        organization_id=schedule.organization_id,
        schedule=schedule,
        scheduled_for=occurrence,
        job=job,
        next_attempt_at=occurrence,
    )
    ExportSchedule.objects.filter(pk=schedule.pk).update(last_run_at=occurrence)
    audit.record(
        actor=actor,
        action="export_schedule.run_started",
        target=schedule,
        organization_id=schedule.organization_id,
        changes={"run": str(run.pk), "scheduledFor": occurrence.isoformat()},
    )
    from integrations.tasks import run_scheduled_export

    jobs.enqueue(run_scheduled_export, str(run.pk))
    return run


def schedule_run_now(*, actor: Actor, schedule: ExportSchedule) -> ExportRun:
    """Start a run at once, outside the schedule (the next occurrence stays). Audited."""
    with transaction.atomic():
        run = _start_run(schedule, timezone.now(), actor)
    assert run is not None  # now is new
    return run


def schedules_tick(*, now: dt.datetime | None = None, limit: int = 100) -> list[uuid.UUID]:
    """Start a run for each due occurrence (claimed by moving ``next_run_at`` on), and send runs whose retry is due
    or whose message was lost. Returns the runs sent."""
    now = now or timezone.now()
    started: list[uuid.UUID] = []
    due = ExportSchedule.objects.filter(enabled=True, next_run_at__lte=now).order_by("next_run_at")[:limit]
    for schedule in due:
        occurrence = schedule.next_run_at
        assert occurrence is not None
        with transaction.atomic():
            following = _next_run(schedule, now)
            # Only the tick that moves next_run_at on from this occurrence starts its run.
            if not ExportSchedule.objects.filter(pk=schedule.pk, next_run_at=occurrence, enabled=True).update(
                next_run_at=following
            ):
                continue
            run = _start_run(schedule, occurrence, SYSTEM)
            if run is not None:
                started.append(run.pk)
    retry = (
        ExportRun.objects.filter(status=RunStatus.PENDING, next_attempt_at__lte=now - dt.timedelta(seconds=30))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .exclude(pk__in=started)
        .values_list("pk", flat=True)[:limit]
    )
    from integrations.tasks import run_scheduled_export

    for run_id in retry:
        jobs.send_now(run_scheduled_export, str(run_id))
    return started + list(retry)


# -- a run -----------------------------------------------------------------------------------------------------
def _claim(run_id: Any, now: dt.datetime) -> bool:
    lease = now + dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
    return bool(
        ExportRun.objects.filter(pk=run_id, status=RunStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease, attempts=F("attempts") + 1)
    )


def _backoff(attempts: int) -> float:
    base = settings.EXPORT_SCHEDULE_RETRY_BASE_SECONDS * (2 ** (attempts - 1))
    return min(random.uniform(base / 2, base), 6 * 3600)


def run_attempt(*, run_id: Any, now: dt.datetime | None = None) -> str | None:
    """Attempt the run if it is due and nobody holds it: export, then deliver. Its status afterwards (None: not
    attempted; ``pending``: the export is held by another worker or the delivery will be retried)."""
    now = now or timezone.now()
    if not _claim(run_id, now):
        return None
    run = ExportRun.objects.select_related("schedule", "job", "schedule__connection").get(pk=run_id)
    job = run.job
    if job is None:
        return _fail(run, "the export job was deleted")
    if job.status == ExportStatus.FAILED:  # a previous attempt's export failed: try it again
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.FAILED).update(status=ExportStatus.QUEUED)
    if job.status != ExportStatus.SUCCEEDED:
        try:
            exports.export_run(job_id=job.pk)
        except Exception as exc:  # recorded on the job; the run retries it
            return _retry(run, f"the export failed: {type(exc).__name__}: {exc}", now)
        job.refresh_from_db()
        if job.status != ExportStatus.SUCCEEDED:
            left = exports.lease_left(job.pk) or 0.0  # another worker holds the export: come back after its lease
            ExportRun.objects.filter(pk=run.pk).update(
                lease_until=None, next_attempt_at=timezone.now() + dt.timedelta(seconds=left + 1)
            )
            return RunStatus.PENDING
    try:
        where = _deliver(run, job)
    except Rejected as exc:
        return _fail(run, exc.message)
    except VendorError as exc:
        return _retry(run, exc.message, now)
    with transaction.atomic():
        _finish(
            run,
            RunStatus.SUCCEEDED,
            "export_schedule.delivered",
            {"rows": job.rows_done, "to": where[:500]},
            delivered_to=where[:2000],
            rows=job.rows_done,
            error="",
        )
    return RunStatus.SUCCEEDED


def _retry(run: ExportRun, error: str, now: dt.datetime) -> str:
    if run.attempts >= settings.EXPORT_SCHEDULE_MAX_ATTEMPTS:
        return _fail(run, error)
    ExportRun.objects.filter(pk=run.pk).update(
        error=error[:500], lease_until=None, next_attempt_at=now + dt.timedelta(seconds=_backoff(run.attempts))
    )
    return RunStatus.PENDING


def _finish(run: ExportRun, status: str, action: str, changes: dict[str, Any], **fields: Any) -> None:
    """Record how the run ended, audited, in one transaction (the caller may add after-commit work)."""
    ExportRun.objects.filter(pk=run.pk).update(status=status, lease_until=None, finished_at=timezone.now(), **fields)
    audit.record(
        actor=SYSTEM,
        action=action,
        target=run.schedule,
        organization_id=run.organization_id,
        changes={"run": str(run.pk), **changes},
    )


def _fail(run: ExportRun, error: str) -> str:
    with transaction.atomic():
        _finish(
            run, RunStatus.FAILED, "export_schedule.failed", {"attempts": run.attempts, "error": error[:500]}, error=error[:500]
        )
        transaction.on_commit(lambda: _report(run.schedule, run, error))
    return RunStatus.FAILED


def _report(schedule: ExportSchedule, run: ExportRun, error: str) -> None:
    """Tell the schedule's owner (else the organization's owners) that a run gave up."""
    recipients = [schedule.owner.email] if schedule.owner is not None and schedule.owner.email else []
    if not recipients:
        owners = account_selectors.member_list(
            organization=schedule.organization, filters=account_selectors.MemberFilter(role=Role.OWNER)
        )
        recipients = sorted({m.user.email for m in owners.select_related("user") if m.user.email})
    if not recipients:
        return
    send_mail(
        subject=f"Scheduled export failed: {schedule.name}",
        message=(
            f"The scheduled export {schedule.name!r} due at {run.scheduled_for:%Y-%m-%d %H:%M} UTC gave up after "
            f"{run.attempts} attempt(s): {error}\n\nFix the destination, then run it again from the console "
            f"({settings.SITE_URL}/console/exports/{schedule.pk}/) or POST /api/v1/export-schedules/{schedule.pk}/run."
        ),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )


# -- destinations -----------------------------------------------------------------------------------------------
def _file_name(run: ExportRun, job: ExportJob) -> str:
    stamp = run.scheduled_for.astimezone(zoneinfo.ZoneInfo(run.schedule.time_zone)).strftime("%Y%m%d-%H%M")
    return f"{job.type}-{stamp}.{exports.FORMATS[job.format][1]}"


def link_url(job: ExportJob) -> str:
    """A download link for an email: valid as long as the file is kept (a 15-minute link would be dead on arrival)."""
    token = signing.dumps({"j": str(job.pk), "a": job.attempt}, salt=LINK_SALT, compress=False)
    return settings.SITE_URL + reverse("export-download", args=[f"m.{token}"])


def link_job(token: str) -> ExportJob | None:
    try:
        claims = signing.loads(token, salt=LINK_SALT, max_age=settings.EXPORT_FILE_TTL_SECONDS)
    except signing.BadSignature:
        return None
    return exports.finished_job(claims.get("j"), claims.get("a"))


def _deliver(run: ExportRun, job: ExportJob) -> str:
    schedule = run.schedule
    path = Path(job.file.path)
    if schedule.destination == ExportDestination.EMAIL:
        url = link_url(job)
        sent = send_mail(
            subject=f"Export ready: {schedule.name}",
            message=f"{job.rows_done} {job.type} rows as {job.format.upper()}, valid until {job.expires_at:%Y-%m-%d %H:%M} UTC:\n\n{url}\n",
            from_email=None,
            recipient_list=list(schedule.recipients),
        )
        if not sent:
            raise VendorError("the mail server took no message")
        return ", ".join(schedule.recipients)
    if schedule.destination == ExportDestination.SFTP:
        if schedule.connection is None:
            raise Rejected("the schedule's SFTP connection was deleted")
        uploaded = transfer.upload(schedule.connection, path, _file_name(run, job), idempotency_key=f"export-run-{run.pk}")
        return f"sftp://{schedule.connection.settings.get('host')}{uploaded.remote_path}"
    return _post(run, job, path)


def _post(run: ExportRun, job: ExportJob, path: Path) -> str:
    """POST the file, signed like a webhook (Standard Webhooks headers) with the schedule's secret."""
    body = path.read_bytes()
    message_id, stamp = f"export_run_{run.pk}", int(time.time())
    headers = {
        "Content-Type": exports.FORMATS[job.format][0],
        "Content-Disposition": f'attachment; filename="{_file_name(run, job)}"',
        "Idempotency-Key": str(run.pk),
        "webhook-id": message_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": webhook_signing.sign(schedule_secret(run.schedule), message_id, stamp, body),
    }
    result = network.post(run.schedule.url, headers, body, timeout=settings.EXPORT_SCHEDULE_POST_TIMEOUT_SECONDS)
    if result.status is None:
        if result.error.startswith("refused"):
            raise Rejected(result.error)
        raise Unavailable(result.error)
    if 200 <= result.status < 300:
        return run.schedule.url
    message = f"{run.schedule.url} answered {result.status}"
    if result.status in (408, 429) or result.status >= 500:
        raise Unavailable(message)
    raise Rejected(message)


# -- reads ------------------------------------------------------------------------------------------------------
def schedule_list(*, organization: Organization) -> QuerySet[ExportSchedule]:
    return ExportSchedule.objects.filter(organization=organization).select_related("connection")


def schedule_get(*, organization: Organization, schedule_id: Any) -> ExportSchedule | None:
    try:
        return schedule_list(organization=organization).filter(pk=schedule_id).first()
    except (ValueError, TypeError):
        return None


def run_list(*, schedule: ExportSchedule) -> QuerySet[ExportRun]:
    return ExportRun.objects.filter(schedule=schedule).select_related("job")
