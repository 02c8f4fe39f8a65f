"""Email templates: each message type's template per language (the organization's own, else the shipped default),
edited with its variables checked on save, previewed with sample values, sent as a test; and the organization's
default language of messages. Everyone who opens the console reads them; editors, admins and owners change them
(``events.edit``, as in ``/api/v1/email-templates``). Every write goes through ``communications.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.roles import Perm
from communications import selectors, services, templates
from communications.models import MessageTemplate, MessageType
from console.feedback import domain_error
from console.pages import page
from console.tenancy import Scope, console_page
from core.errors import DomainError


class TemplateForm(forms.Form):
    subject = forms.CharField(max_length=300, label="Subject")
    text = forms.CharField(max_length=20_000, label="Plain text", widget=forms.Textarea(attrs={"rows": 10}))
    html = forms.CharField(max_length=100_000, label="HTML", widget=forms.Textarea(attrs={"rows": 12}))


class TestSendForm(forms.Form):
    to = forms.EmailField(label="Send a test to")


TYPES = list(templates.VARIABLES)


def _type(value: str) -> str:
    if value not in TYPES:
        raise Http404("No such message type.")
    return value


def _language(value: str) -> str:
    code = templates.normalize_language(value)
    if not code or code != value:
        raise Http404("Not a language tag.")
    return code


@console_page(Perm.CONSOLE_OPEN)
def email_templates(request: HttpRequest, scope: Scope) -> HttpResponse:
    scope.require(Perm.EVENTS_VIEW)
    organization = scope.organization
    if request.method == "POST":
        scope.require(Perm.EVENTS_EDIT)
        action = request.POST.get("action")
        if action == "default_language":
            try:
                row = services.default_language_set(
                    actor=request.user,  # type: ignore[arg-type]
                    organization=organization,
                    language=request.POST.get("language", ""),
                )
            except DomainError as exc:
                domain_error(request, exc)
            else:
                messages.success(
                    request, f"Messages are now written in {row.default_language} when the attendee's language is not known."
                )
            return HttpResponseRedirect(reverse("console:email-templates"))
        if action == "translate":
            code = templates.normalize_language(request.POST.get("language", ""))
            kind = request.POST.get("type", "")
            if kind not in TYPES or not code:
                messages.error(request, "Choose a message type and a language tag such as en, de or pt-BR.")
                return HttpResponseRedirect(reverse("console:email-templates"))
            return HttpResponseRedirect(reverse("console:email-template", args=[kind, code]))
        raise Http404("No such action.")
    own = selectors.template_list(organization_id=organization.pk)
    rows = [
        {
            "type": kind,
            "label": MessageType(kind).label,
            "templates": [t for t in own if t.type == kind],
        }
        for kind in TYPES
    ]
    context = {
        "rows": rows,
        "types": [(kind, MessageType(kind).label) for kind in TYPES],
        "default_language": selectors.default_language(organization.pk),
    }
    return page(request, scope, "console/email_templates.html", context, section="email")


@console_page(Perm.CONSOLE_OPEN)
def email_template(request: HttpRequest, scope: Scope, type: str, language: str) -> HttpResponse:
    scope.require(Perm.EVENTS_VIEW)
    kind, code = _type(type), _language(language)
    organization = scope.organization
    own = MessageTemplate.objects.filter(organization=organization, type=kind, language=code).first()
    others = selectors.own_templates(organization.pk, kind)
    others.pop(code, None)
    used, parts = templates.choose(kind, others, code, selectors.default_language(organization.pk))
    initial = (
        {"subject": own.subject, "text": own.text, "html": own.html}
        if own
        else dict(zip(("subject", "text", "html"), parts, strict=True))
    )
    form = TemplateForm(initial=initial)
    test_form = TestSendForm(initial={"to": scope.user.email})
    preview: templates.Rendered | None = None
    problems: dict[str, str] = {}
    here = reverse("console:email-template", args=[kind, code])
    if request.method == "POST":
        action = request.POST.get("action")
        if action != "preview":
            scope.require(Perm.EVENTS_EDIT)
        if action == "delete":
            if own is not None:
                services.template_delete(actor=request.user, template=own)  # type: ignore[arg-type]
                messages.success(request, f"The {code} template is removed: this language now gets the next in line.")
            return HttpResponseRedirect(reverse("console:email-templates"))
        if action == "test":
            test_form = TestSendForm(request.POST)
            if test_form.is_valid():
                try:
                    sent = services.template_test_send(
                        actor=request.user,  # type: ignore[arg-type]
                        organization=organization,
                        type=kind,
                        language=code,
                        to=test_form.cleaned_data["to"],
                    )
                except DomainError as exc:
                    domain_error(request, exc)
                else:
                    messages.success(request, f"A test ({sent.language or 'en'}) is on its way to {sent.recipient}.")
                    return HttpResponseRedirect(here)
        elif action in ("preview", "save"):
            form = TemplateForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                problems = templates.problems(kind, data["subject"], data["text"], data["html"])
                if not problems and action == "preview":
                    preview = templates.render(
                        data["subject"], data["text"], data["html"], templates.sample(kind, organization.name)
                    )
                elif not problems:
                    services.template_save(
                        actor=request.user,  # type: ignore[arg-type]
                        organization=organization,
                        type=kind,
                        language=code,
                        **data,
                    )
                    messages.success(request, f"Saved: {MessageType(kind).label} in {code}.")
                    return HttpResponseRedirect(here)
                else:
                    messages.error(request, "The template is not saved: fix what is marked below.")
        else:
            raise Http404("No such action.")
    context: dict[str, Any] = {
        "kind": kind,
        "label": MessageType(kind).label,
        "language": code,
        "own": own,
        "fallback": f"your {used} template" if used in others else "the shipped default (English)",
        "form": form,
        "test_form": test_form,
        "problems": problems,
        "preview": preview,
        "variables": sorted(templates.VARIABLES[kind].items()),
    }
    return page(request, scope, "console/email_template.html", context, section="email")
