"""Roles in an organization and what each may do: the one table of record.

`docs/roles.md` shows the same table; a test keeps the two identical.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    FINANCE = "finance", "Finance"
    CHECKIN = "checkin", "Check-in staff"
    VIEWER = "viewer", "Viewer"


class Perm:
    """Permission names; views and the admin ask for these, never for roles."""

    ORGANIZATION_MANAGE = "organization.manage"
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    EVENTS_VIEW = "events.view"
    EVENTS_EDIT = "events.edit"
    EVENTS_PUBLISH = "events.publish"
    REGISTRATIONS_VIEW = "registrations.view"
    REGISTRATIONS_MANAGE = "registrations.manage"
    CHECKIN_PERFORM = "checkin.perform"
    PAYMENTS_VIEW = "payments.view"
    PAYMENTS_MANAGE = "payments.manage"
    INTEGRATIONS_MANAGE = "integrations.manage"
    AUDIT_VIEW = "audit.view"
    CONSOLE_OPEN = "console.open"


_ALL = frozenset(Role)

# permission -> (roles that hold it, what it allows)
PERMISSIONS: dict[str, tuple[frozenset[Role], str]] = {
    Perm.ORGANIZATION_MANAGE: (frozenset({Role.OWNER}), "Change the organization's settings"),
    Perm.MEMBERS_VIEW: (_ALL, "List and read the organization's members"),
    Perm.MEMBERS_MANAGE: (
        frozenset({Role.OWNER, Role.ADMIN}),
        "Invite members, change their roles, remove them (only owners grant or remove the owner role)",
    ),
    Perm.EVENTS_VIEW: (_ALL, "Read events, venues, sessions, speakers and materials"),
    Perm.EVENTS_EDIT: (
        frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR}),
        "Create, change and delete events, venues, sessions, speakers and materials",
    ),
    Perm.EVENTS_PUBLISH: (
        frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR}),
        "Publish, cancel and complete events; cancel sessions",
    ),
    Perm.REGISTRATIONS_VIEW: (
        frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR, Role.FINANCE, Role.CHECKIN, Role.VIEWER}),
        "Read registrations and attendee lists",
    ),
    Perm.REGISTRATIONS_MANAGE: (
        frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR}),
        "Create, change and cancel registrations",
    ),
    Perm.CHECKIN_PERFORM: (frozenset({Role.OWNER, Role.ADMIN, Role.CHECKIN}), "Check attendees in"),
    Perm.PAYMENTS_VIEW: (frozenset({Role.OWNER, Role.ADMIN, Role.FINANCE}), "Read payments, invoices and reports"),
    Perm.PAYMENTS_MANAGE: (frozenset({Role.OWNER, Role.FINANCE}), "Issue refunds"),
    Perm.INTEGRATIONS_MANAGE: (
        frozenset({Role.OWNER, Role.ADMIN}),
        "Manage webhooks, API keys and connected applications",
    ),
    Perm.AUDIT_VIEW: (frozenset({Role.OWNER, Role.ADMIN}), "Read the audit log"),
    Perm.CONSOLE_OPEN: (
        _ALL - {Role.CHECKIN},
        "Open the organizer console's pages (check-in staff open only its check-in desk)",
    ),
}


def role_has(role: str, permission: str) -> bool:
    entry = PERMISSIONS.get(permission)
    if entry is None:
        raise KeyError(f"unknown permission {permission}")
    return role in entry[0]


def permissions_of(role: str) -> frozenset[str]:
    return frozenset(p for p, (roles, _) in PERMISSIONS.items() if role in roles)


def markdown_table() -> str:
    """The permission table as Markdown, as it stands in docs/roles.md."""
    roles = list(Role)
    head = "| permission | what it allows | " + " | ".join(r.label for r in roles) + " |"
    sep = "|---|---|" + "|".join(":-:" for _ in roles) + "|"
    rows = [
        f"| `{perm}` | {text} | " + " | ".join("✓" if r in holders else "" for r in roles) + " |"
        for perm, (holders, text) in PERMISSIONS.items()
    ]
    return "\n".join([head, sep, *rows])
