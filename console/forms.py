"""The console's forms. Times are entered in the event's time zone: views validate them under
``timezone.override(event's zone)``, so a naive "2027-03-01T09:00" means 09:00 there."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from events.models import CHECK_IN_WINDOW_MAX_MINUTES, AttendanceMode, Category, Venue
from payments.providers.offline import METHODS as OFFLINE_METHODS
from registrations.models import RegistrationStatus, TicketType

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


@cache
def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


@cache
def _zone_options() -> str:
    return "".join(f'<option value="{escape(zone)}">{escape(text)}</option>' for zone, text in zone_choices())


class ZoneSelect(forms.Select):
    """A ``<select>`` of the ~600 IANA zones, built as one string: Django's per-option templates take ~100 ms for it."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        attributes = "".join(f' {key}="{escape(val)}"' for key, val in final.items() if val not in (None, False))
        chosen = f'value="{escape(str(value or ""))}">'
        options = _zone_options().replace(chosen, chosen[:-1] + " selected>", 1)
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')


class LocalDateTimeField(forms.DateTimeField):
    """A date and time picked in the event's zone (``<input type="datetime-local">``)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [LOCAL_FORMAT, "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)


def window_minutes(label: str, help_text: str) -> forms.IntegerField:
    """A bound of the check-in window, in minutes (0 to a year); empty keeps the event's."""
    return forms.IntegerField(
        min_value=0, max_value=CHECK_IN_WINDOW_MAX_MINUTES, required=False, label=label, help_text=help_text
    )


class EventForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    category = forms.ChoiceField(choices=Category.choices, initial=Category.OTHER)
    time_zone = forms.ChoiceField(
        choices=zone_choices, widget=ZoneSelect, label="Time zone", help_text="Every time of the event is in this zone."
    )
    starts_at = LocalDateTimeField(label="Starts")
    ends_at = LocalDateTimeField(label="Ends")
    attendance_mode = forms.ChoiceField(choices=AttendanceMode.choices, label="Attendance")
    venue = forms.ModelChoiceField(queryset=Venue.objects.none(), required=False)
    online_url = forms.URLField(required=False, label="Join URL (online)", assume_scheme="https")
    capacity = forms.IntegerField(min_value=1, required=False, help_text="Leave empty for unlimited.")
    currency = forms.CharField(max_length=3, min_length=3, initial="EUR")
    check_in_opens_minutes_before_start = window_minutes(
        "Check-in opens (minutes before the start)", "1440 is 24 hours, 0 the start itself; empty keeps 24 hours."
    )
    check_in_closes_minutes_after_end = window_minutes("Check-in closes (minutes after the end)", "0 closes it at the end.")

    def __init__(self, *args: Any, venues: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if venues is not None:
            self.fields["venue"].queryset = venues  # type: ignore[attr-defined]

    def data_for_service(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if not (name.startswith("check_in_") and value is None)}
        data["currency"] = data["currency"].upper()
        return data


class TicketTypeForm(forms.Form):
    name = forms.CharField(max_length=120, label="Ticket name")
    price = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2, initial=0)
    capacity = forms.IntegerField(min_value=1, required=False, help_text="Empty: limited only by the event.")
    sales_starts_at = LocalDateTimeField(required=False, label="Sales start")
    sales_ends_at = LocalDateTimeField(required=False, label="Sales end")


TicketTypeFormSet = forms.formset_factory(TicketTypeForm, extra=0, min_num=1, validate_min=True)


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_at = LocalDateTimeField(label="Starts")
    ends_at = LocalDateTimeField(label="Ends")
    room = forms.CharField(max_length=100, required=False)
    capacity = forms.IntegerField(min_value=1, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 40}))


class DuplicateForm(forms.Form):
    starts_at = LocalDateTimeField(label="The copy starts")
    title = forms.CharField(max_length=200, required=False, label="Title of the copy")


class WalkInForm(forms.Form):
    name = forms.CharField(max_length=200, label="Attendee name")
    email = forms.EmailField(max_length=254, label="Attendee email")
    ticket_type = forms.ModelChoiceField(queryset=TicketType.objects.none(), label="Ticket type")

    def __init__(self, *args: Any, ticket_types: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ticket_types is not None:
            self.fields["ticket_type"].queryset = ticket_types  # type: ignore[attr-defined]


class OfflinePaymentForm(forms.Form):
    method = forms.ChoiceField(choices=list(OFFLINE_METHODS.items()), label="Received as")
    note = forms.CharField(max_length=500, required=False, label="Note (receipt number…)")


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        min_value=0.01, max_digits=12, decimal_places=2, required=False, help_text="Empty: all that is left."
    )
    reason = forms.CharField(max_length=500)


STATUS_CHOICES = [("", "Any status"), *RegistrationStatus.choices]
YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]
SORTS = [
    ("-created", "Newest first"),
    ("created", "Oldest first"),
    ("name", "Name A–Z"),
    ("-name", "Name Z–A"),
    ("email", "Email A–Z"),
]


class AttendeeFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", help_text="Name, email or ticket code")
    ticket_type = forms.ModelChoiceField(queryset=TicketType.objects.none(), required=False, empty_label="Any ticket type")
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    checked_in = forms.ChoiceField(choices=YES_NO, required=False, label="Checked in")
    paid = forms.ChoiceField(choices=YES_NO, required=False, label="Paid")
    sort = forms.ChoiceField(choices=SORTS, required=False, initial="-created")

    def __init__(self, *args: Any, ticket_types: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ticket_types is not None:
            self.fields["ticket_type"].queryset = ticket_types  # type: ignore[attr-defined]


class AnswersForm(forms.Form):
    """A registration's attendee and answers as a form: one field per answer, typed by its value (text, yes/no,
    number, a list one value a line), a box to remove it, and a new question with its answer. ``answers()`` builds
    the object the service checks against the API's limits (``registrations.services.answers_check``)."""

    attendee_name = forms.CharField(max_length=200, label="Name")
    attendee_email = forms.EmailField(max_length=254, label="Email")
    new_question = forms.CharField(max_length=100, required=False, label="New question")
    new_answer = forms.CharField(max_length=2000, required=False, label="Its answer")

    def __init__(self, *args: Any, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = list(answers)
        for n, (key, value) in enumerate(answers.items()):
            label = str(key).replace("_", " ").capitalize()
            field: forms.Field
            if isinstance(value, bool):
                field = forms.BooleanField(required=False, label=label, initial=value)
            elif isinstance(value, int | float):
                field = forms.DecimalField(required=False, label=label, initial=value)
            elif isinstance(value, list):
                field = forms.CharField(
                    required=False,
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    initial="\n".join("" if v is None else str(v) for v in value),
                    help_text="One value a line.",
                )
            else:
                field = forms.CharField(required=False, label=label, initial="" if value is None else value, max_length=2000)
            self.fields[f"answer_{n}"] = field
            self.fields[f"remove_{n}"] = forms.BooleanField(required=False, label=f"Remove “{label}”")
        self.originals = answers

    def answer_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"answer_{n}"], self[f"remove_{n}"]) for n in range(len(self.keys))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_answer") and not data.get("new_question"):
            self.add_error("new_question", "Name the question the answer belongs to.")
        if data.get("new_question") in self.keys:
            self.add_error("new_question", "This question is answered already: change its answer above.")
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        result: dict[str, Any] = {}
        for n, key in enumerate(self.keys):
            if data.get(f"remove_{n}"):
                continue
            value, original = data.get(f"answer_{n}"), self.originals[key]
            if isinstance(original, list):
                value = [line.strip() for line in (value or "").splitlines() if line.strip()]
            elif isinstance(original, int | float) and not isinstance(original, bool) and value is not None:
                value = int(value) if value == value.to_integral_value() and isinstance(original, int) else float(value)
            elif original is None and value == "":
                value = None
            result[key] = value
        if data.get("new_question"):
            result[data["new_question"].strip()] = data.get("new_answer", "")
        return result


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[
            ("registrations", "New registrations (columns: name, email, ticket type)"),
            ("attendees", "New attendee details (columns: registration id, name and/or email)"),
        ],
    )
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="A header row first. The attendee export of this page imports as it is.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
