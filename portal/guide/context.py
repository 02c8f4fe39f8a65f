"""What each section of the guide shows beyond its prose: read from the platform's registries per request."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings

from accounts.scopes import SCOPES
from api import versions
from api.scopes import ENDPOINT_SCOPES
from core.error_resolutions import RESOLUTIONS
from core.errors import registry
from integrations.catalog import ENVELOPE_VERSION, entries
from payments.providers.sandbox import TEST_CARDS
from portal.guide import configuration, docs
from portal.guide.sections import TIER_DESCRIPTIONS


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
    return {"versions": versions.supported(), "default_version": versions.DEFAULT_VERSION}


BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "configuration": _configuration,
    "errors": _errors,
    "webhooks": _webhooks,
    "rate-limits": _rate_limits,
    "authentication": _authentication,
    "sandbox": _sandbox,
    "versioning": _versioning,
}


def for_section(slug: str) -> dict[str, Any]:
    builder = BUILDERS.get(slug)
    return builder() if builder else {}
