"""Reads of the API layer: request usage of an organization's API keys and OAuth applications (``api.metering``).

Usage is read per window of whole hours: "24 hours" is the current hour and the
23 before it, "7 days" the current hour and the 167 before it. Counts reach the
database when a worker flushes (``API_USAGE_FLUSH_SECONDS``), so the newest
requests show up that much later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q, Sum

from accounts.models import ApiKey, Application, Organization, RateTier
from api import ratelimit
from api.models import ApiUsage, CredentialKind

STATUS_CLASSES = (2, 3, 4, 5)


@dataclass(frozen=True)
class Window:
    name: str  # "24h" or "7d"
    label: str
    since: dt.datetime


def usage_windows(now: dt.datetime) -> tuple[Window, Window]:
    """The two windows the portal shows, in whole hours ending with the current one."""
    hour = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return (
        Window("24h", "Last 24 hours", hour - dt.timedelta(hours=23)),
        Window("7d", "Last 7 days", hour - dt.timedelta(hours=7 * 24 - 1)),
    )


@dataclass
class Figures:
    """Requests of one window: by status class, with errors (4xx and 5xx) and latency."""

    requests: int = 0
    errors: int = 0
    latency_ms_total: float = 0.0
    latency_ms_max: float = 0.0
    by_class: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STATUS_CLASSES, 0))

    def add(self, status_class: int, requests: int, errors: int, total: float, largest: float) -> None:
        self.requests += requests
        self.errors += errors
        self.latency_ms_total += total
        self.latency_ms_max = max(self.latency_ms_max, largest)
        self.by_class[status_class] = self.by_class.get(status_class, 0) + requests

    @property
    def error_rate(self) -> float | None:
        """Errors per request, in percent; None without requests."""
        return 100.0 * self.errors / self.requests if self.requests else None

    @property
    def latency_ms_avg(self) -> float | None:
        return self.latency_ms_total / self.requests if self.requests else None

    @property
    def classes(self) -> list[tuple[str, int]]:
        """[("2xx", n), ... ("5xx", n)] for templates."""
        return [(f"{c}xx", self.by_class.get(c, 0)) for c in STATUS_CLASSES]


@dataclass
class CredentialUsage:
    """One API key or OAuth application with its tier and its figures per window (overall and by endpoint)."""

    kind: str
    credential: Any  # the ApiKey or Application
    tier: ratelimit.Tier
    windows: dict[str, Figures]
    endpoints: dict[str, dict[str, Figures]]  # window -> route template -> figures

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.credential.pk}"

    def endpoint_rows(self, window: str) -> list[tuple[str, Figures]]:
        """The endpoints called in ``window``, most requested first."""
        return sorted(self.endpoints[window].items(), key=lambda item: (-item[1].requests, item[0]))


def application_tier(application: Application) -> str:
    return application.rate_tier or RateTier.PARTNER


def _usage(keys: list[ApiKey], apps: list[Application], now: dt.datetime, *, by_route: bool) -> list[CredentialUsage]:
    """The figures of ``keys`` and ``apps`` (all of one organization, chosen by the caller) in one grouped query.

    ``by_route`` also groups by endpoint (``endpoints``); without it the rows are
    summed per status class only, which is what an overview of many credentials needs.
    """
    day, week = usage_windows(now)
    rows: list[CredentialUsage] = [
        *(CredentialUsage(CredentialKind.API_KEY, k, ratelimit.tier(k.tier), {}, {}) for k in keys),
        *(CredentialUsage(CredentialKind.OAUTH_APP, a, ratelimit.tier(application_tier(a)), {}, {}) for a in apps),
    ]
    for row in rows:
        row.windows = {day.name: Figures(), week.name: Figures()}
        row.endpoints = {day.name: {}, week.name: {}}
    if not rows:
        return rows
    by_key = {(row.kind, str(row.credential.pk)): row for row in rows}
    credentials = Q(credential_kind=CredentialKind.API_KEY, credential_id__in=[str(k.pk) for k in keys]) | Q(
        credential_kind=CredentialKind.OAUTH_APP, credential_id__in=[str(a.pk) for a in apps]
    )
    in_day = Q(hour__gte=day.since)
    grouped = (
        ApiUsage.objects.filter(credentials, hour__gte=week.since)
        .values("credential_kind", "credential_id", *(["route"] if by_route else []), "status_class")
        .annotate(
            week_requests=Sum("requests"),
            week_errors=Sum("errors"),
            week_total=Sum("latency_ms_total"),
            week_max=Max("latency_ms_max"),
            day_requests=Sum("requests", filter=in_day),
            day_errors=Sum("errors", filter=in_day),
            day_total=Sum("latency_ms_total", filter=in_day),
            day_max=Max("latency_ms_max", filter=in_day),
        )
        .order_by()
    )
    for found in grouped:
        row = by_key[(found["credential_kind"], found["credential_id"])]
        for window, prefix in ((week.name, "week"), (day.name, "day")):
            requests = found[f"{prefix}_requests"]
            if not requests:
                continue
            figures = (
                found["status_class"],
                requests,
                found[f"{prefix}_errors"],
                found[f"{prefix}_total"],
                found[f"{prefix}_max"],
            )
            row.windows[window].add(*figures)
            if by_route:
                row.endpoints[window].setdefault(found["route"], Figures()).add(*figures)
    return rows


def credential_usage_list(*, organization: Organization, now: dt.datetime) -> list[CredentialUsage]:
    """Every API key of ``organization`` (newest first), then its OAuth applications (by name), with their usage.

    Three queries whatever the number of credentials: keys, applications, the grouped counters.
    """
    keys = list(ApiKey.objects.filter(organization=organization).order_by("-created_at", "id"))
    apps = list(Application.objects.filter(organization=organization).order_by("name", "id"))
    return _usage(keys, apps, now, by_route=False)


def credential_usage_get(
    *, organization: Organization, kind: str, credential_id: uuid.UUID | int, now: dt.datetime
) -> CredentialUsage | None:
    """One credential of ``organization`` with its usage; None for another organization's (or no such) credential."""
    keys: Iterable[ApiKey] = []
    apps: Iterable[Application] = []
    # An id of the other kind's type names no credential of this one.
    if kind == CredentialKind.API_KEY and isinstance(credential_id, uuid.UUID):
        keys = ApiKey.objects.filter(organization=organization, pk=credential_id)
    elif kind == CredentialKind.OAUTH_APP and isinstance(credential_id, int):
        apps = Application.objects.filter(organization=organization, pk=credential_id)
    found = _usage(list(keys), list(apps), now, by_route=True)
    return found[0] if found else None
