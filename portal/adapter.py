"""The platform's rules inside allauth's flows (ACCOUNT_ADAPTER)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from accounts import services
from accounts.signin import SsoRequired, password_sign_in_refused
from core.net import client_ip
from sso import web as sso_web


class PortalAccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address as everywhere on the platform: X-Forwarded-For only behind NUM_PROXIES trusted proxies."""
        return client_ip(request.META) or super().get_client_ip(request)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """allauth's password check, then the organization's single sign-on rule: a member of an organization that
        enforces it is refused with ``SsoRequired`` (a form error; the password grant answers ``invalid_grant``)."""
        user = super().authenticate(request, **credentials)
        if user is not None and password_sign_in_refused(user):
            services.auth_failure_record(
                ip=client_ip(request.META), method="password", reason="single sign-on enforced", email=user.email[:254]
            )
            raise SsoRequired("Your organization signs in with single sign-on: use “Sign in with SSO”.", code="sso_required")
        return user

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Refused without checking the password (too many failed attempts): audited as ``auth.failed`` too.

        A wrong password is audited by Django's ``user_login_failed`` signal (accounts.apps).
        """
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            services.auth_failure_record(
                ip=client_ip(request.META),
                method="password",
                reason="too many failed sign-ins",
                email=str(credentials.get("email") or credentials.get("username") or "")[:254],
            )
            raise

    def logout(self, request: HttpRequest) -> None:
        """Sign out; a session single sign-on opened is signed out at its provider too (SAML single logout, OpenID
        Connect RP-initiated logout): the browser is sent there next, through ``sso:sign-out-continue``."""
        opened = sso_web.opened_by_sso(request)
        super().logout(request)
        if opened is not None:
            sso_web.continue_at_provider(request, sso_web.sign_out_at_provider(request, opened))

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """Asked before the sign-out (allauth's LogoutView): a session SSO opened continues at the provider."""
        if sso_web.opened_by_sso(request) is not None:
            return reverse("sso:sign-out-continue")
        return str(super().get_logout_redirect_url(request))
