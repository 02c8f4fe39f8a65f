"""The authorization server's pages and endpoints that the platform shapes itself.

Sign-in is the platform's one sign-in (allauth's, ``accounts.signin``): the
authorization endpoint sends a visitor there and gets them back. Consent is server-rendered. The consent page names the
application and the scopes it asks for, and the user picks the organization
the grant is for among those where their role could exercise every requested
scope; they can always deny. The remaining endpoints (token, revocation,
userinfo, JWKS) are django-oauth-toolkit's own.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as dot_views
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.forms import AllowForm
from oauth2_provider.oauth2_backends import _add_iss_to_redirect
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth2.rfc6749 import errors as oauth_errors

from accounts import selectors, services
from accounts.models import Application, Membership, User
from accounts.oauth import tokens
from accounts.scopes import IDENTITY_SCOPES, SCOPES, grantable_by

# The platform's one sign-in (allauth's, with the second factor); it comes back to the authorization request (``next``).
LOGIN_URL = reverse_lazy("account_login")


class SignOutView(auth_views.LogoutView):
    """Sign out (POST), e.g. to grant access as someone else; goes back to ``next``, else to the sign-in page.

    Kept for clients that link to it; it signs out of the whole platform, like the portal's and the console's."""

    next_page = LOGIN_URL


NOT_OFFERED = "Pick one of your organizations where your role allows these scopes."


class ConsentForm(AllowForm):
    organization = forms.ChoiceField(required=False, choices=(), error_messages={"invalid_choice": NOT_OFFERED})


def eligible_memberships(user: User, scopes: list[str]) -> tuple[list[Membership], list[Membership]]:
    """The user's memberships split into those whose role could exercise every requested scope, and the others."""
    wanted = set(scopes) - IDENTITY_SCOPES
    fit, short = [], []
    for membership in selectors.memberships_of(user=user):
        (fit if wanted <= grantable_by(membership.role) else short).append(membership)
    return fit, short


class ConsentView(dot_views.AuthorizationView):
    """``GET /o/authorize/``: the consent page; ``POST``: the user's answer (RFC 6749 section 4.1.1, RFC 7636)."""

    template_name = "oauth/consent.html"
    form_class = ConsentForm
    login_url = LOGIN_URL
    chosen_organization: Any = None

    def handle_no_permission(self) -> HttpResponse:
        """Not signed in: the sign-in page, except for ``prompt=none``, which answers ``login_required``
        at the client's redirect URI (OpenID Connect Core section 3.1.2.6)."""
        if self.request.GET.get("prompt") != "none":
            return super().handle_no_permission()
        try:
            _, credentials = self.validate_authorization_request(self.request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        error = OAuthToolkitError(
            error=oauth_errors.LoginRequired(description="The user is not signed in.", state=credentials.get("state")),
            redirect_uri=credentials["redirect_uri"],
        )
        return self.error_response(error, application=None)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Consent is asked every time: it is where the organization of the grant is chosen, so the
        # toolkit's approval_prompt=auto (re-use a past approval) is not offered.
        request.GET = request.GET.copy()
        request.GET.pop("approval_prompt", None)
        return super().get(request, *args, **kwargs)

    def validate_authorization_request(self, request: HttpRequest) -> Any:
        scopes, credentials = super().validate_authorization_request(request)
        if credentials.get("code_challenge_method") != "S256":
            # RFC 9700 section 2.1.1: S256 only. The toolkit refuses "plain" when the code is issued;
            # refusing it here spares the user a consent page that cannot succeed.
            raise OAuthToolkitError(
                error=oauth_errors.InvalidRequestError(
                    description="PKCE is required with code_challenge_method=S256.", state=credentials.get("state")
                ),
                redirect_uri=credentials["redirect_uri"],
            )
        return scopes, credentials

    def get_form(self, form_class: Any = None) -> ConsentForm:
        form: ConsentForm = super().get_form(form_class)
        scopes = (form.data.get("scope") or form.initial.get("scope") or "").split()
        fit, _ = eligible_memberships(self.request.user, scopes)  # type: ignore[arg-type]
        form.fields["organization"].choices = [(str(m.organization_id), m.organization.name) for m in fit]
        if fit:
            form.initial.setdefault("organization", str(fit[0].organization_id))
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if form is None or "error" in context:
            return context
        client_id = form.data.get("client_id") or form.initial.get("client_id")
        scopes = (form.data.get("scope") or form.initial.get("scope") or "").split()
        fit, short = eligible_memberships(self.request.user, scopes)  # type: ignore[arg-type]
        context.update(
            application=context.get("application") or Application.objects.filter(client_id=client_id).first(),
            requested=[(scope, SCOPES[scope][0]) for scope in scopes if scope in SCOPES],
            memberships=fit,
            unfit=[(m, sorted(set(scopes) - IDENTITY_SCOPES - grantable_by(m.role))) for m in short],
        )
        return context

    def form_valid(self, form: ConsentForm) -> HttpResponse:
        application = Application.objects.get(client_id=form.cleaned_data["client_id"])
        scopes = form.cleaned_data["scope"].split()
        allow = bool(form.cleaned_data.get("allow"))
        if allow:
            fit, _ = eligible_memberships(self.request.user, scopes)  # type: ignore[arg-type]
            chosen = {str(m.organization_id): m.organization for m in fit}.get(form.cleaned_data.get("organization") or "")
            if chosen is None:
                form.add_error("organization", NOT_OFFERED)
                return self.form_invalid(form)
            self.chosen_organization = chosen
        services.oauth_consent_record(
            user=self.request.user,  # type: ignore[arg-type]
            application=application,
            organization=self.chosen_organization,
            scopes=scopes,
            allowed=allow,
        )
        return super().form_valid(form)

    def create_authorization_response(self, request: HttpRequest, scopes: str, credentials: dict[str, Any], allow: bool) -> Any:
        if allow:
            if self.chosen_organization is None:
                # The toolkit's shortcuts past the consent page (skip_authorization) would leave the grant
                # without an organization: refuse rather than guess one.
                raise OAuthToolkitError(
                    error=oauth_errors.ConsentRequired(
                        description="The user has to choose an organization on the consent page.", state=credentials.get("state")
                    ),
                    redirect_uri=credentials.get("redirect_uri"),
                )
            # oauthlib copies the credentials onto its request; the validator stores this on the Grant.
            credentials["organization_id"] = self.chosen_organization.pk
        return super().create_authorization_response(request, scopes, credentials, allow)

    def redirect(self, redirect_to: str, application: Any) -> HttpResponse:
        # RFC 9207 section 2: ``iss`` in every authorization response, error responses included.
        if "iss=" not in redirect_to:
            redirect_to = _add_iss_to_redirect(redirect_to, tokens.issuer())
        if application is None:
            # An error found after the redirect URI was checked (RFC 6749 section 4.1.2.1): the toolkit passes no
            # application, and would then allow https only, refusing a native app's loopback URI.
            application = Application.objects.filter(client_id=self.request.GET.get("client_id", "")).first()
        return super().redirect(redirect_to, application)


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectView(OAuthLibMixin, View):
    """``POST /o/introspect/`` (RFC 7662): for authenticated clients only, and only about their own tokens.

    A token of another client, a revoked, expired or unknown one, is ``{"active": false}``
    (section 2.2). The client authenticates as at the token endpoint (Basic or body).
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        core = self.get_oauthlib_core()
        uri, http_method, body, headers = core._extract_params(request)
        oauth_request = OAuthRequest(uri, http_method, body, headers)
        if not core.server.request_validator.authenticate_client(oauth_request):
            response = JsonResponse({"error": "invalid_client", "error_description": "Client authentication failed."}, status=401)
            response["WWW-Authenticate"] = 'Basic realm="oauth"'
            return response
        raw = request.POST.get("token")
        if not raw:
            return JsonResponse({"error": "invalid_request", "error_description": "The token parameter is missing."}, status=400)
        return JsonResponse(introspection(raw, client=oauth_request.client))


def introspection(raw: str, *, client: Application) -> dict[str, Any]:
    """The RFC 7662 section 2.2 answer about ``raw`` for ``client``."""
    token = selectors.oauth_access_token(raw=raw)
    if token is None or token.application_id != client.pk or token.is_expired():
        return {"active": False}
    try:
        claims = tokens.decode_access_token(raw)
    except tokens.InvalidAccessToken:
        return {"active": False}
    answer = {
        "active": True,
        "token_type": "Bearer",
        "client_id": client.client_id,
        "username": token.user.email if token.user else None,
        **{k: claims[k] for k in ("scope", "sub", "aud", "iss", "exp", "iat", "jti", "org") if k in claims},
    }
    return {k: v for k, v in answer.items() if v is not None}


class DiscoveryView(dot_views.ConnectDiscoveryInfoView):
    """OpenID Provider metadata (OpenID Connect Discovery 1.0), at ``/.well-known/openid-configuration``
    and under ``/o/``; it also names the revocation and introspection endpoints (RFC 8414 fields)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["id_token_signing_alg_values_supported"] = ["RS256"]  # HS256 is not offered
        data["grant_types_supported"] = ["authorization_code", "client_credentials", "refresh_token"]
        for key, name in (("revocation_endpoint", "revoke-token"), ("introspection_endpoint", "introspect")):
            data[key] = self._get_endpoint_url(request, name)
        data["claims_supported"] = sorted(
            {"sub", "name", "locale", "zoneinfo", "email", "org", *data.get("claims_supported", [])}
        )
        fresh = JsonResponse(data)
        fresh["Access-Control-Allow-Origin"] = "*"
        return fresh
