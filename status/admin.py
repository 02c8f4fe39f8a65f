"""Platform operators post incidents and announce maintenance here (raw admin: platform superusers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from core.errors import DomainError
from status import services
from status.models import Component, Incident, IncidentStatus, IncidentUpdate, Maintenance


class MaintenanceForm(forms.ModelForm):
    components = forms.MultipleChoiceField(choices=Component.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Maintenance
        fields = ["title", "body", "components", "starts_at", "ends_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and self.instance._state.adding:
            try:
                services.check_notice(data["starts_at"], timezone.now())
            except DomainError as exc:
                raise forms.ValidationError(f"{exc.error.title}. {exc.details}") from exc
        return data


@admin.register(Maintenance)
class MaintenanceAdmin(admin.ModelAdmin):
    form = MaintenanceForm
    list_display = ["title", "starts_at", "ends_at", "announced_at"]

    def save_model(self, request: HttpRequest, obj: Maintenance, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.maintenance_schedule(
            actor=request.user,  # type: ignore[arg-type]
            title=data["title"],
            body=data["body"],
            components=data["components"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )
        obj.pk = created.pk


class IncidentForm(forms.ModelForm):
    components = forms.MultipleChoiceField(choices=Component.choices, widget=forms.CheckboxSelectMultiple)
    update_status = forms.ChoiceField(choices=IncidentStatus.choices, label="Status")
    update = forms.CharField(widget=forms.Textarea, label="Update", help_text="Posted to the page, the feeds and subscribers.")

    class Meta:
        model = Incident
        fields = ["title", "impact", "components"]


class UpdateInline(admin.TabularInline):
    model = IncidentUpdate
    extra = 0
    fields = ["posted_at", "status", "body", "notified_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    form = IncidentForm
    list_display = ["title", "impact", "started_at", "resolved_at"]
    inlines = [UpdateInline]

    def save_model(self, request: HttpRequest, obj: Incident, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            super().save_model(request, obj, form, change)
            services.incident_post(actor=request.user, incident=obj, status=data["update_status"], body=data["update"])  # type: ignore[arg-type]
            return
        created = services.incident_open(
            actor=request.user,  # type: ignore[arg-type]
            title=data["title"],
            impact=data["impact"],
            components=data["components"],
            body=data["update"],
        )
        obj.pk = created.pk
