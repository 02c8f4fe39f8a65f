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
    Section("rate-limits", "Rate limits", "The tiers, the headers and how to stay within them."),
    Section("sandbox", "Testing in the sandbox", "Test API keys, sandbox payments and test cards, test webhooks."),
    Section("monitoring", "Monitoring and health checks", "Health checks, metrics, logging with correlation ids, alerting."),
    Section("troubleshooting", "Troubleshooting", "Symptoms, causes and resolutions of common problems."),
    Section("versioning", "Versioning, deprecation and changelog", "How the API evolves and how you hear about it."),
    Section("support", "Support", "Documentation, contacts and how to report a problem."),
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
