"""Forms of the developer portal's webhook pages: a subscription, a test event, recovery, the deliveries filter."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings

from accounts.models import Organization
from events import selectors as event_selectors
from integrations.catalog import CATALOG
from integrations.models import DeliveryStatus, WebhookSubscription
from portal.forms import ServiceErrors

# How each family of the catalog is headed in the event type picker.
FAMILY_LABELS = {
    "event": "Events",
    "session": "Sessions",
    "registration": "Registrations",
    "payment": "Payments",
    "checkin": "Check-ins",
}


@dataclass(frozen=True)
class EventTypeChoice:
    value: str
    label: str
    description: str
    checked: bool


@dataclass(frozen=True)
class EventTypeGroup:
    """One family of the catalog: its "all of the family" pattern and its types."""

    family: str
    label: str
    every: EventTypeChoice
    types: list[EventTypeChoice]


def _families() -> dict[str, list[str]]:
    families: dict[str, list[str]] = {}
    for spec in CATALOG.values():
        families.setdefault(spec.family, []).append(spec.name)
    return families


def event_type_choices() -> list[tuple[str, str]]:
    """Every family pattern (``registration.*``) and every type of the catalog, as form choices."""
    choices: list[tuple[str, str]] = []
    for family, names in _families().items():
        choices.append((f"{family}.*", f"{family}.*"))
        choices.extend((name, name) for name in names)
    return choices


def local_receiver_help() -> str:
    """Which settings let a receiver on this machine (http://127.0.0.1:...) subscribe, and whether they are on here."""

    def state(on: bool) -> str:
        return "on" if on else "off"

    return (
        "A local receiver in development (http://127.0.0.1:8080/hooks) needs the platform started with "
        "WEBHOOK_ALLOW_HTTP=true (http:// URLs) and WEBHOOK_ALLOW_LOOPBACK=true (loopback addresses); "
        f"here WEBHOOK_ALLOW_HTTP is {state(settings.WEBHOOK_ALLOW_HTTP)} "
        f"and WEBHOOK_ALLOW_LOOPBACK is {state(settings.WEBHOOK_ALLOW_LOOPBACK)}. Never turn them on in production."
    )


class SubscriptionForm(ServiceErrors, forms.Form):
    """A subscription's editable fields; ``integrations.services`` validates the URL and the types again."""

    service_targets = {"url": "url", "eventTypes": "event_types", "eventId": "event_id", "rateLimit": "rate_limit"}

    url = forms.CharField(
        label="Endpoint URL",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://crm.example.com/hooks/events", "autocomplete": "off"}),
        help_text="An https:// address on a public host; it receives a signed POST for every event.",
    )
    description = forms.CharField(
        label="Description", max_length=500, required=False, help_text="Optional. What this endpoint is for."
    )
    event_types = forms.MultipleChoiceField(
        label="Event types",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event type."},
    )
    event_id = forms.UUIDField(
        label="Only changes about one event",
        required=False,
        help_text="Optional. The id of one of your organization's events: only changes about it (its sessions, "
        "registrations, payments and check-ins too) are sent. Empty: every event.",
    )
    rate_limit = forms.IntegerField(
        label="Rate limit",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Optional. Deliveries per second at most; empty: as fast as the platform sends them.",
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["event_types"].choices = event_type_choices()
        self.fields["url"].help_text = f"{self.fields['url'].help_text} {local_receiver_help()}"

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> SubscriptionForm:
        """The form filled with a subscription's current values (the edit page)."""
        return cls(
            initial={
                "url": subscription.url,
                "description": subscription.description,
                "event_types": list(subscription.event_types),
                "event_id": subscription.event_id,
                "rate_limit": subscription.rate_limit,
            },
            organization=subscription.organization,
        )

    def clean_event_id(self) -> uuid.UUID | None:
        event_id: uuid.UUID | None = self.cleaned_data.get("event_id")
        if event_id is not None and event_selectors.event_get(organization=self.organization, event_id=event_id) is None:
            raise forms.ValidationError("Your organization has no event with this id.")
        return event_id

    def groups(self) -> list[EventTypeGroup]:
        """The catalog grouped by family, with each type's description and whether it is ticked."""
        if self.is_bound:
            chosen = set(self.data.getlist("event_types")) if hasattr(self.data, "getlist") else set()
        else:
            chosen = set(self.initial.get("event_types") or [])
        groups = []
        for family, names in _families().items():
            label = FAMILY_LABELS.get(family, family.title())
            every = f"{family}.*"
            groups.append(
                EventTypeGroup(
                    family=family,
                    label=label,
                    every=EventTypeChoice(
                        every, every, "Every type of the family, including types added later.", every in chosen
                    ),
                    types=[EventTypeChoice(n, n, CATALOG[n].description, n in chosen) for n in names],
                )
            )
        return groups

    def service_data(self) -> dict[str, Any]:
        """The cleaned form in the shape ``integrations.services.subscription_create`` takes."""
        return {key: self.cleaned_data[key] for key in ("url", "description", "event_types", "event_id", "rate_limit")}


class TestEventForm(forms.Form):
    event_type = forms.ChoiceField(
        label="Event type", choices=[(name, f"{name}: {spec.description}") for name, spec in CATALOG.items()]
    )


class RecoverForm(forms.Form):
    since = forms.DateTimeField(
        label="Failed since (UTC)",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Every delivery created since then that failed for good is sent again, with a fresh schedule.",
    )

    def clean_since(self) -> dt.datetime:
        since: dt.datetime = self.cleaned_data["since"]
        # The field reads the input in the current time zone (UTC, settings.TIME_ZONE); the label says UTC.
        return since.astimezone(dt.UTC)


class DeliveryFilterForm(forms.Form):
    """The filters of a deliveries list (GET); empty fields filter nothing."""

    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *DeliveryStatus.choices])
    event_type = forms.ChoiceField(
        label="Event type", required=False, choices=[("", "Any event type"), *[(name, name) for name in CATALOG]]
    )
    subscription = forms.ChoiceField(label="Subscription", required=False)

    def __init__(self, *args: Any, subscriptions: list[WebhookSubscription] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if subscriptions is None:
            del self.fields["subscription"]
        else:
            self.fields["subscription"].choices = [("", "Every subscription"), *[(str(s.pk), s.url) for s in subscriptions]]

    def selector_filters(self) -> dict[str, Any]:
        """The valid filters in the shape ``integrations.selectors.delivery_page`` takes."""
        data = self.cleaned_data
        filters: dict[str, Any] = {
            "status": [data["status"]] if data.get("status") else None,
            "event_type": [data["event_type"]] if data.get("event_type") else None,
        }
        if data.get("subscription"):
            filters["subscription"] = uuid.UUID(data["subscription"])
        return filters

    def query(self) -> dict[str, str]:
        """The filters as query parameters, for the links of the pages beside this one."""
        return {key: value for key, value in self.cleaned_data.items() if value}
