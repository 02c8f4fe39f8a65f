"""Minor versions of API v1 and what is deprecated: the one registry (spec §3.2, §11.3; docs/api-lifecycle.md).

Versions. The major version is in the path (``/api/v1``); minor versions are asked for
with ``X-API-Version`` (``1.2``; ``1`` means ``1.0``) and answered in the same header.
A minor version that changes behaviour is declared in :data:`VERSIONS` with the
changes it makes, and the code that behaves differently asks :func:`at_least`. A
request for a version not in the registry is refused (400 ``UNSUPPORTED_API_VERSION``)
with the supported list.

Deprecations. An operation, a query parameter or a response field that is on its
way out is declared with :func:`deprecate`: its date of deprecation, its sunset (the
day it stops working) and the migration note that says what to use instead. Every
response of a deprecated operation, of an operation with a deprecated field, or
of a request that sends a deprecated parameter carries

- ``Deprecation: @<unix time>`` (RFC 9745 §2.1: a structured-field date),
- ``Sunset: <HTTP-date>`` (RFC 8594 §3),
- ``Link: <migration note>; rel="deprecation"; type="text/html"`` (RFC 9745 §3).

The policy (spec §11.3: at least six months' notice before a breaking change) is
enforced here: :func:`deprecate` refuses a sunset less than
:data:`MINIMUM_NOTICE` after the deprecation, and a test checks every entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Literal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.http import HttpRequest, HttpResponse

MINIMUM_NOTICE = relativedelta(months=6)
_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?$")


@dataclass(frozen=True)
class Version:
    number: str  # "1.0"
    released: dt.date
    changes: tuple[str, ...]  # what behaves differently from the minor version before it


VERSIONS: tuple[Version, ...] = (Version("1.0", dt.date(2026, 12, 1), ("The first version of API v1.",)),)
DEFAULT_VERSION = "1.0"


def supported() -> list[str]:
    return [version.number for version in VERSIONS]


def _key(number: str) -> tuple[int, int]:
    major, _, minor = number.partition(".")
    return int(major), int(minor or 0)


def negotiate(requested: str | None) -> str | None:
    """The version to serve for an ``X-API-Version`` header (the default without one); None when it is not offered."""
    if not requested:
        return DEFAULT_VERSION
    match = _VERSION.match(requested.strip())
    if not match:
        return None
    wanted = f"{int(match.group(1))}.{int(match.group(2) or 0)}"
    return wanted if wanted in supported() else None


def at_least(request: HttpRequest, number: str) -> bool:
    """Whether ``request`` asked for ``number`` or a later minor version (a behaviour that version introduced)."""
    if number not in supported():
        raise ValueError(f"API version {number} is not in the registry")
    served = getattr(getattr(request, "_request", request), "api_version", DEFAULT_VERSION)
    return _key(served) >= _key(number)


# -- Deprecations --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deprecation:
    kind: Literal["operation", "parameter", "field"]
    method: str  # GET, POST, ...
    route: str  # the route template, as core.metrics names it: /api/v1/events/{pk}
    name: str  # the parameter or field as partners spell it (camelCase); "" for an operation
    deprecated_on: dt.date
    sunset_on: dt.date
    migration: str  # the migration note: a path on this site (/portal/guide/...) or an absolute URL
    replacement: str  # what to use instead, one sentence

    @property
    def deprecation_header(self) -> str:
        moment = dt.datetime.combine(self.deprecated_on, dt.time(), tzinfo=dt.UTC)
        return f"@{int(moment.timestamp())}"

    @property
    def sunset_header(self) -> str:
        return format_datetime(dt.datetime.combine(self.sunset_on, dt.time(), tzinfo=dt.UTC), usegmt=True)

    @property
    def link(self) -> str:
        url = self.migration if "://" in self.migration else f"{settings.SITE_URL}{self.migration}"
        return f'<{url}>; rel="deprecation"; type="text/html"'


DEPRECATIONS: list[Deprecation] = []


class PolicyViolation(ValueError):
    """A deprecation that gives less notice than the policy allows."""


def check_policy(deprecation: Deprecation) -> None:
    if deprecation.sunset_on < deprecation.deprecated_on + MINIMUM_NOTICE:
        raise PolicyViolation(
            f"{deprecation.method} {deprecation.route} {deprecation.name}: sunset {deprecation.sunset_on} is less than "
            f"six months after its deprecation on {deprecation.deprecated_on}"
        )


def deprecate(
    kind: Literal["operation", "parameter", "field"],
    *,
    method: str,
    route: str,
    name: str = "",
    deprecated_on: dt.date,
    sunset_on: dt.date,
    migration: str,
    replacement: str,
) -> Deprecation:
    """Declare a deprecation (at import time, beside the view it concerns); refused when it gives too little notice."""
    if (kind == "operation") != (not name):
        raise ValueError("an operation has no name; a parameter or a field has one")
    entry = Deprecation(kind, method.upper(), route, name, deprecated_on, sunset_on, migration, replacement)
    check_policy(entry)
    DEPRECATIONS.append(entry)
    return entry


def applicable(method: str, route: str, query: Iterable[str]) -> list[Deprecation]:
    """The deprecations a request touches: its operation's, its fields', and those of the parameters it sent."""
    sent = set(query)
    return [
        entry
        for entry in DEPRECATIONS
        if entry.method == method and entry.route == route and (entry.kind != "parameter" or entry.name in sent)
    ]


def announce(request: HttpRequest, response: HttpResponse, route: str, query: Iterable[str]) -> None:
    """Add the Deprecation, Sunset and Link headers for what the request touched (nothing when it touched nothing)."""
    if not DEPRECATIONS:
        return
    touched = applicable(request.method or "", route, query)
    if not touched:
        return
    # One Deprecation and one Sunset per response: the earliest of each (the first thing to stop working).
    response["Deprecation"] = min(touched, key=lambda entry: entry.deprecated_on).deprecation_header
    response["Sunset"] = min(touched, key=lambda entry: entry.sunset_on).sunset_header
    links = list(dict.fromkeys(entry.link for entry in touched))
    response["Link"] = ", ".join(filter(None, [response.get("Link", ""), *links]))
