"""Forms of the portal's Sandbox page and its Live / Sandbox environment switch."""

from __future__ import annotations

from django import forms

from integrations import catalog
from portal import tenancy


class TriggerForm(forms.Form):
    """Fire one event type of the catalog in the sandbox (integrations.sandbox.sandbox_trigger)."""

    event_type = forms.ChoiceField(
        label="Event type",
        help_text="The sandbox performs the action for real (a registration, a payment through the sandbox provider, "
        "a check-in...) and its webhooks go to the sandbox's subscriptions.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["event_type"].choices = [(spec.name, f"{spec.name}: {spec.description}") for spec in catalog.CATALOG.values()]
        self.fields["event_type"].initial = "registration.created"


class ResetForm(forms.Form):
    confirm = forms.BooleanField(
        label="Delete the sandbox's events, registrations, payments, webhook deliveries and audit log, and restore the "
        "sample data. Webhook subscriptions and API keys stay.",
        error_messages={"required": "Tick the box to confirm the reset."},
    )


class EnvironmentForm(forms.Form):
    environment = forms.ChoiceField(choices=[(tenancy.LIVE, "Live"), (tenancy.SANDBOX, "Sandbox")])
    next = forms.CharField(required=False)
