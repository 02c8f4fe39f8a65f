"""What the apps' model admins share. The admin at /admin/ is for platform superusers only (core.admin_site).

Organizers work in the organizer console (``console``). A superuser acts as an owner of every
organization here, and writes still go through the apps' services, so an admin change keeps the
API's rules and leaves the same audit entries and outbox rows.

This module is public: other apps' ``admin`` modules import it (they may not import ``accounts.admin``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accounts.models import Organization
from core.errors import DomainError


def report_domain_error(model_admin: admin.ModelAdmin, request: HttpRequest, exc: DomainError, prefix: str = "") -> None:
    """Show a broken domain rule as an error message, the way the API would name it."""
    details = exc.details
    text = f"{prefix}{exc.message} ({exc.code})"
    if isinstance(details, str):
        text = f"{text}: {details}"
    model_admin.message_user(request, text, messages.ERROR)


def run_each(
    model_admin: admin.ModelAdmin, request: HttpRequest, rows: Iterable[Any], apply: Callable[[Any], Any], done: str
) -> None:
    """An admin action: ``apply`` to each row, a broken rule reported per row; ``done`` names what happened."""
    count = 0
    for row in rows:
        try:
            apply(row)
            count += 1
        except DomainError as exc:
            report_domain_error(model_admin, request, exc, prefix=f"{row}: ")
    if count:
        model_admin.message_user(request, f"{done} {count} row(s).", messages.SUCCESS)


class PlatformAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The base of every model admin here."""

    # Django 6 changes the default scheme; say which one the admin means.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ServiceBackedAdmin(PlatformAdmin):
    """Saves and deletes through the app's services, so every write keeps its rules and audit entry.

    Subclasses implement ``create_via_service``, ``update_via_service`` and
    ``delete_via_service``. A ``DomainError`` raised by a service rolls the
    admin's transaction back and is shown as an error message instead of a 500.
    """

    def create_via_service(self, request: HttpRequest, form: Any) -> models.Model:
        raise NotImplementedError

    def update_via_service(self, request: HttpRequest, obj: models.Model, form: Any) -> models.Model:
        raise NotImplementedError

    def delete_via_service(self, request: HttpRequest, obj: models.Model) -> None:
        raise NotImplementedError

    @staticmethod
    def changed_data(form: Any, fields: Iterable[str]) -> dict[str, Any]:
        return {name: form.cleaned_data[name] for name in form.changed_data if name in fields}

    @staticmethod
    def _adopt(obj: models.Model, saved: models.Model) -> None:
        # The admin keeps using the form's instance (for the log and the redirect).
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.update_via_service(request, obj, form) if change else self.create_via_service(request, form)
        self._adopt(obj, saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many fields went through the service; only inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_via_service(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            try:
                self.delete_via_service(request, obj)
            except DomainError as exc:
                report_domain_error(self, request, exc, prefix=f"{obj}: ")

    def _guard(self, request: HttpRequest, view: Callable[[], HttpResponse]) -> HttpResponse:
        try:
            return view()
        except DomainError as exc:
            report_domain_error(self, request, exc)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return self._guard(
            request, lambda: super(ServiceBackedAdmin, self).changeform_view(request, object_id, form_url, extra_context)
        )

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        return self._guard(request, lambda: super(ServiceBackedAdmin, self).delete_view(request, object_id, extra_context))


def organization_of_form(form: Any) -> Organization:
    organization = form.cleaned_data["organization"]
    assert isinstance(organization, Organization)
    return organization


class ReadOnlyAdmin(PlatformAdmin):
    """Records written only by services (logs, money): listed and opened, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """Child rows shown inside a parent page; edited elsewhere, if at all."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True
