"""The message types' templates: shipped defaults, an organization's own per language, their documented variables
(a template naming any other is refused when saved), and rendering to subject, plain text and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import VariableNode

from communications.models import MessageType

_TEXT = Engine(autoescape=False)
_HTML = Engine(autoescape=True)

COMMON = {
    "attendee_name": "The attendee's name.",
    "event_title": "The event's title.",
    "event_start": "When the event starts, in its time zone (e.g. `Fri 12 Mar 2027, 18:00 CET`).",
    "event_end": "When the event ends, in its time zone.",
    "event_location": "The venue (name, address, city), or `Online`.",
    "organization_name": "The organizing organization's name.",
}
VARIABLES: dict[str, dict[str, str]] = {
    MessageType.REGISTRATION_CONFIRMATION: {**COMMON, "ticket_code": "The ticket's code (also its QR code)."},
    MessageType.PAYMENT_RECEIPT: {**COMMON, "amount": "The amount paid, with its currency."},
    MessageType.REMINDER: {
        **COMMON,
        "days_before": "Days until the event (7, 1, ...).",
        "ticket_code": "The ticket's code.",
        "unsubscribe_url": "The link that stops reminders and surveys.",
    },
    MessageType.EVENT_UPDATE: {
        **COMMON,
        "changes": "What changed, one line per change (time, venue, online link), or the cancellation.",
        "cancelled": "True when the event is cancelled.",
    },
    MessageType.CHECKIN_INSTRUCTIONS: {**COMMON, "ticket_code": "The ticket's code; its QR code is attached."},
    MessageType.SURVEY: {
        **COMMON,
        "feedback_url": "Where the attendee rates the sessions.",
        "unsubscribe_url": "The link that stops reminders and surveys.",
    },
    MessageType.CERTIFICATE: {**COMMON, "ticket_code": "The ticket's code (printed on the certificate)."},
}

DEFAULTS: dict[str, tuple[str, str, str]] = {
    MessageType.REGISTRATION_CONFIRMATION: (
        "You're registered: {{ event_title }}",
        "Hello {{ attendee_name }},\n\nyou are registered for {{ event_title }} ({{ event_start }}, "
        "{{ event_location }}).\nYour ticket: {{ ticket_code }}. The calendar entry is attached.\n\n"
        "{{ organization_name }}",
        "<p>Hello {{ attendee_name }},</p><p>you are registered for <strong>{{ event_title }}</strong> "
        "({{ event_start }}, {{ event_location }}).</p><p>Your ticket: <code>{{ ticket_code }}</code>. "
        "The calendar entry is attached.</p><p>{{ organization_name }}</p>",
    ),
    MessageType.PAYMENT_RECEIPT: (
        "Your receipt for {{ event_title }}",
        "Hello {{ attendee_name }},\n\nwe received {{ amount }} for {{ event_title }}. The receipt is attached.\n\n"
        "{{ organization_name }}",
        "<p>Hello {{ attendee_name }},</p><p>we received {{ amount }} for <strong>{{ event_title }}</strong>. "
        "The receipt is attached.</p><p>{{ organization_name }}</p>",
    ),
    MessageType.REMINDER: (
        "{{ event_title }} is in {{ days_before }} day{{ days_before|pluralize }}",
        "Hello {{ attendee_name }},\n\n{{ event_title }} starts {{ event_start }} at {{ event_location }}.\n"
        "Your ticket: {{ ticket_code }}\n\nNo more reminders: {{ unsubscribe_url }}\n{{ organization_name }}",
        "<p>Hello {{ attendee_name }},</p><p><strong>{{ event_title }}</strong> starts {{ event_start }} at "
        "{{ event_location }}.</p><p>Your ticket: <code>{{ ticket_code }}</code></p>"
        '<p><a href="{{ unsubscribe_url }}">No more reminders</a> · {{ organization_name }}</p>',
    ),
    MessageType.EVENT_UPDATE: (
        "{% if cancelled %}Cancelled{% else %}Changed{% endif %}: {{ event_title }}",
        "Hello {{ attendee_name }},\n\n{{ event_title }} {% if cancelled %}is cancelled.{% else %}has changed:"
        "{% endif %}\n{{ changes }}\n\nNow: {{ event_start }}, {{ event_location }}\n{{ organization_name }}",
        "<p>Hello {{ attendee_name }},</p><p><strong>{{ event_title }}</strong> {% if cancelled %}is cancelled."
        "{% else %}has changed:{% endif %}</p><pre>{{ changes }}</pre><p>Now: {{ event_start }}, "
        "{{ event_location }}</p><p>{{ organization_name }}</p>",
    ),
    MessageType.CHECKIN_INSTRUCTIONS: (
        "Your ticket for {{ event_title }}",
        "Hello {{ attendee_name }},\n\nshow the attached QR code (ticket {{ ticket_code }}) at the entrance of "
        "{{ event_location }} from {{ event_start }}.\n\n{{ organization_name }}",
        "<p>Hello {{ attendee_name }},</p><p>show the attached QR code (ticket <code>{{ ticket_code }}</code>) "
        "at the entrance of {{ event_location }} from {{ event_start }}.</p><p>{{ organization_name }}</p>",
    ),
    MessageType.SURVEY: (
        "How was {{ event_title }}?",
        "Hello {{ attendee_name }},\n\nthank you for coming to {{ event_title }}. Rate the sessions: "
        "{{ feedback_url }}\n\nNo more surveys: {{ unsubscribe_url }}\n{{ organization_name }}",
        "<p>Hello {{ attendee_name }},</p><p>thank you for coming to <strong>{{ event_title }}</strong>. "
        '<a href="{{ feedback_url }}">Rate the sessions</a>.</p><p><a href="{{ unsubscribe_url }}">No more '
        "surveys</a> · {{ organization_name }}</p>",
    ),
    MessageType.CERTIFICATE: (
        "Your certificate of attendance: {{ event_title }}",
        "Hello {{ attendee_name }},\n\nyour certificate of attendance for {{ event_title }} is attached.\n\n"
        "{{ organization_name }}",
        "<p>Hello {{ attendee_name }},</p><p>your certificate of attendance for <strong>{{ event_title }}</strong> "
        "is attached.</p><p>{{ organization_name }}</p>",
    ),
}


def names_in(source: str) -> set[str]:
    """The variables a template names (``{{ x }}``, ``{{ x.y|f }}``, ``{% if x %}``); TemplateSyntaxError."""
    from django.template.defaulttags import IfNode

    template = _TEXT.from_string(source)
    names: set[str] = set()
    node: Any
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        var = node.filter_expression.var
        lookups = getattr(var, "lookups", None)
        if lookups:
            names.add(str(lookups[0]))
    for node in template.nodelist.get_nodes_by_type(IfNode):
        for condition, _ in node.conditions_nodelists:
            stack = [condition]
            while stack:
                item = stack.pop()
                if item is None:
                    continue
                if hasattr(item, "first"):
                    stack.extend([item.first, item.second])
                value = getattr(item, "value", None)
                lookups = getattr(getattr(value, "var", None), "lookups", None)
                if lookups:
                    names.add(str(lookups[0]))
    return names


def problems(type: str, subject: str, text: str, html: str) -> dict[str, str]:
    """{part: problem} of a template: a syntax error, or a variable the type does not document."""
    allowed = set(VARIABLES.get(type, COMMON))
    found: dict[str, str] = {}
    for part, source in (("subject", subject), ("text", text), ("html", html)):
        try:
            unknown = sorted(names_in(source) - allowed)
        except TemplateSyntaxError as exc:
            found[part] = f"not a valid template: {exc}"
            continue
        if unknown:
            found[part] = f"unknown variable(s): {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
    return found


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(subject: str, text: str, html: str, context: dict[str, Any]) -> Rendered:
    plain = Context(context, autoescape=False)
    return Rendered(
        subject=" ".join(_TEXT.from_string(subject).render(plain).split())[:300],
        text=_TEXT.from_string(text).render(plain),
        html=_HTML.from_string(html).render(Context(context)),
    )


def sample(type: str, organization_name: str) -> dict[str, Any]:
    """Example values of every variable of ``type`` (previews and test sends)."""
    values: dict[str, Any] = {
        "attendee_name": "Ada Lovelace",
        "event_title": "Sample Conference",
        "event_start": "Fri 12 Mar 2027, 18:00 CET",
        "event_end": "Fri 12 Mar 2027, 22:00 CET",
        "event_location": "Main Hall, 1 Example Street, Berlin",
        "organization_name": organization_name,
        "ticket_code": "TKT-SAMPLE-0001",
        "amount": "20.00 EUR",
        "days_before": 7,
        "unsubscribe_url": "https://example.com/email/unsubscribe/sample",
        "changes": "Time: Fri 12 Mar 2027, 19:00 CET to Fri 12 Mar 2027, 23:00 CET",
        "cancelled": False,
        "feedback_url": "https://example.com/feedback",
    }
    return {name: values[name] for name in VARIABLES.get(type, COMMON)}
