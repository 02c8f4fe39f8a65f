"""The model admin (platform superusers) for single sign-on: identity providers, email domains, SCIM tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from accounts.model_admin import ReadOnlyAdmin, ServiceBackedAdmin, organization_of_form, report_domain_error
from core.errors import DomainError
from sso import saml, scim_services, services
from sso.models import EmailDomain, IdentityProvider, Protocol, ScimToken

EDITABLE = tuple(f for f in services.PROVIDER_FIELDS if f != "role_mapping")


class IdentityProviderForm(forms.ModelForm):  # type: ignore[type-arg]
    new_client_secret = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False), help_text="OpenID Connect: set or replace the secret."
    )
    metadata_xml = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="SAML: paste the IdP's metadata to fill the fields."
    )

    class Meta:
        model = IdentityProvider
        fields = ("organization", "protocol", *services.PROVIDER_FIELDS)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(ServiceBackedAdmin):
    form = IdentityProviderForm
    list_display = ("name", "protocol", "enabled", "organization", "created_at")
    list_filter = ("protocol", "enabled")
    list_select_related = ("organization",)
    readonly_fields = ("service_provider",)
    actions = ("rotate_keys",)

    def get_fields(self, request: HttpRequest, obj: IdentityProvider | None = None) -> Any:
        return ("organization", "protocol", "metadata_xml", *EDITABLE, "new_client_secret", "service_provider")

    def get_readonly_fields(self, request: HttpRequest, obj: IdentityProvider | None = None) -> Any:
        return ("service_provider", "organization", "protocol") if obj is not None else ("service_provider",)

    @admin.display(description="Service provider (enter these at the IdP)")
    def service_provider(self, obj: IdentityProvider) -> str:
        if obj.pk is None or obj.protocol != Protocol.SAML:
            return "-"
        urls = saml.sp_urls(obj)
        return format_html(
            'Entity id and metadata: <a href="{}">{}</a><br>ACS (HTTP-POST): {}<br>SLS (HTTP-Redirect): {}',
            urls["entity_id"],
            urls["entity_id"],
            urls["acs"],
            urls["sls"],
        )

    def _data(self, form: Any, names: Any) -> dict[str, Any]:
        data = {f: form.cleaned_data[f] for f in names if f in form.cleaned_data}
        if form.cleaned_data.get("new_client_secret"):
            data["client_secret"] = form.cleaned_data["new_client_secret"]
        if form.cleaned_data.get("metadata_xml"):
            data["metadata_xml"] = form.cleaned_data["metadata_xml"]
        return data

    def create_via_service(self, request: HttpRequest, form: Any) -> IdentityProvider:
        data = self._data(form, (*services.PROVIDER_FIELDS, "protocol"))
        return services.identity_provider_create(actor=request.user, organization=organization_of_form(form), data=data)

    def update_via_service(self, request: HttpRequest, obj: IdentityProvider, form: Any) -> IdentityProvider:
        data = self._data(form, [f for f in form.changed_data if f in services.PROVIDER_FIELDS])
        return services.identity_provider_update(actor=request.user, provider=IdentityProvider.objects.get(pk=obj.pk), data=data)

    def delete_via_service(self, request: HttpRequest, obj: IdentityProvider) -> None:
        services.identity_provider_delete(actor=request.user, provider=obj)

    @admin.action(description="Rotate the platform's SAML key (the old one stays published for the grace period)")
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[IdentityProvider]) -> None:
        for provider in queryset.filter(protocol=Protocol.SAML):
            services.sp_key_rotate(actor=request.user, provider=provider)
        self.message_user(request, "Keys rotated; ask the IdP to read the metadata again.", messages.SUCCESS)


@admin.register(EmailDomain)
class EmailDomainAdmin(ServiceBackedAdmin):
    list_display = ("domain", "verified_at", "identity_provider", "organization")
    list_select_related = ("organization", "identity_provider")
    readonly_fields = ("verification_token", "verification_url", "verified_at")
    actions = ("verify",)

    def get_fields(self, request: HttpRequest, obj: EmailDomain | None = None) -> Any:
        if obj is None:
            return ("organization", "domain", "identity_provider")
        return ("domain", "identity_provider", "verification_token", "verification_url", "verified_at")

    def get_readonly_fields(self, request: HttpRequest, obj: EmailDomain | None = None) -> Any:
        fixed = ("verification_token", "verification_url", "verified_at")
        return (*fixed, "domain") if obj is not None else fixed

    @admin.display(description="Publish the token at")
    def verification_url(self, obj: EmailDomain) -> str:
        return services.verification_url(obj) if obj.pk else "-"

    def create_via_service(self, request: HttpRequest, form: Any) -> EmailDomain:
        return services.domain_claim(
            actor=request.user,
            organization=organization_of_form(form),
            domain=form.cleaned_data["domain"],
            identity_provider=form.cleaned_data.get("identity_provider"),
        )

    def update_via_service(self, request: HttpRequest, obj: EmailDomain, form: Any) -> EmailDomain:
        provider = form.cleaned_data.get("identity_provider")
        if provider is not None and provider.organization_id != obj.organization_id:
            raise DomainError(services.errors.IDENTITY_PROVIDER_INVALID, details="The provider is another organization's.")
        return services.domain_route(actor=request.user, domain=EmailDomain.objects.get(pk=obj.pk), identity_provider=provider)

    def delete_via_service(self, request: HttpRequest, obj: EmailDomain) -> None:
        services.domain_delete(actor=request.user, domain=obj)

    @admin.action(description="Verify (the token must be published on the domain)")
    def verify(self, request: HttpRequest, queryset: QuerySet[EmailDomain]) -> None:
        for domain in queryset:
            try:
                services.domain_verify(actor=request.user, domain=domain)
                self.message_user(request, f"{domain.domain} is verified.", messages.SUCCESS)
            except DomainError as exc:
                report_domain_error(self, request, exc, prefix=f"{domain.domain}: ")


@admin.register(ScimToken)
class ScimTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "organization", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "prefix", "organization", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    @admin.action(description="Revoke (the identity provider can no longer provision)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ScimToken]) -> None:
        for token in queryset:
            scim_services.scim_token_revoke(actor=request.user, token=token)
        self.message_user(request, "Revoked.", messages.SUCCESS)
