"""The authorization server's pages and endpoints that the platform shapes itself.

Sign-in is the platform's one sign-in (allauth's, ``accounts.signin``): the
authorization endpoint sends a visitor there and gets them back. Consent is server-rendered. The consent page names the
application and the scopes it asks for, and the user picks the organization
the grant is for among those where their role could exercise every requested
scope; they can always deny. The remaining endpoints (token, revocation,
userinfo, JWKS) are django-oauth-toolkit's own; the token, revocation and
introspection endpoints are rate limited per client and per address
(``ClientRateLimited``).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
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
from accounts.oauth.validators import basic_client_id
from accounts.scopes import IDENTITY_SCOPES, SCOPES, grantable_by
from api import ratelimit
from core import csp
from core.net import client_ip

# The platform's one sign-in (allauth's, with the second factor); it comes back to the authorization request (``next``).
LOGIN_URL = reverse_lazy("account_login")


def client_sources(application: Application | None) -> dict[str, list[str]]:
    """What a page of ``application``'s authorization needs beyond the platform's Content-Security-Policy.

    Its redirect URIs as form targets: browsers check ``form-action`` on the redirects that answer a form
    (CSP Level 3, section 6.3.2), so the answer to the consent form, a redirect to the client, needs them.
    Its logo, shown on the consent page (https, or http on loopback: ``accounts.models.logo_url_problem``).
    """
    if application is None:
        return {}
    logo = application.logo_to_show
    return {
        "form_action": [csp.source_of(uri) for uri in application.redirect_uris.split()],
        "img_src": [csp.source_of(logo)] if logo else [],
    }


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

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        return csp.allow(response, **client_sources(context.get("application")))

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


class ClientRateLimited:
    """Rate limits of the endpoints a client calls with its credentials: every POST counts against the caller's
    address (``OAUTH_ADDRESS_RATE_TIER``), then against the client it names (its application's tier, partner by
    default), both before the client is authenticated, so that guessing secrets costs the guesser's allowance.

    The answers carry the API's ``X-RateLimit-*`` headers (of the bucket nearer its limit); over a limit the
    answer is a 429 with ``Retry-After``. A refused address does not spend the named client's allowance, so one
    address cannot exhaust another client's.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST" or not ratelimit.enabled():
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]
        decision = _client_limit(request)
        response = super().dispatch(request, *args, **kwargs) if decision.allowed else _too_many(decision)  # type: ignore[misc]
        for name, value in decision.headers().items():
            response[name] = value
        return response  # type: ignore[no-any-return]


def _client_limit(request: HttpRequest) -> ratelimit.Decision:
    """The decision of the address's bucket, then of the named client's: the refusing one, else the one nearer its limit."""
    decisions = [ratelimit.attempt(f"oauth:ip:{client_ip(request.META)}", settings.OAUTH_ADDRESS_RATE_TIER)]
    client_id = _presented_client_id(request)
    named = selectors.oauth_client_rate_limit(client_id=client_id) if client_id and decisions[0].allowed else None
    if named is not None:
        decisions.append(ratelimit.attempt(f"oauth:client:{named[0]}", named[1]))
    return min(decisions, key=lambda d: (d.allowed, d.remaining / d.tier.burst))


def _presented_client_id(request: HttpRequest) -> str | None:
    """The client id of HTTP Basic credentials, else of the body (RFC 6749 section 2.3.1), unverified."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return (basic_client_id(credentials) if scheme == "Basic" else None) or request.POST.get("client_id") or None


def _too_many(decision: ratelimit.Decision) -> HttpResponse:
    # RFC 6585 section 4 (429, Retry-After); the body in the RFC 6749 section 5.2 format, with "slow_down", the
    # code the OAuth Extensions Error Registry holds for a client that has to slow down (RFC 8628 section 3.5).
    return JsonResponse(
        {
            "error": "slow_down",
            "error_description": (
                f"Too many requests: the {decision.tier.name} tier allows {decision.tier.per_minute} a minute "
                f"(bursts of {decision.tier.burst}). Retry after {decision.retry_after} s."
            ),
        },
        status=429,
        headers={"Cache-Control": "no-store"},
    )


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class TokenView(ClientRateLimited, dot_views.TokenView):
    """``POST /o/token/`` (RFC 6749 section 3.2): the toolkit's, rate limited."""


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class RevokeTokenView(ClientRateLimited, dot_views.RevokeTokenView):
    """``POST /o/revoke_token/`` (RFC 7009): the toolkit's, rate limited."""


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectView(ClientRateLimited, OAuthLibMixin, View):
    """``POST /o/introspect/`` (RFC 7662): for authenticated clients only, and only about their own tokens; rate limited.

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
