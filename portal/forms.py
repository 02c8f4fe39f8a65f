"""Forms of the developer portal's account and team pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from accounts import services
from accounts.models import OrganizationKind, User
from accounts.roles import Role

# Roles a developer organization hands out: admins manage apps, keys, webhooks and the team; viewers read.
INVITABLE_ROLES = (Role.ADMIN, Role.VIEWER)


class DeveloperSignupForm(forms.Form):
    """Extra sign-up field (allauth's ACCOUNT_SIGNUP_FORM_CLASS): the developer organization the new user owns."""

    organization_name = forms.CharField(
        label="Organization name",
        max_length=200,
        required=False,
        help_text="Your company or team. Leave it empty to use your email address; you can invite teammates later.",
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth once the user is saved: create their developer organization, with them as its owner."""
        name = (self.cleaned_data.get("organization_name") or "").strip() or f"{user.email}'s organization"
        services.organization_create(actor=user, name=name, owner=user, kind=OrganizationKind.DEVELOPER)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args: Any, actor_role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [Role.OWNER, *INVITABLE_ROLES] if actor_role == Role.OWNER else list(INVITABLE_ROLES)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["role"].initial = Role.ADMIN
