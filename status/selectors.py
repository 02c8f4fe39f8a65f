"""Reads of the status page: each component's state now, open and recent incidents, upcoming maintenance."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core import health
from status.models import Component, Impact, Incident, IncidentUpdate, Maintenance

# What each component needs of the health checks (core.health); the database failing is an outage of all.
NEEDS: dict[str, tuple[str, ...]] = {
    Component.API: ("database", "cache"),
    Component.WEBHOOKS: ("database", "broker", "worker", "beat"),
    Component.CONNECTORS: ("database", "broker", "worker"),
    Component.PORTAL: ("database", "cache"),
}
OPERATIONAL, MAINTENANCE, DEGRADED, OUTAGE = "operational", "maintenance", "degraded", "outage"
_SEVERITY = {OPERATIONAL: 0, MAINTENANCE: 1, DEGRADED: 2, OUTAGE: 3}
LABELS = {OPERATIONAL: "Operational", MAINTENANCE: "Under maintenance", DEGRADED: "Degraded performance", OUTAGE: "Outage"}
# The page runs the checks at most this often per process: a crowd at the status page during an incident must not
# become one more load on the database, the cache and the broker.
CHECKS_TTL_SECONDS = 15.0
_checks: list[tuple[float, dict[str, bool]]] = []


@dataclass(frozen=True)
class ComponentState:
    key: str
    name: str
    state: str
    why: str

    @property
    def label(self) -> str:
        return LABELS[self.state]


def _check_results(now_monotonic: float | None = None) -> dict[str, bool]:
    moment = time.monotonic() if now_monotonic is None else now_monotonic
    if _checks and moment - _checks[0][0] < CHECKS_TTL_SECONDS:
        return _checks[0][1]
    results = {name: health.run_check(name).ok for name in health.CHECKS}
    _checks[:] = [(moment, results)]
    return results


def open_incidents() -> QuerySet[Incident]:
    return Incident.objects.filter(resolved_at__isnull=True).prefetch_related(
        Prefetch("updates", queryset=IncidentUpdate.objects.order_by("-posted_at"))
    )


def recent_incidents(*, now: dt.datetime, days: int = 14) -> QuerySet[Incident]:
    return Incident.objects.filter(resolved_at__gte=now - dt.timedelta(days=days)).prefetch_related(
        Prefetch("updates", queryset=IncidentUpdate.objects.order_by("-posted_at"))
    )


def maintenance_upcoming(*, now: dt.datetime) -> QuerySet[Maintenance]:
    return Maintenance.objects.filter(ends_at__gt=now)


def component_states(*, now: dt.datetime | None = None, checks: dict[str, bool] | None = None) -> list[ComponentState]:
    """Each component's state: the worst of its health checks, its open incidents and maintenance in progress."""
    now = now or timezone.now()
    checks = _check_results() if checks is None else checks
    incidents = list(Incident.objects.filter(resolved_at__isnull=True).values_list("impact", "components", "title"))
    ongoing = list(Maintenance.objects.filter(Q(starts_at__lte=now) & Q(ends_at__gt=now)).values_list("components", "title"))
    states = []
    for component in Component:
        state, why = OPERATIONAL, ""
        failing = [name for name in NEEDS[component] if not checks.get(name, False)]
        candidates: list[tuple[str, str]] = []
        if failing:
            candidates.append((OUTAGE if "database" in failing else DEGRADED, "failing checks: " + ", ".join(failing)))
        for impact, components, title in incidents:
            if component.value in components:
                candidates.append((OUTAGE if impact == Impact.MAJOR else DEGRADED, title))
        for components, title in ongoing:
            if component.value in components:
                candidates.append((MAINTENANCE, title))
        if candidates:
            state, why = max(candidates, key=lambda c: _SEVERITY[c[0]])
        states.append(ComponentState(component.value, component.label, state, why))
    return states


def overall(states: list[ComponentState]) -> str:
    return max((s.state for s in states), key=lambda s: _SEVERITY[s], default=OPERATIONAL)


def feed_items(*, limit: int = 50) -> list[IncidentUpdate | Maintenance]:
    """Incident updates and maintenance announcements, newest first."""
    updates = list(IncidentUpdate.objects.select_related("incident").order_by("-posted_at")[:limit])
    announced = list(Maintenance.objects.order_by("-announced_at")[:limit])
    items: list[IncidentUpdate | Maintenance] = [*updates, *announced]
    items.sort(key=lambda item: item.posted_at if isinstance(item, IncidentUpdate) else item.announced_at, reverse=True)
    return items[:limit]
