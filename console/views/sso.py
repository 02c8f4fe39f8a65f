"""Single sign-on: identity providers (SAML from a metadata URL, the document or its fields; OpenID Connect), the
platform's SAML keys, claimed email domains and their verification, role mapping, enforced SSO with break-glass
owners, SCIM tokens. Owners only (``organization.manage``, as ``/api/v1/identity-providers``); every write goes through
``sso.services`` or ``sso.scim_services``, the same as the API (ADR 0021)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import selectors as account_selectors
from accounts.roles import Perm, Role
from console.feedback import domain_error, form_errors
from console.pages import page
from console.tenancy import Scope, console_page
from core.errors import DomainError
from sso import oidc, saml, scim_services, selectors, services
from sso.keys import pem_body
from sso.models import IdentityProvider, Protocol

MANAGE = Perm.ORGANIZATION_MANAGE
DOMAIN = re.compile(r"([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?")
PEM = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
SAML_ONLY = ("metadata_url", "metadata_xml", "idp_entity_id", "sso_url", "slo_url", "signing_certificates", "allow_idp_initiated")
OIDC_ONLY = ("issuer", "client_id", "client_secret")


class ProviderForm(forms.Form):
    name = forms.CharField(max_length=200)
    enabled = forms.BooleanField(required=False, initial=True, help_text="A disabled provider signs nobody in.")
    metadata_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Metadata URL",
        help_text="Where the IdP publishes its SAML metadata (Okta: Metadata URL; Entra ID: App Federation Metadata Url). "
        "Read now, and again when you ask; it fills the fields below.",
    )
    metadata_xml = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Or paste the metadata XML", max_length=200_000
    )
    idp_entity_id = forms.CharField(required=False, max_length=500, label="IdP entity id")
    sso_url = forms.URLField(required=False, max_length=500, assume_scheme="https", label="Single sign-on URL")
    slo_url = forms.URLField(required=False, max_length=500, assume_scheme="https", label="Single logout URL")
    signing_certificates = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="IdP signing certificates", help_text="PEM, one or more."
    )
    allow_idp_initiated = forms.BooleanField(required=False, initial=True, label="Accept sign-ins started at the IdP")
    issuer = forms.URLField(required=False, max_length=500, assume_scheme="https", help_text="Discovery is read from it.")
    client_id = forms.CharField(required=False, max_length=255, label="Client id")
    client_secret = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        label="Client secret",
        help_text="Stored encrypted; leave empty to keep the current one.",
    )
    email_attribute = forms.CharField(max_length=200, initial="email", label="Email attribute or claim")
    first_name_attribute = forms.CharField(max_length=200, initial="firstName", required=False, label="First name attribute")
    last_name_attribute = forms.CharField(max_length=200, initial="lastName", required=False, label="Last name attribute")
    groups_attribute = forms.CharField(max_length=200, initial="groups", required=False, label="Groups attribute or claim")
    role_mapping = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Role mapping",
        help_text="One “group = role” a line; roles: " + ", ".join(Role.values) + ". The strongest mapped role wins.",
    )
    default_role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER, help_text="For members in no mapped group.")
    jit_provisioning = forms.BooleanField(required=False, initial=True, label="Create members at their first sign-in")

    def __init__(self, *args: Any, protocol: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in OIDC_ONLY if protocol == Protocol.SAML else SAML_ONLY:
            del self.fields[name]

    def clean_signing_certificates(self) -> list[str]:
        text = self.cleaned_data.get("signing_certificates", "").strip()
        return PEM.findall(text) or ([text] if text else [])

    def clean_role_mapping(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for line in self.cleaned_data.get("role_mapping", "").splitlines():
            if not line.strip():
                continue
            group, _, role = line.rpartition("=")
            if not group.strip() or role.strip() not in Role.values:
                raise forms.ValidationError(f"“{line.strip()}” is not “group = role” with a known role.")
            mapping[group.strip()] = role.strip()
        return mapping


def _initial(provider: IdentityProvider) -> dict[str, Any]:
    initial = {name: getattr(provider, name) for name in services.PROVIDER_FIELDS}
    initial["signing_certificates"] = "\n\n".join(provider.signing_certificates)
    initial["role_mapping"] = "\n".join(f"{g} = {r}" for g, r in sorted(provider.role_mapping.items()))
    return initial


def _provider(scope: Scope, provider_id: Any) -> IdentityProvider:
    provider = selectors.identity_provider_get(organization=scope.organization, provider_id=provider_id)
    if provider is None:
        raise Http404("No such identity provider in this organization.")
    return provider


def _data(form: ProviderForm, names: list[str]) -> dict[str, Any]:
    data = {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
    if not data.get("client_secret"):
        data.pop("client_secret", None)
    if not data.get("metadata_xml"):
        data.pop("metadata_xml", None)
    if not data.get("signing_certificates"):
        data.pop("signing_certificates", None)
    return data


@console_page(MANAGE)
def overview(request: HttpRequest, scope: Scope) -> HttpResponse:
    secret = _act(request, scope) if request.method == "POST" else None
    if request.method == "POST" and secret is None:
        return HttpResponseRedirect(reverse("console:sso"))
    organization = scope.organization
    providers = list(selectors.identity_provider_list(organization=organization))
    owners = [m for m in account_selectors.member_list(organization=organization) if m.role == Role.OWNER]
    context = {
        "providers": providers,
        "domains": [(d, services.verification_url(d)) for d in selectors.domain_list(organization=organization)],
        "owners": owners,
        "enforced": organization.enforce_sso,
        "tokens": list(selectors.scim_token_list(organization=organization)),
        "scim_url": f"{settings.SITE_URL}/scim/v2/",
        "secret": secret,
    }
    response = page(request, scope, "console/sso/overview.html", context, section="sso")
    if secret:
        response["Cache-Control"] = "no-store"  # a token shown once stays in no cache
    return response


def _act(request: HttpRequest, scope: Scope) -> dict[str, str] | None:
    """One action of the overview page; a SCIM token to show once, else None."""
    action, organization, user = request.POST.get("action", ""), scope.organization, scope.user
    try:
        if action == "domain-claim":
            provider = _optional_provider(scope, request.POST.get("identity_provider"))
            name = request.POST.get("domain", "").strip().lower()
            if not DOMAIN.fullmatch(name) or len(name) > 253:
                messages.error(request, "Type an email domain, such as acme.example.")
                return None
            claimed = services.domain_claim(actor=user, organization=organization, domain=name, identity_provider=provider)
            messages.success(request, f"{claimed.domain} is claimed. Publish its token, then verify it.")
        elif action in ("domain-route", "domain-verify", "domain-delete"):
            domain = selectors.domain_get(organization=organization, domain_id=_uuid(request.POST.get("domain")))
            if domain is None:
                raise Http404("No such domain in this organization.")
            if action == "domain-route":
                provider = _optional_provider(scope, request.POST.get("identity_provider"))
                services.domain_route(actor=user, domain=domain, identity_provider=provider)
                messages.success(request, f"Sign-ins of {domain.domain} go to {provider.name if provider else 'no provider'}.")
            elif action == "domain-verify":
                services.domain_verify(actor=user, domain=domain)
                messages.success(request, f"{domain.domain} is verified: it routes sign-ins now.")
            else:
                services.domain_delete(actor=user, domain=domain)
                messages.success(request, f"{domain.domain} is no longer claimed.")
        elif action == "enforce":
            wanted = set(request.POST.getlist("break_glass"))
            owners = [m.user for m in account_selectors.member_list(organization=organization) if m.role == Role.OWNER]
            services.organization_enforce_sso(
                actor=user,
                organization=organization,
                enforced=request.POST.get("enforced") == "on",
                break_glass=[u for u in owners if str(u.pk) in wanted],
            )
            messages.success(request, "Single sign-on settings are saved.")
        elif action == "scim-create":
            name = request.POST.get("name", "").strip()[:200]
            if not name:
                messages.error(request, "Name the SCIM token (e.g. the identity provider it is for).")
                return None
            token, secret = scim_services.scim_token_create(actor=user, organization=organization, name=name, created_by=user)
            messages.success(request, f"The SCIM token {token.name} is created. Copy it now: it is shown only once.")
            return {"label": f"SCIM token {token.name}", "value": secret}
        elif action == "scim-revoke":
            found = selectors.scim_token_get(organization=organization, token_id=_uuid(request.POST.get("token")))
            if found is None:
                raise Http404("No such SCIM token in this organization.")
            scim_services.scim_token_revoke(actor=user, token=found)
            messages.success(request, f"The SCIM token {found.name} is revoked.")
        else:
            raise Http404("No such action")
    except DomainError as exc:
        domain_error(request, exc)
    return None


def _optional_provider(scope: Scope, value: str | None) -> IdentityProvider | None:
    return _provider(scope, _uuid(value)) if value else None


@console_page(MANAGE)
def provider_new(request: HttpRequest, scope: Scope) -> HttpResponse:
    protocol = request.GET.get("protocol") or request.POST.get("protocol") or Protocol.SAML
    if protocol not in Protocol.values:
        raise Http404("No such protocol")
    form = ProviderForm(request.POST or None, protocol=protocol)
    if request.method == "POST":
        if form.is_valid():
            try:
                provider = services.identity_provider_create(
                    actor=scope.user,
                    organization=scope.organization,
                    data={"protocol": protocol, **_data(form, list(form.cleaned_data))},
                )
            except DomainError as exc:
                domain_error(request, exc)
            else:
                messages.success(request, f"{provider.name} is added. Enter the platform's details at the provider.")
                return HttpResponseRedirect(reverse("console:sso-provider", args=[provider.pk]))
        else:
            form_errors(request, form)
    context = {"form": form, "protocol": protocol, "protocol_label": Protocol(protocol).label}
    return page(request, scope, "console/sso/provider_new.html", context, section="sso")


@console_page(MANAGE)
def provider_page(request: HttpRequest, scope: Scope, provider_id: uuid.UUID) -> HttpResponse:
    provider = _provider(scope, provider_id)
    form = ProviderForm(request.POST or None, initial=_initial(provider), protocol=provider.protocol)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "save":
                if not form.is_valid():
                    form_errors(request, form)
                    return _provider_page(request, scope, provider, form)
                services.identity_provider_update(actor=scope.user, provider=provider, data=_data(form, form.changed_data))
                messages.success(request, f"{provider.name} is saved.")
            elif action == "refresh-metadata":
                services.identity_provider_refresh_metadata(actor=scope.user, provider=provider)
                messages.success(request, "The metadata was read again; the IdP's endpoints and certificates are updated.")
            elif action == "rotate-key":
                services.sp_key_rotate(actor=scope.user, provider=provider)
                messages.success(
                    request, "A new key signs from now on; the old one stays published. Ask the IdP to read the metadata again."
                )
            elif action == "delete":
                services.identity_provider_delete(actor=scope.user, provider=provider)
                messages.success(request, f"{provider.name} is deleted; its domains route nowhere.")
                return HttpResponseRedirect(reverse("console:sso"))
            else:
                raise Http404("No such action")
        except DomainError as exc:
            domain_error(request, exc)
            return _provider_page(request, scope, provider, form)
        return HttpResponseRedirect(reverse("console:sso-provider", args=[provider.pk]))
    return _provider_page(request, scope, provider, form)


def _provider_page(request: HttpRequest, scope: Scope, provider: IdentityProvider, form: ProviderForm) -> HttpResponse:
    provider = _provider(scope, provider.pk)  # as stored (a refused save changed nothing)
    context: dict[str, Any] = {"provider": provider, "form": form}
    if provider.protocol == Protocol.SAML:
        context["sp"] = saml.sp_urls(provider)
        context["sp_keys"] = [(k, pem_body(k.certificate)) for k in saml.published_keys(provider)]
    else:
        context["oidc"] = {"redirect_uri": oidc.redirect_uri(provider), "post_logout": oidc.post_logout_redirect_uri(provider)}
    return page(request, scope, "console/sso/provider.html", context, section="sso")


def _uuid(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such object") from None
