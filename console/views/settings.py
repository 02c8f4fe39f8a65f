"""Settings: the organization's profile and two-factor rule, team and roles, invitations, API keys, webhook subscriptions.

Each section shows for the roles the table lets see it, and each action asks its own permission; every write goes
through the accounts or integrations service the API and the developer portal use.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from accounts import scopes as scope_table
from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import ApiKeyMode
from accounts.roles import Perm, Role
from console.feedback import domain_error, form_errors
from console.forms import ZoneSelect, zone_choices
from console.pages import page
from console.tenancy import Scope, console_page
from core.errors import DomainError
from core.outbox import EVENT_TYPES
from integrations import selectors as integration_selectors
from integrations import services as integration_services

ROTATION_GRACE = dt.timedelta(hours=24)


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=200, label="Organization name")
    default_time_zone = forms.ChoiceField(choices=zone_choices, widget=ZoneSelect, label="Time zone of new events")
    default_currency = forms.CharField(max_length=3, min_length=3, label="Currency of new events")


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, label="Key name", help_text="What the key is for, e.g. “Badge printer”.")
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label="Scopes")

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grantable = scope_table.grantable_by(role)
        self.fields["scopes"].choices = [  # type: ignore[attr-defined]
            (name, f"{name}: {text}")
            for name, (text, _) in scope_table.SCOPES.items()
            if name in grantable and name in scope_table.API_SCOPES
        ]


class WebhookForm(forms.Form):
    url = forms.URLField(label="Endpoint URL", assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        choices=[(name, name) for name in EVENT_TYPES], widget=forms.CheckboxSelectMultiple, label="Events to send"
    )


def _sections(scope: Scope) -> dict[str, bool]:
    return {
        "profile": scope.can(Perm.ORGANIZATION_MANAGE),
        "team": scope.can(Perm.MEMBERS_VIEW),
        "manage_team": scope.can(Perm.MEMBERS_MANAGE),
        "integrations": scope.can(Perm.INTEGRATIONS_MANAGE),
    }


@console_page()
def settings_page(request: HttpRequest, scope: Scope) -> HttpResponse:
    organization = scope.organization
    if request.method == "POST":
        secret = _act(request, scope, request.POST.get("action", ""))
        if secret is None:
            return HttpResponseRedirect(reverse("console:settings"))
    else:
        secret = None
    sections = _sections(scope)
    now = timezone.now()
    context: dict[str, Any] = {
        "sections": sections,
        "profile_form": ProfileForm(
            initial={
                "name": organization.name,
                "default_time_zone": organization.default_time_zone,
                "default_currency": organization.default_currency,
            }
        ),
        "members": list(account_selectors.member_list(organization=organization)) if sections["team"] else [],
        "roles": Role.choices,
        "invitations": list(account_selectors.invitation_list(organization=organization, pending_only=True))
        if sections["manage_team"]
        else [],
        "invite_form": InviteForm(),
        "keys": [(k, k.status_at(now)) for k in account_selectors.api_key_list(organization=organization)]
        if sections["integrations"]
        else [],
        "key_form": ApiKeyForm(role=scope.role),
        "webhooks": list(integration_selectors.subscription_list(organization=organization)) if sections["integrations"] else [],
        "webhook_form": WebhookForm(),
        "secret": secret,
    }
    response = page(request, scope, "console/settings.html", context, section="settings")
    if secret:
        response["Cache-Control"] = "no-store"  # a secret shown once must stay in no cache
    return response


def _act(request: HttpRequest, scope: Scope, action: str) -> dict[str, str] | None:
    """Run one settings action; returns a secret to show once (a new API key or signing secret), else None."""
    perms = {
        "profile": Perm.ORGANIZATION_MANAGE,
        "two-factor": Perm.ORGANIZATION_MANAGE,
        "role": Perm.MEMBERS_MANAGE,
        "remove": Perm.MEMBERS_MANAGE,
        "invite": Perm.MEMBERS_MANAGE,
        "revoke-invitation": Perm.MEMBERS_MANAGE,
        "key-create": Perm.INTEGRATIONS_MANAGE,
        "key-rotate": Perm.INTEGRATIONS_MANAGE,
        "key-revoke": Perm.INTEGRATIONS_MANAGE,
        "webhook-create": Perm.INTEGRATIONS_MANAGE,
        "webhook-delete": Perm.INTEGRATIONS_MANAGE,
    }
    if action not in perms:
        raise Http404("No such action")
    scope.require(perms[action])
    organization, user = scope.organization, scope.user
    try:
        if action == "profile":
            form = ProfileForm(request.POST)
            if not form.is_valid():
                form_errors(request, form)
                return None
            account_services.organization_update(actor=user, organization=organization, data=form.cleaned_data)
            messages.success(request, "The organization's profile is saved.")
        elif action == "two-factor":
            required = request.POST.get("required") == "on"
            account_services.organization_require_two_factor(actor=user, organization=organization, required=required)
            messages.success(
                request,
                "Every member now needs two-factor authentication." if required else "Two-factor authentication is optional.",
            )
        elif action in ("role", "remove"):
            membership = account_selectors.member_get(organization=organization, user_id=_uuid(request.POST.get("user")))
            if membership is None:
                raise Http404("No such member")
            if action == "role":
                role = request.POST.get("role", "")
                if role not in Role.values:
                    raise Http404("No such role")
                account_services.membership_change_role(actor=user, actor_role=scope.role, membership=membership, role=role)
                messages.success(request, f"{membership.user.email} is now {Role(role).label}.")
            else:
                account_services.membership_remove(actor=user, actor_role=scope.role, membership=membership)
                messages.success(request, f"{membership.user.email} was removed from the team.")
        elif action == "invite":
            invite = InviteForm(request.POST)
            if not invite.is_valid():
                form_errors(request, invite)
                return None
            account_services.invitation_create(
                actor=user,
                actor_role=scope.role,
                organization=organization,
                email=invite.cleaned_data["email"],
                role=invite.cleaned_data["role"],
                invited_by=user,
            )
            messages.success(request, f"An invitation was sent to {invite.cleaned_data['email']}.")
        elif action == "revoke-invitation":
            invitation = account_selectors.invitation_get(
                organization=organization, invitation_id=_uuid(request.POST.get("invitation"))
            )
            if invitation is None:
                raise Http404("No such invitation")
            account_services.invitation_revoke(actor=user, invitation=invitation)
            messages.success(request, f"The invitation of {invitation.email} is revoked.")
        elif action == "key-create":
            key_form = ApiKeyForm(request.POST, role=scope.role)
            if not key_form.is_valid():
                form_errors(request, key_form)
                return None
            key, secret = account_services.api_key_create(
                actor=user,
                organization=organization,
                data={"name": key_form.cleaned_data["name"], "scopes": key_form.cleaned_data["scopes"], "mode": ApiKeyMode.LIVE},
                creator_role=scope.role,
            )
            messages.success(request, f"The API key {key.name} is created. Copy it now: it is shown only once.")
            return {"label": f"API key {key.name}", "value": secret}
        elif action in ("key-rotate", "key-revoke"):
            found = account_selectors.api_key_get(organization=organization, key_id=_uuid(request.POST.get("key")))
            if found is None:
                raise Http404("No such key")
            if action == "key-revoke":
                account_services.api_key_revoke(actor=user, key=found)
                messages.success(request, f"The API key {found.name} is revoked; it no longer works.")
            else:
                rotated, secret = account_services.api_key_rotate(actor=user, key=found, grace=ROTATION_GRACE)
                messages.success(request, f"The API key {found.name} is rotated; the old one works for 24 more hours.")
                return {"label": f"New API key {rotated.name}", "value": secret}
        elif action == "webhook-create":
            hook = WebhookForm(request.POST)
            if not hook.is_valid():
                form_errors(request, hook)
                return None
            subscription, secret = integration_services.subscription_create(
                actor=user, organization=organization, data=hook.cleaned_data
            )
            messages.success(request, f"Webhook deliveries to {subscription.url} are set up. Copy the signing secret now.")
            return {"label": f"Signing secret of {subscription.url}", "value": secret}
        elif action == "webhook-delete":
            doomed = integration_selectors.subscription_get(
                organization=organization, subscription_id=_uuid(request.POST.get("subscription"))
            )
            if doomed is None:
                raise Http404("No such subscription")
            integration_services.subscription_delete(actor=user, subscription=doomed)
            messages.success(request, f"The webhook to {doomed.url} is deleted.")
    except DomainError as exc:
        domain_error(request, exc)
    return None


def _uuid(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such object") from None
