"""The organizer console's tenancy: admin classes scoped to the user's organizations.

Platform superusers see and change everything. Any other staff user sees only
rows of organizations they are a member of, and what they may do there follows
the role table in ``accounts.roles`` (never Django's model permissions), so the
console and the API agree on who may do what.

This module is public: other apps' ``admin`` modules import it (they may not
import ``accounts.admin``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import Field as FormField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accounts.models import Organization, User
from accounts.roles import Perm, Role, role_has
from accounts.selectors import memberships_of
from core.errors import DomainError

_CACHE_ATTR = "_console_roles"

# Foreign keys and many-to-many fields limited to the user's organizations, by the
# lookup from the related model to its organization id.
SCOPED_RELATIONS: dict[str, str] = {
    "organization": "id",
    "venue": "organization_id",
    "event": "organization_id",
    "parent": "organization_id",
    "session": "organization_id",
    "speakers": "organization_id",
    "tags": "organization_id",
    "user": "memberships__organization_id",
}


def roles_by_organization(request: HttpRequest) -> dict[uuid.UUID, str]:
    """{organization id: role} of the signed-in user, read once per request."""
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        user = request.user
        cached = (
            {m.organization_id: m.role for m in memberships_of(user=user)}
            if isinstance(user, User) and user.is_authenticated
            else {}
        )
        setattr(request, _CACHE_ATTR, cached)
    return cached


def is_platform_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


def role_in(request: HttpRequest, organization_id: Any) -> str | None:
    """The user's role in the organization; platform superusers act as owners everywhere."""
    if is_platform_admin(request):
        return Role.OWNER
    if organization_id is None:
        return None
    try:
        key = organization_id if isinstance(organization_id, uuid.UUID) else uuid.UUID(str(organization_id))
    except ValueError:
        return None
    return roles_by_organization(request).get(key)


def organizations_with(request: HttpRequest, permission: str) -> list[uuid.UUID]:
    """Ids of the user's organizations whose role grants ``permission``."""
    return [org_id for org_id, role in roles_by_organization(request).items() if role_has(role, permission)]


def can(request: HttpRequest, permission: str, organization_id: Any) -> bool:
    role = role_in(request, organization_id)
    return role is not None and role_has(role, permission)


def report_domain_error(model_admin: admin.ModelAdmin, request: HttpRequest, exc: DomainError, prefix: str = "") -> None:
    """Show a broken domain rule as an error message, the way the API would name it."""
    details = exc.details
    text = f"{prefix}{exc.message} ({exc.code})"
    if isinstance(details, str):
        text = f"{text}: {details}"
    model_admin.message_user(request, text, messages.ERROR)


class OrganizationScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin that shows a staff user only their organizations' rows.

    ``organization_lookup`` is the path from the model to its organization id.
    The ``*_permission_name`` attributes name the role permission (``Perm``)
    each admin permission needs in the row's organization; ``None`` means
    nobody below a platform superuser.
    """

    organization_lookup: str = "organization_id"
    view_permission_name: str | None = Perm.EVENTS_VIEW
    add_permission_name: str | None = Perm.EVENTS_EDIT
    change_permission_name: str | None = Perm.EVENTS_EDIT
    delete_permission_name: str | None = Perm.EVENTS_EDIT
    # Django 6 changes the default scheme; say which one the console means.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # -- scoping --------------------------------------------------------------------
    def organization_id_of(self, obj: models.Model) -> Any:
        value: Any = obj
        for part in self.organization_lookup.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_platform_admin(request):
            return qs
        visible = set(organizations_with(request, self.view_permission_name)) if self.view_permission_name else set()
        if self.change_permission_name:
            visible |= set(organizations_with(request, self.change_permission_name))
        return qs.filter(**{f"{self.organization_lookup}__in": visible})

    def writable_organizations(self, request: HttpRequest) -> list[uuid.UUID]:
        """Organizations the user may create or change rows of (for the form's choices)."""
        perms = {p for p in (self.add_permission_name, self.change_permission_name) if p}
        return sorted({org for perm in perms for org in organizations_with(request, perm)})

    def _limit(self, request: HttpRequest, db_field: models.Field, kwargs: dict[str, Any]) -> None:
        lookup = SCOPED_RELATIONS.get(db_field.name)
        if lookup is None or is_platform_admin(request):
            return
        related = db_field.remote_field.model
        qs = kwargs.get("queryset")
        if qs is None:
            qs = related._default_manager.all()
        qs = qs.filter(**{f"{lookup}__in": self.writable_organizations(request)})
        kwargs["queryset"] = qs.distinct() if "__" in lookup else qs

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> FormField | None:
        self._limit(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> FormField | None:
        self._limit(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # -- permissions from the role table ----------------------------------------------
    def _allowed(self, request: HttpRequest, permission: str | None, obj: models.Model | None) -> bool:
        if permission is None:
            return False
        if obj is None:
            return bool(organizations_with(request, permission))
        return can(request, permission, self.organization_id_of(obj))

    def has_module_permission(self, request: HttpRequest) -> bool:
        if is_platform_admin(request):
            return super().has_module_permission(request)
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if is_platform_admin(request):
            return super().has_view_permission(request, obj)
        return self._allowed(request, self.view_permission_name, obj) or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        if is_platform_admin(request):
            return super().has_add_permission(request)
        return self._allowed(request, self.add_permission_name, None)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if is_platform_admin(request):
            return super().has_change_permission(request, obj)
        return self._allowed(request, self.change_permission_name, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if is_platform_admin(request):
            return super().has_delete_permission(request, obj)
        return self._allowed(request, self.delete_permission_name, obj)


class ServiceBackedAdmin(OrganizationScopedAdmin):
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


class ReadOnlyScopedAdmin(OrganizationScopedAdmin):
    """Records written only by services (logs, money): listed and opened, never added, changed or deleted."""

    organization_lookup = "organization_id"
    add_permission_name = None
    change_permission_name = None
    delete_permission_name = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """Child rows shown inside a parent page the user may already see; edited elsewhere, if at all."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True
