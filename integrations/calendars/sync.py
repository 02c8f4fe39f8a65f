"""Personal calendars kept in step with what their owner registered for (ADR 0027).

What a calendar must hold is decided here, from the platform's data now, never from the trigger: a registration
confirmed, an event or session changed, cancelled or moved all end in one ``calendar.sync`` connector job per
connected calendar and registered event (the *unit*: an event, or a series with its occurrences), which writes
the difference through the vendor's adapter and records it in ``CalendarLink`` rows. A job run twice, or two
jobs out of order, write nothing the second time (each link keeps the fingerprint of what it last wrote), and a
create retried after a lost answer is recognized by the vendor (``port.stable_id``), so no event is created
twice. An entry the owner deleted from their calendar is left deleted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization, User
from connectors import clock, jobs
from connectors.exceptions import Rejected, VendorError
from connectors.models import Connection, ConnectionStatus, ConnectorJob, JobStatus, Kind, Mode
from core import audit
from core import secrets as stored_secrets
from core.audit import Actor
from core.calendars import CalendarEntry
from core.errors import DomainError
from core.models import OutboxEvent
from events import selectors as event_selectors
from events.calendar import event_entries, event_uid, session_entry
from events.models import Event, EventStatus, Session, SessionStatus
from integrations import errors
from integrations.calendars import oauth, port
from integrations.models import CalendarLink, CalendarLinkState, CalendarWatch
from registrations.models import Registration, RegistrationStatus

logger = logging.getLogger(__name__)

SYNC_OPERATION = "calendar.sync"
WATCH_OPERATION = "calendar.watch"
RENEW_OPERATION = "calendar.renew"
# Channels expiring within this are renewed: Graph's subscriptions last about three days, Google's channels a week.
RENEW_MARGIN = dt.timedelta(hours=24)
SHOWN_STATUSES = (EventStatus.PUBLISHED, EventStatus.COMPLETED)


# -- connecting --------------------------------------------------------------------------------------------------
def calendar_connect(
    *, actor: Actor, organization: Organization, user: User, vendor: str, code: str, verifier: str, redirect_uri: str
) -> Connection:
    """Connect ``user``'s calendar at ``vendor`` with an authorization code (and its PKCE verifier).

    One connection per user, organization and vendor: connecting again (after a revoked grant) reuses it and its
    links. The code is exchanged outside any transaction; then the change-notification channel and the sync of
    every event the user registered for are queued. Raises CALENDAR_VENDOR_NOT_CONFIGURED and
    CALENDAR_AUTHORIZATION_FAILED.
    """
    adapter = _adapter(vendor)
    existing = (
        Connection.objects.filter(organization=organization, user=user, kind=Kind.CALENDAR, vendor=vendor)
        .order_by("created_at")
        .first()
    )
    connection = existing or Connection.objects.create(
        organization=organization,
        user=user,
        kind=Kind.CALENDAR,
        vendor=vendor,
        mode=Mode.LIVE,
        name=f"{vendor.title()} calendar of {user.email}",
        created_by=str(actor.audit_label)[:255],
    )
    # The token request goes through the connection's breaker and call log, so it must be open for calls.
    Connection.objects.filter(pk=connection.pk).update(status=ConnectionStatus.CONNECTED)
    connection.status = ConnectionStatus.CONNECTED
    try:
        oauth.exchange(connection, adapter, code=code, verifier=verifier, redirect_uri=redirect_uri)
    except VendorError as exc:
        Connection.objects.filter(pk=connection.pk).update(
            status=ConnectionStatus.DISCONNECTED, last_error=f"authorization failed: {exc.message}"[:500]
        )
        problem = exc.message if isinstance(exc, Rejected) else f"The vendor is unreachable: {exc.message}"
        raise DomainError(errors.CALENDAR_AUTHORIZATION_FAILED, details=problem) from exc
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(
            status=ConnectionStatus.CONNECTED, last_error="", disconnected_at=None, settings={}
        )
        connection.refresh_from_db()
        audit.record(
            actor=actor,
            action="connection.created" if existing is None else "connection.reconnected",
            target=connection,
            organization_id=organization.pk,
            changes={"kind": Kind.CALENDAR, "vendor": vendor, "user": str(user.pk)},
        )
        jobs.submit(
            connection=connection,
            operation=WATCH_OPERATION,
            payload={"channel": str(uuid.uuid4())},
            idempotency_key=f"calendar-watch:{connection.pk}:{uuid.uuid4()}",
        )
        trigger = uuid.uuid4().hex
        for event_id in _registered_units(connection):
            _submit(connection, event_id, trigger)
    return connection


def _adapter(vendor: str) -> port.CalendarAdapter:
    adapter = port.adapter(vendor)
    if adapter is None or not adapter.client()[0]:
        raise DomainError(errors.CALENDAR_VENDOR_NOT_CONFIGURED, details={"vendor": vendor})
    return adapter


def connection_lost(*, connection: Connection, reason: str) -> bool:
    """The vendor revoked the grant (``invalid_grant``): disconnect and tell the owner once. True the first time."""
    now = clock.now()
    with transaction.atomic():
        changed = (
            Connection.objects.filter(pk=connection.pk)
            .exclude(status=ConnectionStatus.DISCONNECTED)
            .update(
                status=ConnectionStatus.DISCONNECTED,
                access_token="",
                refresh_token="",
                token_expires_at=None,
                disconnected_at=now,
                last_error=f"invalid_grant: the calendar must be connected again ({reason})"[:500],
                last_error_at=now,
            )
        )
        if not changed:
            return False
        connection.status = ConnectionStatus.DISCONNECTED
        audit.record(
            actor=audit.SYSTEM,
            action="connection.disconnected",
            target=connection,
            organization_id=connection.organization_id,
            changes={"reason": "invalid_grant"},
        )
        user = connection.user
        if user is not None and user.email:
            mail = EmailMessage(
                subject="Your calendar was disconnected",
                body=(
                    f"{connection.label} no longer accepts the platform's access (it was revoked or has expired), so your "
                    "events are not updated there any more. Connect it again on the Calendars page: "
                    f"{settings.SITE_URL}/console/calendars/"
                ),
                to=[user.email],
            )
            mail.organization_id = connection.organization_id  # type: ignore[attr-defined]
            mail.dedupe_key = f"calendar-disconnected:{connection.pk}:{now.isoformat()}"  # type: ignore[attr-defined]
            mail.send()
    return True


def calendar_connections_of(*, organization: Organization, user: User) -> list[Connection]:
    """The user's own calendar connections in the organization (newest first)."""
    return list(
        Connection.objects.filter(organization=organization, user=user, kind=Kind.CALENDAR).order_by("-created_at", "-id")
    )


def calendar_connection_get(*, organization: Organization, user: User, connection_id: Any) -> Connection | None:
    try:
        uuid.UUID(str(connection_id))
    except ValueError:
        return None
    return Connection.objects.filter(organization=organization, user=user, kind=Kind.CALENDAR, pk=connection_id).first()


# -- what a calendar must hold ---------------------------------------------------------------------------------
def _registered_units(connection: Connection) -> list[uuid.UUID]:
    return list(_registrations_of(connection).values_list("event_id", flat=True).distinct())


def _registrations_of(connection: Connection) -> Any:
    user = connection.user
    if user is None:
        return Registration.objects.none()
    return Registration.objects.filter(organization_id=connection.organization_id).filter(
        Q(user=user) | Q(attendee_email__iexact=user.email)
    )


def _key(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def desired(connection: Connection, unit: Event | None) -> dict[str, CalendarEntry]:
    """{source: entry} the calendar must hold for one registered event (or series) and its sessions; {} when the
    owner holds no confirmed registration for it or it is not (any more) published."""
    if unit is None or unit.status not in SHOWN_STATUSES:
        return {}
    if not _registrations_of(connection).filter(event=unit, status=RegistrationStatus.CONFIRMED).exists():
        return {}
    base = f"event:{unit.pk}"
    entries = event_entries(unit, event_selectors.sub_events_of(event=unit))
    master_uid = event_uid(unit)
    wanted: dict[str, CalendarEntry] = {}
    moved: list[dt.datetime] = []
    for entry in entries:
        if entry.recurrence_id is not None:
            # A moved occurrence: the vendors get an exception of the series and an event of its own.
            moved.append(entry.recurrence_id)
            source = f"{base}/occurrence:{_key(entry.recurrence_id)}"
            wanted[source] = dataclasses.replace(entry, uid=f"{source}@{master_uid.split('@', 1)[-1]}", recurrence_id=None)
        elif entry.uid == master_uid:
            wanted[base] = entry
        elif entry.status != "CANCELLED":
            wanted[f"{base}/{entry.uid.split('@', 1)[0]}"] = entry
    if moved and base in wanted:
        master = wanted[base]
        wanted[base] = dataclasses.replace(master, exdates=tuple(sorted({*master.exdates, *moved})))
    for session in Session.objects.filter(event=unit, status=SessionStatus.SCHEDULED).select_related("event__venue"):
        wanted[f"{base}/session:{session.pk}"] = session_entry(session)
    return wanted


def fingerprint(entry: CalendarEntry) -> str:
    data = dataclasses.asdict(entry)
    data.pop("sequence", None)  # what the calendar shows, not when it was saved: an unchanged save writes nothing
    data.pop("last_modified", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


# -- triggers --------------------------------------------------------------------------------------------------
def _submit(connection: Connection, event_id: Any, trigger: str) -> ConnectorJob:
    return jobs.submit(
        connection=connection,
        operation=SYNC_OPERATION,
        payload={"event": str(event_id)},
        idempotency_key=f"calendar:{connection.pk}:{event_id}:{trigger}"[:255],
    )


def _connections(organization_id: Any) -> Any:
    return (
        Connection.objects.filter(organization_id=organization_id, kind=Kind.CALENDAR, user__isnull=False)
        .exclude(status=ConnectionStatus.DISCONNECTED)
        .select_related("user")
    )


def on_event_changed(*, event_id: Any, trigger: str) -> int:
    """Queue a sync for every connected calendar whose owner registered for the event or its series."""
    event = Event.objects.filter(pk=event_id).only("pk", "parent_id", "organization_id").first()
    if event is None:
        return 0
    units = [event.pk, *([event.parent_id] if event.parent_id else [])]
    count = 0
    with transaction.atomic():
        for connection in _connections(event.organization_id):
            for unit in _registrations_of(connection).filter(event_id__in=units).values_list("event_id", flat=True).distinct():
                _submit(connection, unit, trigger)
                count += 1
    return count


def on_registration_changed(*, registration_id: Any, trigger: str) -> int:
    registration = Registration.objects.filter(pk=registration_id).select_related("user").first()
    if registration is None:
        return 0
    email = registration.attendee_email.lower()
    count = 0
    with transaction.atomic():
        for connection in _connections(registration.organization_id):
            user = connection.user
            if user is not None and (user.pk == registration.user_id or user.email.lower() == email):
                _submit(connection, registration.event_id, trigger)
                count += 1
    return count


CALENDAR_TRIGGERS = frozenset(
    {
        "event.published",
        "event.updated",
        "event.cancelled",
        "session.created",
        "session.updated",
        "session.cancelled",
        "registration.confirmed",
        "registration.cancelled",
        "registration.updated",
    }
)
# The outbox sweep looks back this far (rows older were handled, or are long purged from the job table's memory)
# and leaves the newest rows to the message sent after their commit.
SWEEP_LOOKBACK = dt.timedelta(hours=1)
SWEEP_GRACE = dt.timedelta(seconds=60)


def on_outbox(ids: Iterable[Any]) -> int:
    """Sync jobs for committed outbox rows (one per connected calendar and registered event; the row is the
    trigger, so handling a row again submits nothing new)."""
    count = 0
    rows = OutboxEvent.objects.filter(pk__in=list(ids), event_type__in=CALENDAR_TRIGGERS).order_by("created_at", "id")
    for row in rows:
        if row.event_type.startswith("registration."):
            count += on_registration_changed(registration_id=row.data.get("id"), trigger=str(row.pk))
        elif row.event_type.startswith("session."):
            count += on_event_changed(event_id=row.data.get("eventId"), trigger=str(row.pk))
        else:
            count += on_event_changed(event_id=row.data.get("id"), trigger=str(row.pk))
    return count


def sweep_outbox(*, now: dt.datetime | None = None) -> int:
    """Beat: the calendar triggers of the last hour (but the last minute) in organizations with a connected calendar,
    handled again. The message sent after the writer's commit can be lost (broker down, worker killed); a row it
    handled finds its jobs by their keys and submits nothing, one it missed gets its sync jobs now."""
    now = now or timezone.now()
    organizations = (
        Connection.objects.filter(kind=Kind.CALENDAR, user__isnull=False)
        .exclude(status=ConnectionStatus.DISCONNECTED)
        .values("organization_id")
    )
    ids = OutboxEvent.objects.filter(
        event_type__in=CALENDAR_TRIGGERS,
        organization_id__in=organizations,
        created_at__gte=now - SWEEP_LOOKBACK,
        created_at__lt=now - SWEEP_GRACE,
    ).values_list("pk", flat=True)
    before = ConnectorJob.objects.filter(operation=SYNC_OPERATION).count()
    on_outbox(ids)
    return ConnectorJob.objects.filter(operation=SYNC_OPERATION).count() - before


# -- the job -----------------------------------------------------------------------------------------------------
def _sync_failed(connection: Connection, job: ConnectorJob, error: str) -> None:
    logger.warning("calendar sync of %s gave up: %s", connection.pk, error)


@jobs.operation(SYNC_OPERATION, on_failure=_sync_failed)
def run_sync(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    """Write the difference between what the calendar must hold for one unit and what its links say it holds."""
    adapter = port.adapter(connection.vendor)
    if adapter is None:
        raise port.Rejected(f"no calendar adapter {connection.vendor!r}")
    unit_id = str(job.payload.get("event"))
    unit = Event.objects.filter(pk=unit_id, organization_id=connection.organization_id).select_related("venue").first()
    wanted = desired(connection, unit)
    base = f"event:{unit_id}"
    links = {link.source: link for link in CalendarLink.objects.filter(connection=connection, source__startswith=base)}
    written = removed = 0
    for source, entry in wanted.items():
        link = (
            links.get(source)
            or CalendarLink.objects.get_or_create(
                connection=connection, source=source, defaults={"organization_id": connection.organization_id}
            )[0]
        )
        if link.state == CalendarLinkState.DELETED_REMOTELY:
            continue  # the owner deleted it from their calendar: not pushed back
        digest = fingerprint(entry)
        if link.state == CalendarLinkState.ACTIVE and link.remote_id and link.fingerprint == digest:
            continue
        key = port.stable_id(connection, source)
        if link.state == CalendarLinkState.ACTIVE and link.remote_id:
            try:
                adapter.update(connection, link.remote_id, entry, key=key)
            except port.Gone:
                _mark(link, state=CalendarLinkState.DELETED_REMOTELY)
                continue
            remote_id = link.remote_id
        else:
            remote_id = adapter.insert(connection, entry, key=key)
        _mark(link, state=CalendarLinkState.ACTIVE, remote_id=remote_id, fingerprint=digest)
        written += 1
    for source, link in links.items():
        if source not in wanted and link.state == CalendarLinkState.ACTIVE and link.remote_id:
            adapter.delete(connection, link.remote_id, key=port.stable_id(connection, source))
            _mark(link, state=CalendarLinkState.REMOVED, fingerprint="")
            removed += 1
    return {"written": written, "removed": removed}


def _mark(link: CalendarLink, **fields: Any) -> None:
    fields["synced_at"] = clock.now()
    CalendarLink.objects.filter(pk=link.pk).update(**fields)
    for name, value in fields.items():
        setattr(link, name, value)


@jobs.operation(WATCH_OPERATION)
def run_watch(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    """Open the vendor's change-notification channel to ``/hooks/<connection id>`` with a fresh secret."""
    watch = _open_watch(connection, _adapter_of(connection), str(job.payload["channel"]))
    return {"channel": watch.channel_id}


def _adapter_of(connection: Connection) -> port.CalendarAdapter:
    adapter = port.adapter(connection.vendor)
    if adapter is None:
        raise port.Rejected(f"no calendar adapter {connection.vendor!r}")
    return adapter


def _open_watch(connection: Connection, adapter: port.CalendarAdapter, channel_id: str, *, sync_token: str = "") -> CalendarWatch:
    """The channel ``channel_id`` opened at the vendor and recorded (once: a retry finds it recorded)."""
    watch, _ = CalendarWatch.objects.get_or_create(
        connection=connection,
        channel_id=channel_id,
        defaults={"organization_id": connection.organization_id, "secret": stored_secrets.encrypt(secrets.token_urlsafe(32))},
    )
    if watch.expires_at is not None:
        return watch
    address = f"{settings.SITE_URL}/hooks/{connection.pk}"
    try:
        channel = adapter.watch(connection, address=address, secret=stored_secrets.decrypt(watch.secret), channel_id=channel_id)
    except Exception:
        watch.delete()  # not opened: no half-made channel is kept (the retry makes it again)
        raise
    fields = {
        "channel_id": channel.channel_id,
        "resource_id": channel.resource_id,
        "expires_at": channel.expires_at,
        "sync_token": sync_token or channel.sync_token,
    }
    CalendarWatch.objects.filter(pk=watch.pk).update(**fields)
    for name, value in fields.items():
        setattr(watch, name, value)
    return watch


# -- renewing channels -------------------------------------------------------------------------------------------
def renew_due_watches(*, margin: dt.timedelta = RENEW_MARGIN) -> int:
    """Beat: a ``calendar.renew`` job for every channel of a connected calendar that expires within ``margin``.

    Idempotent: the job's key is the channel, its expiry and how many renewals of it failed, so ticks before the
    renewal finds the same job, a renewed channel (a new expiry, or a new channel) is not due, and one whose
    renewal gave up (the vendor down past the job's retries) gets a new job on the next tick.
    """
    horizon = clock.now() + margin
    due = (
        CalendarWatch.objects.filter(expires_at__lte=horizon, connection__kind=Kind.CALENDAR)
        .exclude(connection__status=ConnectionStatus.DISCONNECTED)
        .select_related("connection")
    )
    count = 0
    for watch in due:
        assert watch.expires_at is not None
        failed = ConnectorJob.objects.filter(
            connection_id=watch.connection_id, operation=RENEW_OPERATION, payload__watch=str(watch.pk), status=JobStatus.FAILED
        ).count()
        job = jobs.submit(
            connection=watch.connection,
            operation=RENEW_OPERATION,
            payload={"watch": str(watch.pk), "channel": str(uuid.uuid4())},
            idempotency_key=f"calendar-renew:{watch.pk}:{watch.expires_at.isoformat()}:{failed}",
        )
        count += job.status == JobStatus.PENDING
    return count


@jobs.operation(RENEW_OPERATION)
def run_renew(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    """Extend the channel where the vendor can (Graph); else, or when the vendor says it is gone (404), open a new
    one (with the old one's sync token) and forget the old one, closing it at the vendor (Google's ``channels/stop``)."""
    adapter = _adapter_of(connection)
    old = CalendarWatch.objects.filter(pk=job.payload.get("watch"), connection=connection).first()
    if old is None:
        return {"renewed": False}  # replaced already
    gone = False
    try:
        expires = adapter.extend(connection, channel_id=old.channel_id)
    except port.Gone:
        expires, gone = None, True
    if expires is not None:
        CalendarWatch.objects.filter(pk=old.pk).update(expires_at=expires)
        return {"channel": old.channel_id, "extended": True}
    new = _open_watch(connection, adapter, str(job.payload["channel"]), sync_token=old.sync_token)
    if not gone:
        adapter.stop(connection, channel_id=old.channel_id, resource_id=old.resource_id)
    old.delete()
    return {"channel": new.channel_id, "extended": False, "recreated": gone}


# -- notifications -----------------------------------------------------------------------------------------------
def watch_of(connection: Connection, channel_id: str) -> CalendarWatch | None:
    if not channel_id:
        return None
    return CalendarWatch.objects.filter(connection=connection, channel_id=channel_id).first()


def secret_matches(watch: CalendarWatch, given: str) -> bool:
    return bool(given) and hmac.compare_digest(stored_secrets.decrypt(watch.secret).encode(), given.encode())


def _apply(connection: Connection, changes: Iterable[port.Change]) -> int:
    by_remote = {c.remote_id: c for c in changes}
    count = 0
    for link in CalendarLink.objects.filter(connection=connection, remote_id__in=list(by_remote)):
        change = by_remote[link.remote_id]
        if change.deleted:
            if link.state == CalendarLinkState.ACTIVE:  # our own deletions are REMOVED already
                _mark(link, state=CalendarLinkState.DELETED_REMOTELY)
                count += 1
        elif change.response_status != link.response_status:
            _mark(link, response_status=change.response_status)
            count += 1
    return count


def apply_changes(*, connection: Connection, channel_id: str) -> bool:
    """A Google push notification: list what changed since the channel's sync token and record it."""
    adapter = port.adapter(connection.vendor)
    watch = watch_of(connection, channel_id)
    if adapter is None or watch is None:
        return False
    changes, token = adapter.changes(connection, sync_token=watch.sync_token)
    _apply(connection, changes)
    if token:
        CalendarWatch.objects.filter(pk=watch.pk).update(sync_token=token)
    return True


def refresh_links(*, connection: Connection, remote_ids: list[str]) -> bool:
    """A Graph notification: read each named event now (its order or repeats do not matter) and record it."""
    adapter = port.adapter(connection.vendor)
    if adapter is None:
        return False
    known = set(CalendarLink.objects.filter(connection=connection, remote_id__in=remote_ids).values_list("remote_id", flat=True))
    changes = []
    for remote_id in sorted(known):
        state = adapter.get(connection, remote_id)
        changes.append(port.Change(remote_id=remote_id, deleted=not state.exists, response_status=state.response_status))
    _apply(connection, changes)
    return bool(known)
