"""Scheduled exports: the organization's schedules, create and edit one, its runs, run it now, delete it. Owners and
admins (``integrations.manage``); every write goes through ``integrations.schedules``, the same as
``/api/v1/export-schedules``."""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.roles import Perm
from connectors import selectors as connector_selectors
from connectors.models import Kind
from console.feedback import domain_error
from console.pages import page
from console.tenancy import Scope, console_page
from core.errors import DomainError
from integrations import exports, schedules
from integrations.models import ExportDestination, ExportSchedule

RUN_ROWS = 50


class ScheduleForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    type = forms.ChoiceField(choices=[(t, t.title()) for t in sorted(exports.SOURCES)], label="What")
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in sorted(exports.FORMATS)], label="Format")
    cron = forms.CharField(
        max_length=120, required=False, label="Cron", help_text="minute hour day month weekday, e.g. 0 2 * * * (daily at 02:00)"
    )
    rrule = forms.CharField(
        max_length=500, required=False, label="Or an RRULE", help_text="e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=0"
    )
    time_zone = forms.ChoiceField(label="Time zone", initial="UTC")
    destination = forms.ChoiceField(choices=ExportDestination.choices, label="Destination")
    recipients = forms.CharField(required=False, label="Email recipients", help_text="comma-separated, for email")
    connection_id = forms.ChoiceField(required=False, label="SFTP connection", help_text="a tested SFTP connection, for sftp")
    url = forms.URLField(
        max_length=2000, required=False, label="Endpoint URL", help_text="https://..., for https", assume_scheme="https"
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Enabled")

    def __init__(self, *args: Any, connections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]  # type: ignore[attr-defined]
        self.fields["connection_id"].choices = [("", "None"), *connections]  # type: ignore[attr-defined]

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["recipients"] = [r.strip() for r in data["recipients"].split(",") if r.strip()]
        data["connection_id"] = data["connection_id"] or None
        return data


def _connections(scope: Scope) -> list[tuple[str, str]]:
    return [
        (str(c.pk), c.label)
        for c in connector_selectors.connection_list(organization=scope.organization)
        if c.kind == Kind.FILE_TRANSFER
    ]


def _initial(schedule: ExportSchedule) -> dict[str, Any]:
    return {
        **{
            k: getattr(schedule, k)
            for k in ("name", "type", "format", "cron", "rrule", "time_zone", "destination", "url", "enabled")
        },
        "recipients": ", ".join(schedule.recipients),
        "connection_id": str(schedule.connection_id or ""),
    }


def _may_read(scope: Scope, kind: str) -> None:
    if not scope.can(exports.SOURCES[kind].permission):
        raise PermissionDenied(f"Your role may not read {kind}.")


def _schedule(scope: Scope, schedule_id: Any) -> ExportSchedule:
    schedule = schedules.schedule_get(organization=scope.organization, schedule_id=schedule_id)
    if schedule is None:
        raise Http404("No such export schedule in this organization.")
    return schedule


@console_page(Perm.INTEGRATIONS_MANAGE)
def schedule_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    form = ScheduleForm(request.POST or None, connections=_connections(scope), initial={"time_zone": "UTC", "enabled": True})
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        _may_read(scope, data["type"])
        try:
            schedule, secret = schedules.schedule_create(
                actor=request.user,  # type: ignore[arg-type]
                organization=scope.organization,
                data=data,
                owner=request.user,
            )
        except DomainError as exc:
            domain_error(request, exc)
        else:
            messages.success(request, f"{schedule.name} is scheduled.")
            if secret:
                messages.warning(request, f"Signing secret of the endpoint (shown once): {secret}")
            return HttpResponseRedirect(reverse("console:export-schedule", args=[schedule.pk]))
    context = {"schedules": list(schedules.schedule_list(organization=scope.organization)), "form": form}
    return page(request, scope, "console/export_schedules.html", context, section="exports")


@console_page(Perm.INTEGRATIONS_MANAGE)
def schedule_page(request: HttpRequest, scope: Scope, schedule_id: uuid.UUID) -> HttpResponse:
    schedule = _schedule(scope, schedule_id)
    form = ScheduleForm(connections=_connections(scope), initial=_initial(schedule))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "run":
                _may_read(scope, schedule.type)
                schedules.schedule_run_now(actor=request.user, schedule=schedule)  # type: ignore[arg-type]
                messages.success(request, "A run has started; its outcome appears below.")
            elif action == "delete":
                schedules.schedule_delete(actor=request.user, schedule=schedule)  # type: ignore[arg-type]
                messages.success(request, f"{schedule.name} is deleted.")
                return HttpResponseRedirect(reverse("console:export-schedules"))
            elif action == "save":
                form = ScheduleForm(request.POST, connections=_connections(scope))
                if not form.is_valid():
                    raise _Invalid
                data = form.data_for_service()
                _may_read(scope, data["type"])
                schedules.schedule_update(actor=request.user, schedule=schedule, data=data)  # type: ignore[arg-type]
                messages.success(request, "Saved.")
        except DomainError as exc:
            domain_error(request, exc)
        except _Invalid:
            pass
        else:
            return HttpResponseRedirect(reverse("console:export-schedule", args=[schedule.pk]))
    context = {
        "schedule": schedule,
        "form": form,
        "runs": list(schedules.run_list(schedule=schedule)[:RUN_ROWS]),
    }
    return page(request, scope, "console/export_schedule.html", context, section="exports")


class _Invalid(Exception):
    """The form has errors: show it again with them."""
