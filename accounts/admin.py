"""The model admin (platform superusers) for organizations, members, invitations, API keys, OAuth and the audit log.

The audit log's and the outbox's admins live here rather than in ``core.admin``, beside the other
platform records. Organizers manage all of this in the organizer console (``console``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import services
from accounts.model_admin import PlatformAdmin, ReadOnlyAdmin, ServiceBackedAdmin, run_each
from accounts.models import AccessToken, ApiKey, Application, Invitation, Membership, Organization, User
from accounts.roles import Role
from core import audit
from core.models import AuditEntry, OutboxEvent

ORGANIZATION_FIELDS = ("name", "slug", "default_currency", "default_time_zone", "require_two_factor")


@admin.register(Organization)
class OrganizationAdmin(PlatformAdmin):
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
    """A platform superuser acts as an owner of every organization (the last owner still stays)."""

    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__email", "user__name", "organization__name")
    list_select_related = ("user", "organization")
    fields = ("organization", "user", "role")

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> Any:
        return ("organization", "user") if obj is not None else ()

    def create_via_service(self, request: HttpRequest, form: Any) -> Membership:
        organization, role = form.cleaned_data["organization"], form.cleaned_data["role"]
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
            actor_role=Role.OWNER,
            membership=obj,
            role=form.cleaned_data["role"],
        )

    def delete_via_service(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_remove(actor=request.user, actor_role=Role.OWNER, membership=obj)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Read-only: invitations are sent and accepted through the API and the consoles; revoking is an action."""

    list_display = ("email", "organization", "role", "status", "invited_by", "expires_at", "created_at")
    list_filter = ("role", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("email",)
    list_select_related = ("organization", "invited_by")
    fields = ("organization", "email", "role", "status", "invited_by", "expires_at", "accepted_at", "revoked_at", "created_at")
    readonly_fields = fields
    actions = ("revoke_invitations",)

    @admin.action(description="Revoke selected invitations")
    def revoke_invitations(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        run_each(self, request, queryset, lambda i: services.invitation_revoke(actor=request.user, invitation=i), "Revoked")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log."""

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
class OutboxEventAdmin(ReadOnlyAdmin):
    """What the platform published for partners (core.outbox), newest first."""

    list_display = ("created_at", "event_type", "organization_id", "dispatched_at", "correlation_id")
    list_filter = ("event_type", ("dispatched_at", admin.EmptyFieldListFilter))
    search_fields = ("event_type", "correlation_id")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = ("id", "created_at", "organization_id", "event_type", "data", "correlation_id", "dispatched_at")
    fields = readonly_fields


@admin.register(ApiKey)
class ApiKeyAdmin(PlatformAdmin):
    """API keys (created through the API and the consoles, shown once); a platform superuser may override a key's
    rate-limit tier, nothing else. Revoking is an action."""

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

    readonly_fields = tuple(f for f in fields if f != "rate_tier")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if "rate_tier" in form.changed_data:
            services.api_key_set_tier(actor=request.user, key=obj, tier=obj.rate_tier)

    @admin.action(description="Revoke the selected keys now")
    def revoke_keys(self, request: HttpRequest, queryset: Any) -> None:
        run_each(self, request, queryset, lambda key: services.api_key_revoke(actor=request.user, key=key), "Revoked")


# -- OAuth 2.0 (django-oauth-toolkit registers these classes: OAUTH2_PROVIDER["*_ADMIN_CLASS"]) ----------


class ApplicationAdmin(ServiceBackedAdmin):
    """OAuth applications. Partners manage theirs in the developer portal; here a platform superuser
    flags an application first-party (the password grant) or overrides its rate-limit tier.

    The client secret is shown once, right after the application is created, and stored hashed.
    """

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
        return readonly

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "client_secret" in form.base_fields:
            form.base_fields["client_secret"].help_text = "Copy it now: it is stored hashed and cannot be shown again."
        return form

    def create_via_service(self, request: HttpRequest, form: Any) -> Application:
        application: Application = form.instance
        if isinstance(request.user, User):
            application.user = request.user
        secret = application.client_secret
        saved = services.oauth_application_save(
            actor=request.user,
            application=application,
            creator_role=None,
            changed=form.changed_data,
        )
        if saved.client_type == Application.CLIENT_CONFIDENTIAL:
            self.message_user(request, f"Client secret of {saved.name} (shown once): {secret}", messages.WARNING)
        return saved

    def update_via_service(self, request: HttpRequest, obj: Application, form: Any) -> Application:
        return services.oauth_application_save(actor=request.user, application=obj, creator_role=None, changed=form.changed_data)

    def delete_via_service(self, request: HttpRequest, obj: Application) -> None:
        services.oauth_application_delete(actor=request.user, application=obj)


class AccessTokenAdmin(ReadOnlyAdmin):
    """Issued access tokens (never the token itself: only its hash is stored); revoking is an action."""

    list_display = ("id", "application", "user", "organization", "scope", "expires", "created")
    list_filter = (("application", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("application__name", "application__client_id", "user__email")
    list_select_related = ("application", "user", "organization")
    fields = ("application", "user", "organization", "scope", "expires", "created", "source_refresh_token", "id_token")
    readonly_fields = fields
    actions = ["revoke_tokens"]

    @admin.action(description="Revoke the selected tokens (and their refresh tokens) now")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[AccessToken]) -> None:
        run_each(self, request, queryset, lambda t: services.oauth_token_revoke(actor=request.user, access_token=t), "Revoked")


class RefreshTokenAdmin(ReadOnlyAdmin):
    list_display = ("id", "application", "user", "token_family", "revoked", "created")
    list_select_related = ("application", "user")
    fields = ("application", "user", "access_token", "token_family", "revoked", "created")
    readonly_fields = fields


class GrantAdmin(ReadOnlyAdmin):
    list_display = ("id", "application", "user", "organization", "scope", "expires")
    list_select_related = ("application", "user", "organization")
    fields = ("application", "user", "organization", "scope", "redirect_uri", "code_challenge_method", "expires", "created")
    readonly_fields = fields


class IDTokenAdmin(ReadOnlyAdmin):
    list_display = ("jti", "application", "user", "scope", "expires")
    list_select_related = ("application", "user")
    fields = ("jti", "application", "user", "scope", "expires", "created")
    readonly_fields = fields
