"""OAuth 2.0 scopes: what a token or API key may do, and which role permissions each one exercises.

A caller with a token may do what both its scopes and (for a token of a user)
the user's role allow. A client without a user (an API key, a client-credentials
application) has no role: its scopes alone decide, and they are checked at
creation against the role of whoever creates it (``grantable_by``).
`api.scopes` maps every endpoint to the scope it needs; `docs/authentication.md`
shows both tables, and a test keeps the documentation equal to them.
"""

from __future__ import annotations

from accounts.roles import PERMISSIONS, Perm

# scope -> (description, the role permissions it exercises)
SCOPES: dict[str, tuple[str, frozenset[str]]] = {
    "events:read": ("Read events, venues, sessions, speakers, materials and ticket types", frozenset({Perm.EVENTS_VIEW})),
    "events:write": (
        "Create, change, publish and cancel events and everything in them",
        frozenset({Perm.EVENTS_EDIT, Perm.EVENTS_PUBLISH}),
    ),
    "registrations:read": ("Read registrations, tickets, attendee lists and check-ins", frozenset({Perm.REGISTRATIONS_VIEW})),
    "registrations:write": ("Create, change and cancel registrations", frozenset({Perm.REGISTRATIONS_MANAGE})),
    "checkins:write": ("Validate tickets and check attendees in", frozenset({Perm.CHECKIN_PERFORM})),
    "payments:read": ("Read payments and invoices", frozenset({Perm.PAYMENTS_VIEW})),
    "payments:write": ("Take payments and issue refunds", frozenset({Perm.PAYMENTS_MANAGE})),
    "users:read": (
        "Read the organization's members, invitations and audit log",
        frozenset({Perm.MEMBERS_VIEW, Perm.AUDIT_VIEW}),
    ),
    "users:write": ("Invite members, change their roles, remove them", frozenset({Perm.MEMBERS_MANAGE})),
    "webhooks:read": ("Read webhook subscriptions and deliveries", frozenset({Perm.INTEGRATIONS_MANAGE})),
    "webhooks:write": ("Create, change, test and replay webhook subscriptions", frozenset({Perm.INTEGRATIONS_MANAGE})),
    "connections:read": (
        "Read connections to vendors, their call logs and notifications",
        frozenset({Perm.INTEGRATIONS_MANAGE}),
    ),
    "connections:write": (
        "Connect, test and disconnect vendors; replay their notifications",
        frozenset({Perm.INTEGRATIONS_MANAGE}),
    ),
    "reports:read": ("Read reports and statistics", frozenset({Perm.PAYMENTS_VIEW})),
    "sso:read": (
        "Read the organization's identity providers, email domains and single sign-on enforcement",
        frozenset({Perm.ORGANIZATION_MANAGE}),
    ),
    "sso:write": (
        "Configure identity providers, claim and verify email domains, enforce single sign-on",
        frozenset({Perm.ORGANIZATION_MANAGE}),
    ),
    "openid": ("Sign in with OpenID Connect (an ID token naming the user)", frozenset()),
    "profile": ("The user's name, locale and time zone (userinfo, ID token)", frozenset()),
    "email": ("The user's email address (userinfo, ID token)", frozenset()),
}

IDENTITY_SCOPES = frozenset({"openid", "profile", "email"})
API_SCOPES = tuple(scope for scope in SCOPES if scope not in IDENTITY_SCOPES)


def unknown(scopes: list[str] | tuple[str, ...] | set[str] | frozenset[str]) -> list[str]:
    """The names in ``scopes`` that are not scopes of the platform."""
    return sorted(s for s in scopes if s not in SCOPES)


def grantable_by(role: str | None) -> frozenset[str]:
    """The scopes someone with ``role`` may put on a client without a user (None: a platform operator, all)."""
    if role is None:
        return frozenset(SCOPES)
    return frozenset(scope for scope, (_, perms) in SCOPES.items() if all(role in PERMISSIONS[perm][0] for perm in perms))


def permissions_of(scopes: frozenset[str]) -> frozenset[str]:
    """The role permissions a client without a user holds through ``scopes``."""
    return frozenset(perm for scope in scopes if scope in SCOPES for perm in SCOPES[scope][1])


def markdown_table() -> str:
    """The scope table as docs/authentication.md shows it."""
    lines = ["| scope | what it allows | role permissions it exercises |", "|---|---|---|"]
    for scope, (description, perms) in SCOPES.items():
        lines.append(f"| `{scope}` | {description} | {', '.join(f'`{p}`' for p in sorted(perms)) or '-'} |")
    return "\n".join(lines)
