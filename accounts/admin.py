"""The organizer console for organizations, members, invitations and the audit log.

The audit log's admin lives here rather than in ``core.admin`` because scoping
it to the user's organizations needs ``accounts`` and the shared kernel
imports no other app.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import errors, services
from accounts.console import (
    OrganizationScopedAdmin,
    ReadOnlyScopedAdmin,
    ServiceBackedAdmin,
    can,
    is_platform_admin,
    report_domain_error,
    role_in,
)
from accounts.models import AccessToken, ApiKey, Application, Invitation, Membership, Organization, User
from accounts.roles import Perm, Role
from core import audit
from core.errors import DomainError
from core.models import AuditEntry, OutboxEvent

ORGANIZATION_FIELDS = ("name", "slug", "default_currency", "default_time_zone", "require_two_factor")


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    organization_lookup = "id"
    view_permission_name = Perm.MEMBERS_VIEW
    add_permission_name = None  # platform superusers only
    change_permission_name = Perm.ORGANIZATION_MANAGE
    delete_permission_name = None

    list_display = ("name", "slug", "default_currency", "default_time_zone", "require_two_factor", "created_at")
    search_fields = ("name", "slug")
    fields = ORGANIZATION_FIELDS
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = audit.snapshot(Organization.objects.get(pk=obj.pk), ORGANIZATION_FIELDS) if change else {}
            obj.save()
            after = audit.snapshot(obj, ORGANIZATION_FIELDS)
            audit.record(
                actor=request.user,
                action="organization.updated" if change else "organization.created",
                target=obj,
                organization_id=obj.id,
                changes=audit.diff(before, after) if change else after,
            )

    def delete_model(self, request: HttpRequest, obj: Organization) -> None:
        with transaction.atomic():
            audit.record(actor=request.user, action="organization.deleted", target=obj, organization_id=obj.id)
            obj.delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Membership)
class MembershipAdmin(ServiceBackedAdmin):
    view_permission_name = Perm.MEMBERS_VIEW
    add_permission_name = Perm.MEMBERS_MANAGE
    change_permission_name = Perm.MEMBERS_MANAGE
    delete_permission_name = Perm.MEMBERS_MANAGE

    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__name", "organization__name")
    list_select_related = ("user", "organization")
    fields = ("organization", "user", "role")

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> Any:
        return ("organization", "user") if obj is not None else ()

    def create_via_service(self, request: HttpRequest, form: Any) -> Membership:
        organization, role = form.cleaned_data["organization"], form.cleaned_data["role"]
        if role == Role.OWNER and role_in(request, organization.id) != Role.OWNER:
            raise DomainError(errors.OWNER_ROLE_RESTRICTED, target="role")
        membership = Membership.objects.create(organization=organization, user=form.cleaned_data["user"], role=role)
        audit.record(
            actor=request.user,
            action="membership.created",
            target=membership,
            organization_id=organization.id,
            changes={"user": str(membership.user_id), "role": role},
        )
        return membership

    def update_via_service(self, request: HttpRequest, obj: Membership, form: Any) -> Membership:
        return services.membership_change_role(
            actor=request.user,
            actor_role=role_in(request, obj.organization_id) or "",
            membership=obj,
            role=form.cleaned_data["role"],
        )

    def delete_via_service(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_remove(actor=request.user, actor_role=role_in(request, obj.organization_id) or "", membership=obj)


@admin.register(Invitation)
class InvitationAdmin(OrganizationScopedAdmin):
    """Read-only: invitations are sent and accepted through the API; the console can revoke them."""

    view_permission_name = Perm.MEMBERS_VIEW
    add_permission_name = None
    change_permission_name = None
    delete_permission_name = None

    list_display = ("email", "organization", "role", "status", "invited_by", "expires_at", "created_at")
    list_filter = ("role", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("email",)
    list_select_related = ("organization", "invited_by")
    fields = ("organization", "email", "role", "status", "invited_by", "expires_at", "accepted_at", "revoked_at", "created_at")
    readonly_fields = fields
    actions = ("revoke_invitations",)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request) or self._allowed(request, Perm.MEMBERS_MANAGE, None)

    @admin.action(description="Revoke selected invitations", permissions=["revoke"])
    def revoke_invitations(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        done = 0
        for invitation in queryset:
            if not can(request, Perm.MEMBERS_MANAGE, invitation.organization_id):
                self.message_user(request, f"{invitation}: you may not manage members there.", messages.ERROR)
                continue
            try:
                services.invitation_revoke(actor=request.user, invitation=invitation)
                done += 1
            except DomainError as exc:
                report_domain_error(self, request, exc, prefix=f"{invitation}: ")
        if done:
            self.message_user(request, f"Revoked {done} invitation(s).", messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyScopedAdmin):
    """The audit log."""

    view_permission_name = Perm.AUDIT_VIEW
    list_display = ("created_at", "actor_label", "action", "object_type", "object_label", "organization_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_label", "object_id", "correlation_id")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "organization_id",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "changes",
        "correlation_id",
    )
    fields = readonly_fields


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyScopedAdmin):
    """What the platform published for partners (core.outbox), newest first."""

    view_permission_name = Perm.INTEGRATIONS_MANAGE
    list_display = ("created_at", "event_type", "organization_id", "dispatched_at", "correlation_id")
    list_filter = ("event_type", ("dispatched_at", admin.EmptyFieldListFilter))
    search_fields = ("event_type", "correlation_id")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = ("id", "created_at", "organization_id", "event_type", "data", "correlation_id", "dispatched_at")
    fields = readonly_fields


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyScopedAdmin):
    """API keys: listed for the organization's owners and admins (created through the API, shown once);
    a platform administrator may override a key's rate-limit tier. Revoking is an action."""

    view_permission_name = Perm.INTEGRATIONS_MANAGE
    organization_lookup = "organization_id"
    list_display = ("name", "prefix", "mode", "organization", "last_used_at", "expires_at", "revoked_at", "rate_tier")
    list_filter = ("mode", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix")
    actions = ["revoke_keys"]
    fields = (
        "name",
        "organization",
        "mode",
        "prefix",
        "scopes",
        "allowed_ips",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "replaced_by",
        "rate_tier",
        "created_by",
        "created_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f for f in self.fields if not (f == "rate_tier" and is_platform_admin(request))]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_admin(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if "rate_tier" in form.changed_data:
            services.api_key_set_tier(actor=request.user, key=obj, tier=obj.rate_tier)

    @admin.action(description="Revoke the selected keys now")
    def revoke_keys(self, request: HttpRequest, queryset: Any) -> None:
        for key in queryset:
            if self._allowed(request, Perm.INTEGRATIONS_MANAGE, key):
                services.api_key_revoke(actor=request.user, key=key)
        self.message_user(request, "Revoked the selected keys.", messages.SUCCESS)


# -- OAuth 2.0 (django-oauth-toolkit registers these classes: OAUTH2_PROVIDER["*_ADMIN_CLASS"]) ----------


class ApplicationAdmin(ServiceBackedAdmin):
    """OAuth applications of the organization, managed by its owners and admins.

    The client secret is shown once, right after the application is created, and
    stored hashed. Only a platform administrator flags an application first-party
    (the password grant) or overrides its rate-limit tier.
    """

    view_permission_name = Perm.INTEGRATIONS_MANAGE
    add_permission_name = Perm.INTEGRATIONS_MANAGE
    change_permission_name = Perm.INTEGRATIONS_MANAGE
    delete_permission_name = Perm.INTEGRATIONS_MANAGE
    platform_fields = ("first_party", "rate_tier")

    list_display = (
        "name",
        "client_id",
        "organization",
        "mode",
        "authorization_grant_type",
        "client_type",
        "first_party",
        "rate_tier",
    )
    list_filter = ("mode", "authorization_grant_type", "client_type", "first_party")
    search_fields = ("name", "client_id")
    list_select_related = ("organization",)
    fields = (
        "name",
        "organization",
        "client_id",
        "mode",
        "client_type",
        "authorization_grant_type",
        "client_secret",
        "redirect_uris",
        "allowed_origins",
        "allowed_scopes",
        "allowed_ips",
        "description",
        "logo_url",
        "homepage_url",
        "first_party",
        "rate_tier",
        "created",
        "updated",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Application | None = None) -> Any:
        readonly = ["client_id", "created", "updated"]
        if obj is not None:
            readonly.append("client_secret")  # stored hashed: shown once, at creation
            readonly.append("mode")  # test or live for good: another mode is another application
        if not is_platform_admin(request):
            readonly.extend(self.platform_fields)
        return readonly

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "organization" in form.base_fields and not is_platform_admin(request):
            form.base_fields["organization"].required = True
        if "client_secret" in form.base_fields:
            form.base_fields["client_secret"].help_text = "Copy it now: it is stored hashed and cannot be shown again."
        return form

    def _creator_role(self, request: HttpRequest, application: Application) -> str | None:
        return None if is_platform_admin(request) else role_in(request, application.organization_id)

    def create_via_service(self, request: HttpRequest, form: Any) -> Application:
        application: Application = form.instance
        if isinstance(request.user, User):
            application.user = request.user
        secret = application.client_secret
        saved = services.oauth_application_save(
            actor=request.user,
            application=application,
            creator_role=self._creator_role(request, application),
            changed=form.changed_data,
        )
        if saved.client_type == Application.CLIENT_CONFIDENTIAL:
            self.message_user(request, f"Client secret of {saved.name} (shown once): {secret}", messages.WARNING)
        return saved

    def update_via_service(self, request: HttpRequest, obj: Application, form: Any) -> Application:
        return services.oauth_application_save(
            actor=request.user, application=obj, creator_role=self._creator_role(request, obj), changed=form.changed_data
        )

    def delete_via_service(self, request: HttpRequest, obj: Application) -> None:
        services.oauth_application_delete(actor=request.user, application=obj)


class AccessTokenAdmin(ReadOnlyScopedAdmin):
    """Issued access tokens (never the token itself: only its hash is stored); revoking is an action."""

    view_permission_name = Perm.INTEGRATIONS_MANAGE
    list_display = ("id", "application", "user", "organization", "scope", "expires", "created")
    list_filter = (("application", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("application__name", "application__client_id", "user__email")
    list_select_related = ("application", "user", "organization")
    fields = ("application", "user", "organization", "scope", "expires", "created", "source_refresh_token", "id_token")
    readonly_fields = fields
    actions = ["revoke_tokens"]

    @admin.action(description="Revoke the selected tokens (and their refresh tokens) now")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[AccessToken]) -> None:
        for token in queryset:
            if self._allowed(request, Perm.INTEGRATIONS_MANAGE, token):
                services.oauth_token_revoke(actor=request.user, access_token=token)
        self.message_user(request, "Revoked the selected tokens.", messages.SUCCESS)


class RefreshTokenAdmin(ReadOnlyScopedAdmin):
    view_permission_name = Perm.INTEGRATIONS_MANAGE
    organization_lookup = "access_token__organization_id"
    list_display = ("id", "application", "user", "token_family", "revoked", "created")
    list_select_related = ("application", "user")
    fields = ("application", "user", "access_token", "token_family", "revoked", "created")
    readonly_fields = fields


class GrantAdmin(ReadOnlyScopedAdmin):
    view_permission_name = Perm.INTEGRATIONS_MANAGE
    list_display = ("id", "application", "user", "organization", "scope", "expires")
    list_select_related = ("application", "user", "organization")
    fields = ("application", "user", "organization", "scope", "redirect_uri", "code_challenge_method", "expires", "created")
    readonly_fields = fields


class IDTokenAdmin(ReadOnlyScopedAdmin):
    view_permission_name = Perm.INTEGRATIONS_MANAGE
    organization_lookup = "access_token__organization_id"
    list_display = ("jti", "application", "user", "scope", "expires")
    list_select_related = ("application", "user")
    fields = ("jti", "application", "user", "scope", "expires", "created")
    readonly_fields = fields
