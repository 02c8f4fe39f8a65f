"""What every console page shares: the navigation its role allows, the organization switcher, rendering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.roles import Perm
from console.tenancy import Scope, memberships


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perms: tuple[str, ...]
    section: str


NAVIGATION = (
    NavItem("Home", "console:home", (Perm.CONSOLE_OPEN,), "home"),
    NavItem("Events", "console:events", (Perm.CONSOLE_OPEN,), "events"),
    NavItem("Check-in desk", "console:desk", (Perm.CHECKIN_PERFORM,), "desk"),
    NavItem("Reports", "console:reports", (Perm.CONSOLE_OPEN, Perm.PAYMENTS_VIEW), "reports"),
    NavItem("Audit log", "console:audit", (Perm.CONSOLE_OPEN, Perm.AUDIT_VIEW), "audit"),
    NavItem("Email", "console:email-templates", (Perm.CONSOLE_OPEN, Perm.EVENTS_VIEW), "email"),
    NavItem("Settings", "console:settings", (Perm.CONSOLE_OPEN,), "settings"),
    NavItem("My calendars", "console:calendars", (Perm.CONSOLE_OPEN,), "calendars"),
    NavItem("Connections", "console:connections", (Perm.CONSOLE_OPEN, Perm.INTEGRATIONS_MANAGE), "connections"),
    NavItem("Single sign-on", "console:sso", (Perm.CONSOLE_OPEN, Perm.ORGANIZATION_MANAGE), "sso"),
    NavItem("Scheduled exports", "console:export-schedules", (Perm.CONSOLE_OPEN, Perm.INTEGRATIONS_MANAGE), "exports"),
)


def navigation(scope: Scope) -> list[dict[str, str]]:
    return [
        {"label": item.label, "url": reverse(item.url_name), "section": item.section}
        for item in NAVIGATION
        if all(scope.can(p) for p in item.perms)
    ]


def page(request: HttpRequest, scope: Scope, template: str, context: dict[str, Any], *, section: str) -> HttpResponse:
    """Render a console page with the frame's context: navigation, organizations to switch to, the role."""
    user = scope.user
    frame = {
        "scope": scope,
        "organization": scope.organization,
        "navigation": navigation(scope),
        "section": section,
        "organizations": [m.organization for m in memberships(user)],
        "Perm": Perm,
        "can": {name: scope.can(value) for name, value in vars(Perm).items() if name.isupper()},
    }
    return render(request, template, {**frame, **context})
