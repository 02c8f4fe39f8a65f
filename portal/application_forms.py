"""Forms of the developer portal's Apps page: register an OAuth application, and edit it.

The rules of an application (redirect URIs, logo URL, which grant goes with which
client type, scopes for client credentials) are ``accounts.models.Application.clean``'s,
which the form runs like the console's form does; each problem is shown on its field.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from accounts import scopes as scopes_module
from accounts.models import ApiKeyMode, Application
from portal.forms import ServiceErrors

# What a partner may choose: the grants the platform offers, less the password grant, which only
# applications a platform administrator flags first-party may use (Application.clean).
PARTNER_GRANT_TYPES = tuple(g for g in Application.OFFERED_GRANT_TYPES if g != Application.GRANT_PASSWORD)
GRANT_LABELS = {
    Application.GRANT_AUTHORIZATION_CODE: "Authorization code with PKCE: users sign in and consent (web, mobile and desktop apps)",
    Application.GRANT_CLIENT_CREDENTIALS: "Client credentials: a server acting in this organization, without a user",
}
CLIENT_TYPE_LABELS = {
    Application.CLIENT_CONFIDENTIAL: "Confidential: runs on a server that keeps the client secret",
    Application.CLIENT_PUBLIC: "Public: a browser, mobile or desktop app that cannot keep a secret (no secret is issued)",
}
MODE_LABELS = {
    ApiKeyMode.TEST: "Test: its tokens act only in your sandbox",
    ApiKeyMode.LIVE: "Live: its tokens act on real data, never in the sandbox",
}


def _form_field(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"  # an address typed without a scheme is an https one
    return field.formfield(**kwargs)


class ApplicationForm(ServiceErrors, forms.ModelForm):
    """A new application of the current organization. Mode, client type and grant are chosen here once."""

    # The API's names of an application's fields (DomainError.target) -> the form's fields.
    service_targets = {"allowedScopes": "allowed_scopes", "clientType": "client_type", "name": "name"}

    redirect_uris = forms.CharField(
        label="Redirect URIs",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "https://app.example.com/oauth/callback\nhttp://127.0.0.1:8765/callback"}
        ),
        help_text="One a line, matched exactly. https, or http on 127.0.0.1, [::1] or localhost for native apps. "
        "Required for the authorization code grant.",
    )
    allowed_scopes = forms.MultipleChoiceField(
        label="Scopes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Client credentials: the scopes the app acts with (required; only those your role may grant). "
        "Authorization code: the scopes the app may ask users for; none ticked means any.",
    )

    class Meta:
        model = Application
        formfield_callback = _form_field
        fields = (
            "name",
            "description",
            "logo_url",
            "homepage_url",
            "mode",
            "client_type",
            "authorization_grant_type",
            "redirect_uris",
            "allowed_scopes",
        )
        labels = {
            "name": "Name",
            "description": "Description",
            "logo_url": "Logo URL",
            "homepage_url": "Homepage",
            "mode": "Mode",
            "client_type": "Client type",
            "authorization_grant_type": "Grant type",
        }
        help_texts = {
            "name": "Users see it on the consent page.",
            "description": "Optional. What the app does, for your team and for the users who authorize it.",
            "logo_url": "Optional. An image at an https address (http only on localhost).",
            "homepage_url": "Optional.",
            "mode": "Fixed once the app is created: create a live app when your integration is ready.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mode": forms.RadioSelect,
            "client_type": forms.RadioSelect,
            "authorization_grant_type": forms.RadioSelect,
        }

    # Chosen at creation only: another mode, client type or grant is another application.
    FIXED_FIELDS = ("mode", "client_type", "authorization_grant_type")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["allowed_scopes"].choices = [
            (scope, f"{scope}: {description}") for scope, (description, _) in scopes_module.SCOPES.items()
        ]
        if self.instance.pk is not None:
            for name in self.FIXED_FIELDS:
                del self.fields[name]
            if self.instance.authorization_grant_type == Application.GRANT_CLIENT_CREDENTIALS:
                del self.fields["redirect_uris"]  # no user is redirected anywhere
                return
            self.initial["redirect_uris"] = "\n".join(self.instance.redirect_uris.split())
            return
        self.fields["mode"].choices = list(MODE_LABELS.items())
        self.fields["mode"].initial = ApiKeyMode.TEST
        self.fields["client_type"].choices = list(CLIENT_TYPE_LABELS.items())
        self.fields["client_type"].initial = Application.CLIENT_CONFIDENTIAL
        self.fields["authorization_grant_type"].choices = [(g, GRANT_LABELS[g]) for g in PARTNER_GRANT_TYPES]
        self.fields["authorization_grant_type"].initial = Application.GRANT_AUTHORIZATION_CODE

    def clean_redirect_uris(self) -> str:
        return " ".join(self.cleaned_data["redirect_uris"].split())  # the toolkit keeps them space-separated

    def _update_errors(self, errors: ValidationError) -> None:
        # Application.clean() may name fields this form does not show (the organization, which the page
        # sets); those problems go above the form instead of raising.
        if hasattr(errors, "error_dict"):
            placed: dict[str, list[ValidationError]] = defaultdict(list)
            for field, messages in errors.error_dict.items():
                placed[field if field in self.fields else NON_FIELD_ERRORS].extend(messages)
            errors = ValidationError(dict(placed))
        super()._update_errors(errors)


class DeleteApplicationForm(forms.Form):
    """The confirmation step of deleting an application: its name typed again."""

    confirm_name = forms.CharField(label="Type the app's name to confirm", max_length=255)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application

    def clean_confirm_name(self) -> str:
        typed = str(self.cleaned_data["confirm_name"]).strip()
        if typed != self.application.name:
            raise ValidationError("That is not the app's name.")
        return typed
