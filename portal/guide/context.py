"""What each section of the guide shows beyond its prose: read from the platform's registries per request."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings

from accounts.scopes import SCOPES
from api import versions
from api.scopes import DELIVERY_UPDATED, ENDPOINT_SCOPES, STREAM_SCOPES
from core.error_resolutions import RESOLUTIONS
from core.errors import registry
from core.outbox import EVENT_TYPES
from integrations.catalog import ENVELOPE_VERSION, entries
from payments.providers.sandbox import TEST_CARDS
from portal import changelog
from portal.guide import configuration, docs, scenarios
from portal.guide.sections import ASSUMPTIONS, OPEN_ITEMS, SECTIONS, TIER_DESCRIPTIONS


def _configuration() -> dict[str, Any]:
    return {"variables": configuration.variables()}


def _errors() -> dict[str, Any]:
    return {"errors": [(error, RESOLUTIONS.get(error.code, "")) for error in registry()]}


def _webhooks() -> dict[str, Any]:
    return {
        "event_types": [
            {**e, "schema_json": json.dumps(e["schema"], indent=2), "example_json": json.dumps(e["example"], indent=2)}
            for e in entries()
        ],
        "envelope_version": ENVELOPE_VERSION,
        "verify": docs.code_blocks("webhooks.md", "Verifying the signature"),
    }


def _realtime() -> dict[str, Any]:
    described = {**EVENT_TYPES, DELIVERY_UPDATED: "A webhook delivery was created or attempted (its status, not its body)"}
    return {
        "stream_types": [(event_type, described.get(event_type, ""), scope) for event_type, scope in STREAM_SCOPES.items()],
        "keepalive_seconds": int(settings.STREAM_KEEPALIVE_SECONDS),
        "revalidate_seconds": int(settings.STREAM_REVALIDATE_SECONDS),
        "resume_limit": settings.STREAM_RESUME_LIMIT,
        "access_token_seconds": settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"],
        "ws_base_url": settings.SITE_URL.replace("https://", "wss://").replace("http://", "ws://"),
    }


def _rate_limits() -> dict[str, Any]:
    return {
        "tiers": [(name, TIER_DESCRIPTIONS.get(name, ""), tier) for name, tier in settings.RATE_LIMIT_TIERS.items()],
        "rate_limits_enabled": settings.RATE_LIMITS_ENABLED,
    }


def _authentication() -> dict[str, Any]:
    by_scope: dict[str, list[str]] = {}
    for (route, method), scope in sorted(ENDPOINT_SCOPES.items()):
        by_scope.setdefault(scope, []).append(f"{method} {route}")
    return {
        "scopes": [(name, description, by_scope.get(name, [])) for name, (description, _) in SCOPES.items()],
        "access_token_seconds": settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"],
    }


def _sandbox() -> dict[str, Any]:
    return {"cards": [(number, "declined" if code else "succeeds", code or "") for number, code in TEST_CARDS.items()]}


def _versioning() -> dict[str, Any]:
    return {
        "versions": versions.VERSIONS,
        "default_version": versions.DEFAULT_VERSION,
        "deprecations": versions.DEPRECATIONS,
        "minimum_notice_months": versions.MINIMUM_NOTICE.months,
        "releases": [entry for entry in changelog.entries() if entry.version],
    }


def _migrations() -> dict[str, Any]:
    breaking = [(entry, change) for entry in changelog.entries() for change in entry.breaking]
    return {**_versioning(), "breaking": breaking}


def _sdks() -> dict[str, Any]:
    return {"examples": scenarios.sdk_examples()}


def _scenarios() -> dict[str, Any]:
    return {"scenarios": scenarios.SCENARIOS}


def _assumptions() -> dict[str, Any]:
    return {"assumptions": ASSUMPTIONS, "open_items": OPEN_ITEMS}


def _summary() -> dict[str, Any]:
    partner = settings.RATE_LIMIT_TIERS["partner"]
    return {
        "summary_sections": SECTIONS,
        "facts": [
            ("API base", f"{settings.SITE_URL}/api/v1/"),
            ("Credentials", "API keys (emp_test_ / emp_live_) or OAuth 2.0 access tokens, as Authorization: Bearer"),
            ("Versions", f"X-API-Version, default {versions.DEFAULT_VERSION}; supported {', '.join(versions.supported())}"),
            (
                "Rate limit (partner tier)",
                f"{partner['per_minute']} requests a minute, bursts of {partner['burst']}, {partner['concurrent']} at a time",
            ),
            ("Webhooks", f"Standard Webhooks signatures (v1, HMAC-SHA256), envelope version {ENVELOPE_VERSION}"),
            ("Real-time stream", f"{settings.SITE_URL}/api/v1/stream: WebSocket (emp.stream.v1) or Server-Sent Events"),
            ("Deprecation notice", f"at least {versions.MINIMUM_NOTICE.months} months before a sunset"),
            ("Status", f"{settings.SITE_URL}/status/ (maintenance announced at least 7 days ahead)"),
        ],
    }


BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "configuration": _configuration,
    "errors": _errors,
    "webhooks": _webhooks,
    "realtime": _realtime,
    "rate-limits": _rate_limits,
    "authentication": _authentication,
    "sandbox": _sandbox,
    "versioning": _versioning,
    "migrations": _migrations,
    "sdks": _sdks,
    "scenarios": _scenarios,
    "assumptions": _assumptions,
    "summary": _summary,
}


def for_section(slug: str) -> dict[str, Any]:
    builder = BUILDERS.get(slug)
    return builder() if builder else {}
