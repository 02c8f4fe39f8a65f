"""Connections to vendors: connect one (its fields come from the vendor's registration), test it, disconnect it,
read its calls and the notifications it received, and replay one. Owners and admins (``integrations.manage``);
every write goes through ``connectors.services``, the same as ``/api/v1/connections``."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.roles import Perm
from connectors import registry, selectors, services
from connectors.models import Connection, Kind, Mode
from console.feedback import domain_error
from console.pages import page
from console.tenancy import Scope, console_page
from core.errors import DomainError

LOG_ROWS = 50


def _vendor_key(vendor: registry.Vendor) -> str:
    return f"{vendor.kind}:{vendor.name}"


def connect_form(vendor: registry.Vendor, data: Any = None) -> forms.Form:
    """A form of the vendor's declared fields: credentials as password inputs (never shown again), settings as text."""
    fields: dict[str, forms.Field] = {
        "name": forms.CharField(max_length=200, required=False, label="Name", help_text="How you tell connections apart."),
        "mode": forms.ChoiceField(choices=Mode.choices, initial=Mode.TEST, label="Mode"),
    }
    for field in vendor.credentials:
        fields[f"credential_{field.name}"] = forms.CharField(
            label=field.label,
            required=field.required,
            widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
            help_text=field.help,
        )
    for field in vendor.settings:
        fields[f"setting_{field.name}"] = forms.CharField(label=field.label, required=field.required, help_text=field.help)
    form_class = type("ConnectForm", (forms.Form,), fields)
    form: forms.Form = form_class(data)
    return form


def _connection(scope: Scope, connection_id: Any) -> Connection:
    connection = selectors.connection_get(organization=scope.organization, connection_id=connection_id)
    if connection is None:
        raise Http404("No such connection in this organization.")
    return connection


@console_page(Perm.INTEGRATIONS_MANAGE)
def connections(request: HttpRequest, scope: Scope) -> HttpResponse:
    vendors = registry.vendors()
    chosen = next((v for v in vendors if _vendor_key(v) == request.GET.get("vendor")), None)
    form = connect_form(chosen) if chosen else None
    if request.method == "POST" and request.POST.get("action") == "connect":
        chosen = next((v for v in vendors if _vendor_key(v) == request.POST.get("vendor")), None)
        if chosen is None:
            raise Http404("No such vendor.")
        form = connect_form(chosen, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                connection = services.connection_create(
                    actor=request.user,  # type: ignore[arg-type]
                    organization=scope.organization,
                    kind=chosen.kind,
                    vendor=chosen.name,
                    mode=data["mode"],
                    name=data["name"],
                    credentials={k.removeprefix("credential_"): v for k, v in data.items() if k.startswith("credential_") and v},
                    settings={k.removeprefix("setting_"): v for k, v in data.items() if k.startswith("setting_") and v},
                )
            except DomainError as exc:
                domain_error(request, exc)
            else:
                messages.success(request, f"{connection.label} is connected. Test it to check the credentials.")
                return HttpResponseRedirect(reverse("console:connection", args=[connection.pk]))
    context = {
        "connections": list(selectors.connection_list(organization=scope.organization)),
        "vendors": [{"key": _vendor_key(v), "label": v.label, "kind": Kind(v.kind).label} for v in vendors],
        "chosen": chosen,
        "chosen_key": _vendor_key(chosen) if chosen else "",
        "form": form,
    }
    return page(request, scope, "console/connections.html", context, section="connections")


def _credential_labels(spec: registry.Vendor | None, connection: Connection) -> list[str]:
    labels = {f.name: f.label for f in spec.credentials} if spec else {}
    return [labels.get(name, name) for name in sorted(services.credentials_of(connection))]


@console_page(Perm.INTEGRATIONS_MANAGE)
def connection_page(request: HttpRequest, scope: Scope, connection_id: uuid.UUID) -> HttpResponse:
    connection = _connection(scope, connection_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "test":
                result = services.connection_test(actor=request.user, connection=connection)  # type: ignore[arg-type]
                (messages.success if result.ok else messages.error)(
                    request, f"{'Works' if result.ok else 'Failed'}: {result.message} ({result.duration_ms} ms)"
                )
            elif action == "disconnect":
                services.connection_disconnect(actor=request.user, connection=connection)  # type: ignore[arg-type]
                messages.success(request, f"{connection.label} is disconnected; its credentials are forgotten.")
            elif action == "replay":
                event = selectors.inbound_get(connection=connection, event_id=request.POST.get("notification", ""))
                if event is None:
                    raise Http404("No such notification.")
                services.inbound_replay(actor=request.user, event=event)  # type: ignore[arg-type]
                messages.success(request, f"Notification {event.vendor_event_id} will be processed again.")
        except DomainError as exc:
            domain_error(request, exc)
        return HttpResponseRedirect(reverse("console:connection", args=[connection.pk]))
    spec = registry.get(connection.kind, connection.vendor)
    context = {
        "connection": connection,
        "vendor_label": spec.label if spec else connection.vendor,
        "credential_fields": _credential_labels(spec, connection),
        "inbound_url": request.build_absolute_uri(f"/hooks/{connection.pk}") if spec and spec.intake else "",
        "calls": list(selectors.call_list(connection=connection)[:LOG_ROWS]),
        "notifications": list(selectors.inbound_list(connection=connection)[:LOG_ROWS]),
    }
    return page(request, scope, "console/connection.html", context, section="connections")
