"""Single sign-on in the browser: "Sign in with SSO" (home-realm discovery), the SAML SP's endpoints, sign-out.

A session opened here is allauth's, like every other (ADR 0014): the sign-in is recorded as an ``sso``
authentication step and handed to allauth's login flow, so a user with an authenticator still passes the
second factor before the session opens anything, and ``SignInMiddleware`` judges it as any other session.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request
from onelogin.saml2.logout_response import OneLogin_Saml2_Logout_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from accounts import services as account_services
from core import csp
from core import secrets as core_secrets
from core.net import client_ip
from sso import oidc, saml, selectors, services
from sso.models import IdentityProvider, Protocol, SsoSession

DEFAULT_NEXT = "/portal/dashboard/"
_PENDING = "sso_pending_session"  # what the session's SSO record needs once allauth has signed it in


def _safe_next(request: HttpRequest, wanted: str) -> str:
    ok = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return wanted if wanted and ok else DEFAULT_NEXT


def _refused(request: HttpRequest, provider: IdentityProvider | None, reason: str) -> HttpResponse:
    account_services.auth_failure_record(
        ip=client_ip(request.META),
        method="sso",
        reason=reason[:300],
        organization_id=provider.organization_id if provider else None,
        identity_provider=str(provider.pk) if provider else "",
    )
    return render(request, "sso/refused.html", status=403)


class DiscoverForm(forms.Form):
    email = forms.EmailField(
        label="Work email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@company.example", "autofocus": True}),
    )


@require_http_methods(["GET", "POST"])
def discover(request: HttpRequest) -> HttpResponse:
    """Home-realm discovery: the email's verified domain names the provider (an unverified claim routes nobody)."""
    next_url = _safe_next(request, request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""))
    form = DiscoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = selectors.provider_for_email(email=form.cleaned_data["email"])
        if provider is not None:
            login = "sso:saml-login" if provider.protocol == Protocol.SAML else "sso:oidc-login"
            return HttpResponseRedirect(f"{reverse(login, args=[provider.pk])}?{urlencode({'next': next_url})}")
        form.add_error("email", "Single sign-on is not set up for this email's domain. Sign in with your password.")
    # The form's answer redirects on to the identity provider: its origin is not known before the email is typed, and
    # form-action governs the redirects after a submission too (CSP Level 3), so any https origin may follow.
    return csp.allow(render(request, "sso/discover.html", {"form": form, "next": next_url}), form_action=["https:"])


@require_GET
def saml_metadata(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = selectors.provider_for_sign_in(provider_id=provider_id)
    if provider is None or provider.protocol != Protocol.SAML:
        return HttpResponse(status=404)
    return HttpResponse(saml.metadata_xml(provider), content_type="application/samlmetadata+xml")


@require_GET
def saml_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """SP-initiated sign-in: a signed AuthnRequest (HTTP-Redirect), remembered for its response's InResponseTo."""
    provider = selectors.provider_for_sign_in(provider_id=provider_id)
    if provider is None or provider.protocol != Protocol.SAML:
        return HttpResponse(status=404)
    auth = saml.auth_for(provider, request)
    url = auth.login(return_to=_safe_next(request, request.GET.get(REDIRECT_FIELD_NAME, "")))
    services.saml_request_record(
        provider=provider,
        request_id=auth.get_last_request_id(),
        next_url=_safe_next(request, request.GET.get(REDIRECT_FIELD_NAME, "")),
    )
    return HttpResponseRedirect(url)


@csrf_exempt  # posted by the IdP's page (cross-site); the signed assertion and InResponseTo are its proof
@require_POST
def saml_acs(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = selectors.provider_for_sign_in(provider_id=provider_id)
    if provider is None or provider.protocol != Protocol.SAML:
        return HttpResponse(status=404)
    try:
        accepted = saml.accept_response(provider, request)
    except saml.Refused as exc:
        return _refused(request, provider, exc.reason)
    # IdP-initiated: RelayState may carry where to go (a local path only).
    next_url = accepted.next_url or _safe_next(request, request.POST.get("RelayState", ""))
    return _sign_in(
        request,
        provider,
        accepted.identity,
        next_url,
        {"name_id": accepted.name_id, "name_id_format": accepted.name_id_format, "session_index": accepted.session_index},
    )


def _sign_in(
    request: HttpRequest, provider: IdentityProvider, identity: services.Identity, next_url: str, record: dict[str, str]
) -> HttpResponse:
    try:
        signed = services.sso_sign_in(provider=provider, identity=identity, ip=client_ip(request.META))
    except services.SsoRefused as exc:
        return _refused(request, provider, exc.reason)
    request.session[_PENDING] = {"provider": str(provider.pk), **record}
    record_authentication(request, signed.user, "sso", provider=str(provider.pk), protocol=provider.protocol)
    login = Login(
        user=signed.user,
        email=signed.user.email,
        redirect_url=next_url,
        email_verification=EmailVerificationMethod.NONE,  # the IdP vouches for an address on a verified domain
    )
    response: HttpResponse = perform_login(request, login)
    return response


def record_sso_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """When allauth signs in a session begun by SSO (at once, or after the second factor), remember it for single
    logout: the session key exists only now (``login`` makes a new one)."""
    if request is None or not hasattr(request, "session"):
        return
    pending = request.session.pop(_PENDING, None)
    if not pending or request.session.session_key is None:
        return
    provider = IdentityProvider.objects.filter(pk=pending["provider"]).first()
    if provider is not None:
        services.sso_session_record(
            provider=provider,
            user=user,
            session_key=request.session.session_key,
            name_id=pending.get("name_id", ""),
            name_id_format=pending.get("name_id_format", ""),
            session_index=pending.get("session_index", ""),
            id_token=pending.get("id_token", ""),
        )


user_logged_in.connect(record_sso_session, dispatch_uid="sso.record_session")


def opened_by_sso(request: HttpRequest) -> SsoSession | None:
    """The SSO record of this browser's session, if single sign-on opened it (read it before signing out)."""
    key = request.session.session_key or ""
    return selectors.sso_session_of(session_key=key) if key else None


def sign_out_at_provider(request: HttpRequest, opened: SsoSession) -> str | None:
    """After the platform's session ended: where to send the browser to sign out at the provider that opened it too
    (SAML single logout, SP-initiated; OpenID Connect RP-initiated logout), or None when the provider offers neither.
    Every session the provider opened for that user here ends too. Used by ``sign_out`` and by the one sign-in's
    sign-out (``portal.adapter``)."""
    provider = opened.identity_provider
    services.sso_sessions_end(provider=provider, name_id=opened.name_id, session_indexes=[opened.session_index])
    if provider.protocol == Protocol.OIDC:
        return _oidc_sign_out(request, provider, opened)
    if not provider.slo_url:
        return None
    auth = saml.auth_for(provider, request)
    url = auth.logout(
        return_to="/portal/",
        name_id=opened.name_id,
        session_index=opened.session_index or None,
        name_id_format=opened.name_id_format or None,
    )
    services.saml_request_record(provider=provider, request_id=auth.get_last_request_id(), next_url="/portal/")
    return str(url)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out here; a session opened by a SAML provider with single logout is signed out there too (SP-initiated), one
    opened by an OpenID provider with an end_session_endpoint too (RP-initiated)."""
    opened = opened_by_sso(request)
    logout(request)
    url = sign_out_at_provider(request, opened) if opened is not None else None
    return HttpResponseRedirect(url or "/portal/")


_CONTINUE = "sso_sign_out_continue"  # where the one sign-in's sign-out sends the browser next (set server-side only)


def continue_at_provider(request: HttpRequest, url: str | None) -> None:
    """Remember, in the new signed-out session, where ``sign_out_continue`` sends the browser."""
    request.session[_CONTINUE] = url or "/portal/"


@require_GET
def sign_out_continue(request: HttpRequest) -> HttpResponse:
    """After the one sign-in's sign-out (``portal.adapter``): on to the provider's sign-out, a URL this server put in the
    session (never one from the request)."""
    return HttpResponseRedirect(request.session.pop(_CONTINUE, None) or "/portal/")


def _oidc_sign_out(request: HttpRequest, provider: IdentityProvider, opened: SsoSession) -> str | None:
    """RP-initiated logout: on to the provider's end_session_endpoint with the session's ID token as hint and a fresh
    ``state`` kept in this browser's new (signed-out) session; the platform's session has ended already, so a provider
    that publishes no endpoint or cannot be reached leaves the user signed out here only."""
    state = secrets.token_urlsafe(24)
    try:
        url = oidc.end_session_url(
            provider, id_token=core_secrets.decrypt(opened.id_token) if opened.id_token else "", state=state
        )
    except oidc.Refused:
        url = None
    if url is not None:
        request.session[_OIDC_SIGN_OUT] = {"state": state, "provider": str(provider.pk)}
    return url


@require_GET
def saml_sls(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Single logout (HTTP-Redirect): the IdP's LogoutRequest ends that user's sessions opened by this provider and is
    answered with a signed LogoutResponse; the IdP's LogoutResponse ends a logout the platform started."""
    provider = selectors.provider_for_sign_in(provider_id=provider_id)
    if provider is None or provider.protocol != Protocol.SAML:
        return HttpResponse(status=404)
    auth = saml.auth_for(provider, request)
    config = OneLogin_Saml2_Settings(saml.settings_for(provider))
    if "SAMLRequest" in request.GET:
        if "Signature" not in request.GET:  # an unsigned LogoutRequest could sign anyone out
            return _refused(request, provider, "unsigned LogoutRequest")
        xml = OneLogin_Saml2_Logout_Request(config, request.GET["SAMLRequest"]).get_xml()
        url = auth.process_slo(keep_local_session=True)
        if auth.get_errors():
            return _refused(request, provider, f"LogoutRequest refused: {auth.get_last_error_reason() or auth.get_errors()}")
        name_id = OneLogin_Saml2_Logout_Request.get_nameid(xml)
        indexes = OneLogin_Saml2_Logout_Request.get_session_indexes(xml)
        services.sso_sessions_end(provider=provider, name_id=str(name_id), session_indexes=[str(i) for i in indexes])
        return HttpResponseRedirect(url)
    if "SAMLResponse" in request.GET:
        answer = OneLogin_Saml2_Logout_Response(config, request.GET["SAMLResponse"])
        in_response_to = answer.document.get("InResponseTo") or ""
        sent = services.saml_request_take(provider=provider, request_id=in_response_to) if in_response_to else None
        if sent is None:
            return _refused(request, provider, "LogoutResponse to no pending request")
        auth.process_slo(keep_local_session=True, request_id=sent.request_id)
        if auth.get_errors():
            return _refused(request, provider, f"LogoutResponse refused: {auth.get_last_error_reason() or auth.get_errors()}")
        return HttpResponseRedirect(sent.next_url or "/portal/")
    return HttpResponseBadRequest("SAMLRequest or SAMLResponse expected")


# -- OpenID Connect ----------------------------------------------------------------------------
_OIDC = "sso_oidc_requests"  # state -> what the callback needs (the session travels with the top-level redirect)
_OIDC_SIGN_OUT = "sso_oidc_sign_out"  # the state of a sign-out sent to the provider, checked when it sends the browser back


@require_GET
def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = selectors.provider_for_sign_in(provider_id=provider_id)
    if provider is None or provider.protocol != Protocol.OIDC:
        return HttpResponse(status=404)
    try:
        started = oidc.start(provider)
    except oidc.Refused as exc:
        return _refused(request, provider, exc.reason)
    pending = dict(list(request.session.get(_OIDC, {}).items())[-4:])  # a few tabs at once, no more
    pending[started.state] = {
        "provider": str(provider.pk),
        "nonce": started.nonce,
        "verifier": started.verifier,
        "next": _safe_next(request, request.GET.get(REDIRECT_FIELD_NAME, "")),
    }
    request.session[_OIDC] = pending
    return HttpResponseRedirect(started.url)


@require_GET
def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The authorization response: state from this browser's session, the code exchanged with its PKCE verifier,
    the ID token verified, claims completed from userinfo."""
    provider = selectors.provider_for_sign_in(provider_id=provider_id)
    if provider is None or provider.protocol != Protocol.OIDC:
        return HttpResponse(status=404)
    pending = request.session.get(_OIDC, {})
    sent = pending.pop(request.GET.get("state", ""), None)
    request.session[_OIDC] = pending
    if sent is None or sent["provider"] != str(provider.pk):
        return _refused(request, provider, "state names no pending request of this browser")
    if "error" in request.GET or not request.GET.get("code"):
        return _refused(request, provider, f"authorization refused: {request.GET.get('error', 'no code')}")
    try:
        tokens = oidc.exchange(provider, code=request.GET["code"], verifier=sent["verifier"])
        claims = oidc.verify_id_token(provider, tokens["id_token"], nonce=sent["nonce"])
        names = (provider.first_name_attribute, "given_name", "name")
        if not claims.get(provider.email_attribute) or not any(claims.get(n) for n in names):
            extra = oidc.userinfo(provider, str(tokens.get("access_token", "")))
            if extra.get("sub") == claims.get("sub"):  # OpenID Connect Core 5.3.2
                claims = {**extra, **claims}
    except oidc.Refused as exc:
        return _refused(request, provider, exc.reason)
    if claims.get("email_verified") is False:
        return _refused(request, provider, "the provider has not verified the email address")
    first = str(claims.get(provider.first_name_attribute) or claims.get("given_name") or "")
    last = str(claims.get(provider.last_name_attribute) or claims.get("family_name") or "")
    if not first and not last:
        first = str(claims.get("name") or "")
    groups = claims.get(provider.groups_attribute) if provider.groups_attribute else None
    identity = services.Identity(
        email=str(claims.get(provider.email_attribute) or ""),
        first_name=first,
        last_name=last,
        groups=tuple(str(g) for g in groups) if isinstance(groups, list) else (),
    )
    record = {"name_id": str(claims.get("sub", "")), "name_id_format": "oidc", "id_token": str(tokens["id_token"])}
    return _sign_in(request, provider, identity, sent["next"], record)


@require_GET
def oidc_signed_out(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The provider sends the browser back after signing it out (``post_logout_redirect_uri``): the ``state`` must be
    the one this browser was sent with, used once."""
    provider = selectors.provider_for_sign_in(provider_id=provider_id)
    if provider is None or provider.protocol != Protocol.OIDC:
        return HttpResponse(status=404)
    sent = request.session.pop(_OIDC_SIGN_OUT, None)
    state = request.GET.get("state", "")
    if not sent or sent["provider"] != str(provider.pk) or not secrets.compare_digest(sent["state"], state):
        return _refused(request, provider, "sign-out answer with a state this browser was not sent with")
    return HttpResponseRedirect("/portal/")
