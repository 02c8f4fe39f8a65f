"""The message types' templates: shipped defaults, an organization's own per language, their documented variables
(a template naming any other is refused when saved), and rendering to subject, plain text and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Template, VariableNode
from django.utils.html import conditional_escape

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


@dataclass(frozen=True)
class Compiled:
    """A template's three parts parsed once (a run renders them for every recipient)."""

    subject: Template
    text: Template
    html: Template


def compile_template(subject: str, text: str, html: str) -> Compiled:
    return Compiled(_TEXT.from_string(subject), _TEXT.from_string(text), _HTML.from_string(html))


def render_compiled(compiled: Compiled, context: dict[str, Any]) -> Rendered:
    plain = Context(context, autoescape=False)
    return Rendered(
        subject=" ".join(compiled.subject.render(plain).split())[:300],
        text=compiled.text.render(plain),
        html=compiled.html.render(Context(context)),
    )


def render(subject: str, text: str, html: str, context: dict[str, Any]) -> Rendered:
    return render_compiled(compile_template(subject, text, html), context)


# -- batches: one text for many recipients, with SendGrid substitutions for what differs per recipient -------------
PER_RECIPIENT = ("attendee_name", "ticket_code", "unsubscribe_url")


def placeholder(name: str, *, html: bool = False) -> str:
    """What stands for a per-recipient variable in a batch's shared text (the HTML part has its own: escaped)."""
    return f"[[emp:{name}:html]]" if html else f"[[emp:{name}]]"


def render_shared(compiled: Compiled, context: dict[str, Any]) -> Rendered:
    """The message with every per-recipient variable left as its placeholder."""
    names = [n for n in PER_RECIPIENT if n in context]
    plain = render_compiled(compiled, {**context, **{n: placeholder(n) for n in names}})
    html = compiled.html.render(Context({**context, **{n: placeholder(n, html=True) for n in names}}))
    return Rendered(subject=plain.subject, text=plain.text, html=html)


def merge_of(context: dict[str, Any]) -> dict[str, str]:
    """One recipient's substitutions: placeholder -> value (escaped for the HTML part)."""
    merge: dict[str, str] = {}
    for name in PER_RECIPIENT:
        if name in context:
            merge[placeholder(name)] = str(context[name])
            merge[placeholder(name, html=True)] = str(conditional_escape(context[name]))
    return merge


def substitute(text: str, merge: dict[str, str]) -> str:
    """What SendGrid makes of ``text`` for a recipient with these substitutions."""
    for key, value in merge.items():
        text = text.replace(key, value)
    return text


def batchable(shared: Rendered, merge: dict[str, str], rendered: Rendered) -> bool:
    """True when the shared text with the recipient's substitutions is exactly their own message (a template that
    transforms a per-recipient variable, e.g. ``{{ attendee_name|upper }}``, is sent to them alone)."""
    return all(substitute(getattr(shared, part), merge) == getattr(rendered, part) for part in ("subject", "text", "html"))


# -- languages ----------------------------------------------------------------------------------------------------
def normalize_language(code: str) -> str:
    """``de``, ``pt-BR`` from ``DE``, ``pt_br``, ``en-US``; empty when it is not a language tag."""
    parts = code.strip().replace("_", "-").split("-")
    if not parts[0].isalpha() or len(parts[0]) not in (2, 3):
        return ""
    if len(parts) > 1 and parts[1].isalpha() and len(parts[1]) == 2:
        return f"{parts[0].lower()}-{parts[1].upper()}"
    return parts[0].lower()


def language_candidates(attendee: str, default: str) -> list[str]:
    """The attendee's language, its base language, the organization's default (and its base), then English."""
    found: list[str] = []
    for code in (attendee, attendee.split("-")[0], default, default.split("-")[0], "en"):
        code = normalize_language(code) if code else ""
        if code and code not in found:
            found.append(code)
    return found


def choose(type: str, own: dict[str, tuple[str, str, str]], attendee: str, default: str) -> tuple[str, tuple[str, str, str]]:
    """(language, (subject, text, html)): the organization's template in the first language of
    ``language_candidates`` it has, else the shipped default (English)."""
    for code in language_candidates(attendee, default):
        if code in own:
            return code, own[code]
    return "en", DEFAULTS[type]


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
