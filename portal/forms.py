"""Forms of the developer portal's account, team and API key pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest

from accounts import scopes as scopes_module
from accounts import services
from accounts.models import ApiKeyMode, OrganizationKind, User
from accounts.roles import Role
from core.errors import DomainError
from integrations.sandbox import sandbox_provision

# Roles a developer organization hands out: admins manage apps, keys, webhooks and the team; viewers read.
INVITABLE_ROLES = (Role.ADMIN, Role.VIEWER)


class ServiceErrors:
    """For a form whose data goes to a service: its refusal (``DomainError``) on the field it names, else above the form.

    ``service_targets`` maps the API's camelCase targets to the form's fields; the
    unknown values a refusal lists (``details["unknown"]``) follow its message.
    """

    service_targets: dict[str, str] = {}

    def add_service_error(self, error: DomainError) -> None:
        field = self.service_targets.get(error.target or "")
        message = error.message
        unknown = error.details.get("unknown") if isinstance(error.details, dict) else None
        if unknown:
            message = f"{message}: {', '.join(unknown)}"
        self.add_error(field if field in self.fields else None, message)  # type: ignore[attr-defined]


class DeveloperSignupForm(forms.Form):
    """Extra sign-up field (allauth's ACCOUNT_SIGNUP_FORM_CLASS): the developer organization the new user owns."""

    organization_name = forms.CharField(
        label="Organization name",
        max_length=200,
        required=False,
        help_text="Your company or team. Leave it empty to use your email address; you can invite teammates later.",
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth once the user is saved: create their developer organization, with them as its owner,
        and its sandbox with sample data (where their test keys and test apps act)."""
        name = (self.cleaned_data.get("organization_name") or "").strip() or f"{user.email}'s organization"
        organization = services.organization_create(actor=user, name=name, owner=user, kind=OrganizationKind.DEVELOPER)
        sandbox_provision(actor=user, organization=organization)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args: Any, actor_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [Role.OWNER, *INVITABLE_ROLES] if actor_role == Role.OWNER else list(INVITABLE_ROLES)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["role"].initial = Role.ADMIN


class ApiKeyForm(ServiceErrors, forms.Form):
    """A new API key. Only the scopes the user's role may grant are offered; accounts.services checks every rule again."""

    # The API's names of the key's fields (DomainError.target) -> this form's fields.
    service_targets = {"name": "name", "mode": "mode", "scopes": "scopes", "expiresAt": "expires_on", "allowedIps": "allowed_ips"}

    name = forms.CharField(label="Name", max_length=100, help_text="What the key is for, for example “Staging sync”.")
    mode = forms.ChoiceField(
        label="Mode",
        choices=ApiKeyMode.choices,
        initial=ApiKeyMode.TEST,
        help_text="Test keys start with emp_test_, live keys with emp_live_: use a test key while you build.",
    )
    scopes = forms.MultipleChoiceField(
        label="Scopes",
        widget=forms.CheckboxSelectMultiple,
        help_text="What the key may do. Only the scopes your role may grant are offered.",
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. The key stops working at 00:00 UTC on this date; empty: it never expires.",
    )
    allowed_ips = forms.CharField(
        label="IP allowlist",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "203.0.113.7\n198.51.100.0/24"}),
        help_text="Optional. One IP address or CIDR range a line; empty: any address may use the key.",
    )

    def __init__(self, *args: Any, actor_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grantable = scopes_module.grantable_by(actor_role)
        self.fields["scopes"].choices = [
            (scope, f"{scope}: {scopes_module.SCOPES[scope][0]}") for scope in scopes_module.API_SCOPES if scope in grantable
        ]

    def service_data(self) -> dict[str, Any]:
        """The cleaned form in the shape accounts.services.api_key_create takes."""
        expires_on = self.cleaned_data.get("expires_on")
        lines = (self.cleaned_data.get("allowed_ips") or "").splitlines()
        return {
            "name": self.cleaned_data["name"],
            "mode": self.cleaned_data["mode"],
            "scopes": self.cleaned_data["scopes"],
            "expires_at": None if expires_on is None else dt.datetime.combine(expires_on, dt.time(0), tzinfo=dt.UTC),
            "allowed_ips": [line.strip() for line in lines if line.strip()],
        }


# How long a rotated key keeps working (accounts.services allows 0 to 7 days).
ROTATION_GRACE_CHOICES = [(0, "Stop the old key now"), (1, "1 hour"), (24, "24 hours"), (72, "3 days"), (168, "7 days")]


class ApiKeyRotateForm(forms.Form):
    grace_period_hours = forms.TypedChoiceField(
        label="Old key keeps working", choices=ROTATION_GRACE_CHOICES, coerce=int, initial=24
    )
