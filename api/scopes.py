"""The one table of what scope each endpoint needs (``accounts.scopes`` describes the scopes).

Keyed by the route's URL name and the HTTP method (HEAD and OPTIONS as GET).
A signed-in user of the console (session) is limited by their role only; an
OAuth token by its scopes and its user's role; an API key or a
client-credentials application by its scopes only. A test fails for any
``/api/v1/`` route missing here, and the OpenAPI schema shows each operation's
scope from this table.
"""

from __future__ import annotations

from typing import Final

from rest_framework.request import Request

ANY: Final = "*"  # any valid credentials, no scope needed
USER_SESSION: Final = "session"  # only a signed-in user of the console (never a token or key)
PUBLIC: Final = "public"  # no credentials needed (the index); credentials that are sent must still be valid

_READ, _WRITE = ("GET",), ("POST", "PUT", "PATCH", "DELETE")


def _rw(read: str, write: str, *names: str) -> dict[tuple[str, str], str]:
    table = {}
    for name in names:
        table.update({(name, m): read for m in _READ})
        table.update({(name, m): write for m in _WRITE})
    return table


ENDPOINT_SCOPES: dict[tuple[str, str], str] = {
    ("api-index", "GET"): PUBLIC,
    ("ping", "GET"): ANY,
    # the change feed lists only the resources the caller may read (api.changes)
    ("change-list", "GET"): ANY,
    # the real-time stream sends each event only to callers holding its read scope (STREAM_SCOPES)
    ("stream", "GET"): ANY,
    # accounts
    ("user-list", "GET"): "users:read",
    ("user-detail", "GET"): "users:read",
    ("user-detail", "PATCH"): "users:write",
    ("user-detail", "DELETE"): "users:write",
    ("user-me", "GET"): "profile",
    ("user-me", "PATCH"): "profile",
    ("invitation-list", "GET"): "users:read",
    ("invitation-list", "POST"): "users:write",
    ("invitation-detail", "GET"): "users:read",
    ("invitation-detail", "DELETE"): "users:write",
    ("invitation-accept", "POST"): USER_SESSION,
    ("audit-entry-list", "GET"): "users:read",
    ("audit-entry-detail", "GET"): "users:read",
    ("api-key-list", "GET"): USER_SESSION,
    ("api-key-list", "POST"): USER_SESSION,
    ("api-key-detail", "GET"): USER_SESSION,
    ("api-key-revoke", "POST"): USER_SESSION,
    ("api-key-rotate", "POST"): USER_SESSION,
    # events
    **_rw(
        "events:read",
        "events:write",
        "venue-list",
        "venue-detail",
        "event-list",
        "event-detail",
        "event-sub-events",
        "event-session-list",
        "event-session-detail",
        "event-speaker-list",
        "event-speaker-detail",
        "session-material-list",
        "session-material-detail",
        "event-ticket-type-list",
        "event-ticket-type-detail",
    ),
    ("event-publish", "POST"): "events:write",
    ("event-cancel", "POST"): "events:write",
    ("event-complete", "POST"): "events:write",
    ("event-session-cancel", "POST"): "events:write",
    ("session-material-download", "GET"): "events:read",
    ("event-stats", "GET"): "reports:read",
    ("session-feedback", "GET"): "events:read",
    ("session-feedback", "POST"): "registrations:write",
    # registrations
    **_rw("registrations:read", "registrations:write", "registration-list", "registration-detail", "event-registration-settings"),
    ("registration-batch", "POST"): "registrations:write",
    ("calendar-feed-list", "GET"): "registrations:read",
    ("calendar-feed-detail", "GET"): "registrations:read",
    ("calendar-feed-list", "POST"): "registrations:write",
    ("calendar-feed-revoke", "POST"): "registrations:write",
    ("import-list", "GET"): "registrations:read",
    ("import-list", "POST"): "registrations:write",
    ("import-detail", "GET"): "registrations:read",
    ("import-run", "POST"): "registrations:write",
    ("registration-cancel", "POST"): "registrations:write",
    ("registration-ticket", "GET"): "registrations:read",
    ("registration-order-tickets", "GET"): "registrations:read",
    ("registration-certificate", "GET"): "registrations:read",
    # Public keys: any credentials of the organization (a check-in device verifies tickets offline with them).
    ("ticket-keys", "GET"): ANY,
    ("ticket-keys-rotate", "POST"): "registrations:write",
    ("document-branding", "GET"): "registrations:read",
    ("document-branding", "PATCH"): "registrations:write",
    ("event-attendee-list", "GET"): "registrations:read",
    ("ticket-validate", "POST"): "checkins:write",
    ("checkin-list", "GET"): "registrations:read",
    ("checkin-detail", "GET"): "registrations:read",
    ("checkin-list", "POST"): "checkins:write",
    ("checkin-bulk", "POST"): "checkins:write",
    ("checkin-detail", "DELETE"): "checkins:write",
    # payments
    ("payment-list", "GET"): "payments:read",
    ("payment-detail", "GET"): "payments:read",
    ("payment-list", "POST"): "payments:write",
    ("payment-confirm", "POST"): "payments:write",
    ("payment-refund", "POST"): "payments:write",
    ("payment-checkout", "GET"): "payments:write",
    ("subscription-list", "GET"): "payments:read",
    ("subscription-detail", "GET"): "payments:read",
    ("subscription-list", "POST"): "payments:write",
    ("subscription-cancel", "POST"): "payments:write",
    # Exports read data: the scope of reports; the role's permission for the type is checked on top.
    ("export-list", "GET"): "reports:read",
    ("export-detail", "GET"): "reports:read",
    ("export-list", "POST"): "reports:read",
    ("invoice-list", "GET"): "payments:read",
    ("invoice-detail", "GET"): "payments:read",
    ("revenue-report", "GET"): "reports:read",
    # single sign-on
    **_rw(
        "sso:read",
        "sso:write",
        "identity-provider-list",
        "identity-provider-detail",
        "email-domain-list",
        "email-domain-detail",
        "scim-token-list",
        "scim-token-detail",
    ),
    ("identity-provider-rotate-key", "POST"): "sso:write",
    ("email-domain-verify", "POST"): "sso:write",
    ("sso-enforcement", "GET"): "sso:read",
    ("sso-enforcement", "PUT"): "sso:write",
    # webhooks
    ("webhook-list", "GET"): "webhooks:read",
    ("webhook-list", "POST"): "webhooks:write",
    ("webhook-detail", "GET"): "webhooks:read",
    ("webhook-detail", "PATCH"): "webhooks:write",
    ("webhook-detail", "DELETE"): "webhooks:write",
    ("webhook-reveal-secret", "POST"): "webhooks:write",
    ("webhook-rotate-secret", "POST"): "webhooks:write",
    ("webhook-test", "POST"): "webhooks:write",
    ("webhook-recover", "POST"): "webhooks:write",
    ("webhook-delivery-list", "GET"): "webhooks:read",
    ("webhook-delivery-detail", "GET"): "webhooks:read",
    ("webhook-delivery-replay", "POST"): "webhooks:write",
    ("webhook-event-types", "GET"): "webhooks:read",
    ("webhook-source-ips", "GET"): "webhooks:read",
    # connections to vendors
    ("connection-list", "GET"): "connections:read",
    ("connection-list", "POST"): "connections:write",
    ("connection-detail", "GET"): "connections:read",
    ("connection-test", "POST"): "connections:write",
    ("connection-disconnect", "POST"): "connections:write",
    ("connection-calls", "GET"): "connections:read",
    ("connection-notifications", "GET"): "connections:read",
    ("connection-replay", "POST"): "connections:write",
    # scheduled exports send data to destinations outside the platform: configured like connections
    **_rw("connections:read", "connections:write", "export-schedule-list", "export-schedule-detail", "export-schedule-run"),
    ("export-schedule-runs", "GET"): "connections:read",
    # email
    ("email-template-list", "GET"): "events:read",
    ("email-template-list", "POST"): "events:write",
    ("email-template-preview", "POST"): "events:read",
    ("email-template-test-send", "POST"): "events:write",
    ("event-email-analytics-list", "GET"): "registrations:read",
}


# What the real-time stream (realtime/, /api/v1/stream) carries, and the scope that reads each: the scope of the
# GET that returns the resource the event is about. A key or client-credentials application needs the scope; an
# OAuth token of a user needs it and the role's permissions it exercises; a console or portal session the role's.
DELIVERY_UPDATED: Final = "webhook.delivery.updated"  # not an outbox type: a webhook delivery was made or attempted
STREAM_SCOPES: dict[str, str] = {
    "event.created": "events:read",
    "event.updated": "events:read",
    "event.published": "events:read",
    "event.cancelled": "events:read",
    "session.created": "events:read",
    "session.updated": "events:read",
    "session.cancelled": "events:read",
    "registration.created": "registrations:read",
    "registration.confirmed": "registrations:read",
    "registration.cancelled": "registrations:read",
    "checkin.completed": "registrations:read",
    "payment.completed": "payments:read",
    "payment.failed": "payments:read",
    "payment.refunded": "payments:read",
    DELIVERY_UPDATED: "webhooks:read",
}


def scope_for(url_name: str | None, method: str) -> str | None:
    """The scope ``method`` on the route named ``url_name`` needs; None when the route is not in the table."""
    method = "GET" if method in ("HEAD", "OPTIONS") else method
    return ENDPOINT_SCOPES.get((url_name or "", method))


def required_scope(request: Request) -> str | None:
    match = request.resolver_match
    return scope_for(match.url_name if match else None, request.method or "GET")


def markdown_table() -> str:
    """The endpoint table as docs/authentication.md shows it, grouped by route."""
    lines = ["| route name | method | scope |", "|---|---|---|"]
    for (name, method), scope in sorted(ENDPOINT_SCOPES.items()):
        shown = {ANY: "any credentials", USER_SESSION: "console session only", PUBLIC: "none (public)"}.get(scope, f"`{scope}`")
        lines.append(f"| `{name}` | {method} | {shown} |")
    return "\n".join(lines)
