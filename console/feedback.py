"""How console views tell people what happened: a broken domain rule or an invalid form, in words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from core.errors import DomainError


def _detail_text(details: Any) -> str:
    if isinstance(details, str):
        return details
    if isinstance(details, list):
        return "; ".join(str(d.get("message", d)) if isinstance(d, dict) else str(d) for d in details)
    return ""


def domain_error(request: HttpRequest, exc: DomainError, prefix: str = "") -> None:
    detail = _detail_text(exc.details)
    text = f"{prefix}{exc.message}" + (f" {detail}" if detail and detail not in exc.message else "")
    messages.error(request, text)


def form_errors(request: HttpRequest, form: forms.BaseForm | forms.BaseFormSet) -> None:  # type: ignore[type-arg]
    if isinstance(form, forms.BaseFormSet):
        for sub in form.forms:
            form_errors(request, sub)
        for error in form.non_form_errors():
            messages.error(request, str(error))
        return
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name.replace("_", " ").capitalize()
        for error in errors:
            messages.error(request, str(error) if name == "__all__" else f"{label}: {error}")
