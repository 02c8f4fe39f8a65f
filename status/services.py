"""Writes of the status page: incidents and their updates, scheduled maintenance, email subscriptions.

Platform-wide, not per organization: the page is public. Each service runs in one
transaction, is audited (no organization), and sends the subscribers' emails from a
task enqueued after the commit (status.tasks.notify).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import audit, jobs
from core.audit import Actor
from core.errors import VALIDATION_ERROR, DomainError
from status.errors import MAINTENANCE_NOTICE_TOO_SHORT
from status.models import Component, Impact, Incident, IncidentStatus, IncidentUpdate, Maintenance, Subscription

MAINTENANCE_NOTICE = dt.timedelta(days=7)


def _check_components(components: Sequence[str]) -> list[str]:
    unknown = sorted(set(components) - set(Component.values))
    if unknown or not components:
        raise DomainError(VALIDATION_ERROR, "Name at least one component of: " + ", ".join(Component.values), target="components")
    return [c for c in Component.values if c in components]


def _notify(kind: str, pk: object) -> None:
    from status import tasks

    jobs.enqueue(tasks.notify, kind, str(pk))


def incident_open(
    *, actor: Actor, title: str, impact: str, components: Sequence[str], body: str, now: dt.datetime | None = None
) -> Incident:
    """Open an incident with its first update (investigating). Raises VALIDATION_ERROR. Audits ``incident.opened``."""
    now = now or timezone.now()
    if impact not in Impact.values:
        raise DomainError(VALIDATION_ERROR, f"impact is one of {', '.join(Impact.values)}", target="impact")
    with transaction.atomic():
        incident = Incident.objects.create(title=title, impact=impact, components=_check_components(components), started_at=now)
        update = IncidentUpdate.objects.create(incident=incident, status=IncidentStatus.INVESTIGATING, body=body, posted_at=now)
        audit.record(actor=actor, action="incident.opened", target=incident, organization_id=None)
        _notify("update", update.pk)
    return incident


def incident_post(*, actor: Actor, incident: Incident, status: str, body: str, now: dt.datetime | None = None) -> IncidentUpdate:
    """Post an update to ``incident``; ``resolved`` closes it. Raises VALIDATION_ERROR. Audits ``incident.updated``."""
    now = now or timezone.now()
    if status not in IncidentStatus.values:
        raise DomainError(VALIDATION_ERROR, f"status is one of {', '.join(IncidentStatus.values)}", target="status")
    with transaction.atomic():
        update = IncidentUpdate.objects.create(incident=incident, status=status, body=body, posted_at=now)
        if status == IncidentStatus.RESOLVED:
            Incident.objects.filter(pk=incident.pk, resolved_at__isnull=True).update(resolved_at=now, updated_at=now)
        audit.record(actor=actor, action="incident.updated", target=incident, organization_id=None, changes={"status": status})
        _notify("update", update.pk)
    incident.refresh_from_db()
    return update


def maintenance_schedule(
    *,
    actor: Actor,
    title: str,
    body: str,
    components: Sequence[str],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Maintenance:
    """Announce maintenance; it must start at least 7 days from now (spec §12.3).

    Raises MAINTENANCE_NOTICE_TOO_SHORT, VALIDATION_ERROR. Audits ``maintenance.scheduled``.
    """
    now = now or timezone.now()
    check_notice(starts_at, now)
    if ends_at <= starts_at:
        raise DomainError(VALIDATION_ERROR, "Maintenance ends after it starts.", target="endsAt")
    with transaction.atomic():
        maintenance = Maintenance.objects.create(
            title=title,
            body=body,
            components=_check_components(components),
            starts_at=starts_at,
            ends_at=ends_at,
            announced_at=now,
        )
        audit.record(actor=actor, action="maintenance.scheduled", target=maintenance, organization_id=None)
        _notify("maintenance", maintenance.pk)
    return maintenance


def check_notice(starts_at: dt.datetime, now: dt.datetime) -> None:
    earliest = now + MAINTENANCE_NOTICE
    if starts_at < earliest:
        raise DomainError(
            MAINTENANCE_NOTICE_TOO_SHORT,
            details=f"The earliest start announced now is {earliest.isoformat(timespec='minutes')}.",
            target="startsAt",
        )


def subscription_set(*, user: User, subscribed: bool) -> bool:
    """Subscribe or unsubscribe ``user`` (idempotent); returns whether they are subscribed now."""
    with transaction.atomic():
        if subscribed:
            Subscription.objects.get_or_create(user=user)
        else:
            Subscription.objects.filter(user=user).delete()
        audit.record(
            actor=user, action="status.subscribed" if subscribed else "status.unsubscribed", target=None, organization_id=None
        )
    return subscribed
