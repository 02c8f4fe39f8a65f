"""The sections of the integration guide, in reading order; each is a template in templates/portal/guide/."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    summary: str


SECTIONS: list[Section] = [
    Section(
        "overview", "Overview and architecture", "What the platform offers integrators and how the pieces talk to each other."
    ),
    Section("prerequisites", "Prerequisites", "Accounts, credentials, network and tools to prepare."),
    Section(
        "integration-types",
        "Integration types",
        "REST, webhooks, batch, file exchange and SSO: what exists today and what is coming.",
    ),
    Section("setup", "Setup workflow", "From organization to production, step by step, with who does what."),
    Section(
        "authentication",
        "Authentication",
        "API keys and OAuth 2.0 (authorization code with PKCE, client credentials, refresh), with scopes.",
    ),
    Section(
        "single-sign-on",
        "Single sign-on",
        "SAML 2.0 and OpenID Connect with your identity provider, domain verification, role mapping and SCIM: Okta, Entra ID, Google Workspace.",
    ),
    Section("configuration", "Configuration", "The platform's environment variables, generated from its settings."),
    Section(
        "data-exchange", "Data exchange", "JSON formats, camelCase, field mapping, pagination, filtering, ETags and idempotency."
    ),
    Section("errors", "Error handling", "The error format and every error code with its resolution."),
    Section("retries", "Retries and circuit breaking", "Which failures to retry, how to back off, and when to stop calling."),
    Section("webhooks", "Webhooks", "The event catalog with schemas and examples, and signature verification."),
    Section(
        "realtime",
        "Real-time stream",
        "The organization's events as they happen over a WebSocket or Server-Sent Events: types, scopes, resuming.",
    ),
    Section("rate-limits", "Rate limits", "The tiers, the headers and how to stay within them."),
    Section("sandbox", "Testing in the sandbox", "Test API keys, sandbox payments and test cards, test webhooks."),
    Section(
        "sdks",
        "Code libraries and samples",
        "The Python and TypeScript SDKs generated from the OpenAPI document, and two sample applications.",
    ),
    Section(
        "scenarios",
        "Common integration scenarios",
        "Mirroring registrations, acting on webhooks, registering from your site, checking in: purpose, systems, steps, validation.",
    ),
    Section("monitoring", "Monitoring and health checks", "Health checks, metrics, logging with correlation ids, alerting."),
    Section("troubleshooting", "Troubleshooting", "Symptoms, causes and resolutions of common problems."),
    Section(
        "versioning",
        "Versioning, deprecation and change management",
        "How the API evolves, how you hear about it, and how to ask for a change.",
    ),
    Section("migrations", "Migration guide", "What to change in your client for each breaking change and each minor version."),
    Section("support", "Support", "Documentation, contacts and how to report a problem."),
    Section("assumptions", "Assumptions and open items", "What this guide takes for granted, and what is not built yet."),
    Section("summary", "Summary", "The integration on one page: every section and the facts you will look up most."),
]


# Who the guide is for (its front matter, on the contents page).
AUDIENCES: list[tuple[str, str, str]] = [
    (
        "Developers at partner companies",
        "Build against the REST API, receive webhooks, use the SDKs",
        "HTTP and JSON, one of Python or TypeScript (or any HTTP client), OAuth 2.0 basics",
    ),
    (
        "Implementation engineers and integration specialists",
        "Connect the platform to a CRM, a ticketing or a marketing system",
        "The other system's API, webhooks, scheduling a sync",
    ),
    (
        "System administrators of an organization",
        "Set up single sign-on, API keys, webhook subscriptions and connections",
        "Your identity provider (SAML 2.0 or OpenID Connect), DNS for domain verification",
    ),
    ("Operations teams", "Watch the integration in production", "HTTP status codes, your monitoring and alerting tools"),
]

# What the guide takes for granted (section "Assumptions and open items").
ASSUMPTIONS: list[str] = [
    "Your systems reach the platform over HTTPS on the public internet; the platform reaches your webhook receiver over HTTPS on a public address (private and loopback addresses are refused outside local development).",
    "You keep credentials out of source code: API keys, client secrets and webhook signing secrets are shown once and stored hashed or encrypted by the platform.",
    "Your clock is synchronised (NTP): webhook signatures older or newer than five minutes are refused by the SDKs' verification.",
    "Your client ignores response fields and error codes it does not know: additive changes happen within a version.",
    "Each organization is a separate tenant: a credential sees its own organization's data only, and another organization's ids answer 404.",
]

# What is not built yet, as of this version of the platform (section "Assumptions and open items").
OPEN_ITEMS: list[tuple[str, str]] = [
    (
        "Real-time stream: replay depth",
        "A stream resumes only from events still in the outbox (it keeps them until they are dispatched and purged): "
        "after a longer gap, or more than the resume limit of events, read the current state through the REST API "
        "or the change feed (/api/v1/changes).",
    ),
    (
        "Published SDK packages",
        "The SDKs are in the repository (sdks/): install them from there; they are not on PyPI or npm.",
    ),
    ("Version 2 of the API", "Not planned: v1 evolves through minor versions (X-API-Version)."),
]


def section_by_slug(slug: str) -> Section | None:
    return next((s for s in SECTIONS if s.slug == slug), None)


# Who is in each rate-limit tier of settings.RATE_LIMIT_TIERS (a test fails for a tier without one).
TIER_DESCRIPTIONS: dict[str, str] = {
    "anonymous": "Requests without credentials, and refused credentials (counted per address)",
    "user": "A signed-in user of the console",
    "partner": "API keys and OAuth applications (the default for both)",
    "internal": "Internal services, set by a platform administrator",
}
