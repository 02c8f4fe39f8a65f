"""The platform's rules on top of django-oauth-toolkit's validator.

- Every token is for one organization: the one the user picked on the consent
  page (kept on the Grant), the refresh token's, or a client-credentials
  application's own. The access token row and its JWT carry it.
- The password grant only for first-party applications (RFC 9700 section 2.4
  forbids it; the toolkit's gate is on and this lets first-party apps through).
- The implicit grant is refused with an error that points to the code flow
  with PKCE (RFC 9700 section 2.1.2).
- Audit entries: tokens issued, refreshed and revoked, a replayed refresh
  token (its family revoked) and failed client authentication.
- Client secrets are checked with a fast keyed hash (accounts.oauth.hashers);
  an older PBKDF2 hash moves to it at its next successful use.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import unquote_plus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth2.rfc6749 import errors

from accounts import selectors, services
from accounts.models import AccessToken, Application, Grant, RefreshToken, User
from accounts.oauth.hashers import check_client_secret
from accounts.oauth.tokens import organization_id_of
from accounts.scopes import SCOPES
from core.net import client_ip
from core.secrets import digest

IMPLICIT_RESPONSE_TYPES = frozenset({"token", "id_token", "id_token token", "code token", "code id_token", "code id_token token"})
PKCE_HINT = (
    "The implicit grant is not offered (RFC 9700 section 2.1.2). Use the authorization code grant "
    "(response_type=code) with PKCE: code_challenge_method=S256."
)


class ApplicationScopes(BaseScopes):
    """The platform's scopes; an application may ask only for its ``allowed_scopes`` (all when empty)."""

    def get_all_scopes(self) -> dict[str, str]:
        return {name: description for name, (description, _) in SCOPES.items()}

    def get_available_scopes(
        self, application: Application | None = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if application is not None and application.allowed_scopes:
            return list(application.allowed_scopes)
        return list(SCOPES)

    def get_default_scopes(
        self, application: Application | None = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return list(application.allowed_scopes) if application is not None else []


class PlatformOAuth2Validator(OAuth2Validator):
    # OpenID Connect claims (Core 5.4) come from the user's profile; the scope that releases each.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "org": "openid"}

    # -- grants and response types ---------------------------------------------------------------
    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Application, request: OAuthRequest, *args: Any, **kwargs: Any
    ) -> bool:
        if grant_type == "password":
            # The toolkit's RFC 9700 gate refuses the password grant for everyone; the platform keeps it
            # for applications a platform administrator flagged first-party.
            return bool(client.first_party and client.allows_grant_type(Application.GRANT_PASSWORD))
        return bool(super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs))

    def validate_response_type(
        self, client_id: str, response_type: str, client: Application, request: OAuthRequest, *args: Any, **kwargs: Any
    ) -> bool:
        if response_type in IMPLICIT_RESPONSE_TYPES:
            raise errors.UnsupportedResponseTypeError(description=PKCE_HINT, request=request)
        return bool(super().validate_response_type(client_id, response_type, client, request, *args, **kwargs))

    # OpenID Connect Core 3.1.2.1, prompt=none: the user is signed in by the time the toolkit asks (the
    # authorization view requires it), but consent is never silent: it is where the organization is chosen.
    def validate_silent_login(self, request: OAuthRequest) -> bool:
        return True

    def validate_silent_authorization(self, request: OAuthRequest) -> bool:
        return False

    # -- the organization of each grant ----------------------------------------------------------
    def _create_authorization_code(self, request: OAuthRequest, code: dict[str, str], expires: Any = None) -> Grant:
        grant: Grant = super()._create_authorization_code(request, code, expires)
        # The consent page put the organization the user picked in the credentials (accounts.oauth.views).
        grant.organization_id = request.organization_id
        grant.save(update_fields=["organization"])
        return grant

    def validate_code(
        self, client_id: str, code: str, client: Application, request: OAuthRequest, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        request.organization_id = (
            Grant.objects.filter(code=code, application=client).values_list("organization_id", flat=True).first()
        )
        return request.organization_id is not None

    def validate_refresh_token(
        self, refresh_token: str, client: Application, request: OAuthRequest, *args: Any, **kwargs: Any
    ) -> bool:
        # A refresh token already revoked is a replay: its organization has to be read before the toolkit
        # revokes the family (and deletes its access tokens), for the audit entry.
        checksum = digest(refresh_token)
        replayed = (
            RefreshToken.objects.filter(token_checksum=checksum, revoked__isnull=False).select_related("application").first()
        )
        organization_id = selectors.oauth_refresh_token_organization(refresh_token=replayed) if replayed is not None else None
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            if replayed is not None and replayed.token_family:
                services.oauth_record_replay(refresh_token=replayed, organization_id=organization_id, ip=_ip(request))
            return False
        access_token = request.refresh_token_instance.access_token
        request.organization_id = access_token.organization_id
        # A user who left the organization keeps no access to it through an old grant.
        return selectors.membership_for(user=request.user, organization_id=request.organization_id) is not None

    def validate_user(
        self, username: str, password: str, client: Application, request: OAuthRequest, *args: Any, **kwargs: Any
    ) -> bool:
        """The password grant (first-party applications): the user's organization is the one named by the
        ``organization`` parameter, else the application's, else the user's first.

        The password goes through the platform's one sign-in check (allauth's adapter), so its failures
        count against the same per-account and per-address limits as every other sign-in. A user with an
        authenticator is refused: this grant cannot carry the second factor (RFC 6749 section 4.3 has no
        place for it), and such a user signs in through the authorization code flow instead.
        """
        from allauth.account.adapter import get_adapter
        from django import forms

        from accounts.signin import SsoRequired, has_second_factor

        http_request = self.build_http_request(request)
        try:
            user = get_adapter(http_request).authenticate(http_request, email=username, password=password)
        except SsoRequired:  # the organization enforces single sign-on (audited by the adapter)
            raise errors.InvalidGrantError(
                description="This organization signs in with single sign-on; use the authorization code flow.",
                request=request,
            )
        except forms.ValidationError:  # allauth's too_many_login_attempts
            services.auth_failure_record(
                ip=_ip(request), method="oauth_password", reason="too many failed sign-ins", client=client, email=username[:254]
            )
            raise errors.InvalidGrantError(
                description="Too many failed sign-in attempts for this account or from this address; try again later.",
                request=request,
            )
        except ValueError:  # a NUL byte in the username (the toolkit's own guard)
            user = None
        if user is None or not user.is_active:
            services.auth_failure_record(
                ip=_ip(request),
                method="oauth_password",
                reason="wrong username or password",
                client=client,
                organization_id=client.organization_id,
            )
            return False
        if has_second_factor(user):
            services.auth_failure_record(
                ip=_ip(request), method="oauth_password", reason="two-factor required", client=client, email=username[:254]
            )
            raise errors.InvalidGrantError(
                description="This account signs in with a second factor, which the password grant cannot carry; "
                "use the authorization code flow.",
                request=request,
            )
        request.user = user
        named = getattr(request, "organization", None) or client.organization_id
        try:
            membership = selectors.membership_for(user=request.user, organization_id=named)
        except (ValueError, DjangoValidationError):  # a malformed organization id
            membership = None
        if membership is None:
            return False
        request.organization_id = membership.organization_id
        return True

    def _create_access_token(
        self, expires: Any, request: OAuthRequest, token: dict[str, Any], source_refresh_token: Any = None
    ) -> AccessToken:
        id_token = token.get("id_token")
        access_token = AccessToken(
            user=request.user,
            scope=token["scope"],
            expires=expires,
            id_token=self._load_id_token(id_token) if id_token else None,
            application=request.client,
            source_refresh_token=source_refresh_token,
            resource=getattr(request, "resource", []),
            organization_id=organization_id_of(request),
        )
        self._set_token_value(access_token, token["access_token"])
        access_token.save()
        request.issued_access_token = access_token
        return access_token

    # -- audit -----------------------------------------------------------------------------------
    def save_bearer_token(self, token: dict[str, Any], request: OAuthRequest, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            result = super().save_bearer_token(token, request, *args, **kwargs)
            issued = getattr(request, "issued_access_token", None)
            if issued is not None:
                services.oauth_record_issued(
                    access_token=issued, grant_type=request.grant_type, with_refresh="refresh_token" in token
                )
            return result

    def revoke_token(self, token: str, token_type_hint: str | None, request: OAuthRequest, *args: Any, **kwargs: Any) -> None:
        checksum = digest(token)
        client = request.client
        with transaction.atomic():
            found: list[tuple[AccessToken | RefreshToken, Any]] = [
                (t, t.organization_id) for t in AccessToken.objects.filter(token_checksum=checksum, application=client)
            ]
            found += [
                (t, selectors.oauth_refresh_token_organization(refresh_token=t))
                for t in RefreshToken.objects.filter(token_checksum=checksum, application=client, revoked__isnull=True)
            ]
            super().revoke_token(token, token_type_hint, request, *args, **kwargs)
            for revoked, organization_id in found:
                services.oauth_record_revoked(actor=client, token=revoked, organization_id=organization_id)

    # -- client authentication (RFC 6749 section 2.3.1) -------------------------------------------
    def _check_secret(self, provided_secret: str, stored_secret: str) -> bool:
        # The toolkit checks with Django's password hashers (1,000,000 PBKDF2 iterations a request); a client
        # secret is random, so a keyed hash is as safe and costs microseconds (accounts.oauth.hashers).
        matched, rehashed = check_client_secret(provided_secret or "", stored_secret or "")
        if rehashed is not None:
            services.oauth_client_secret_rehash(stored=stored_secret, new=rehashed)
        return matched

    def authenticate_client(self, request: OAuthRequest, *args: Any, **kwargs: Any) -> bool:
        if super().authenticate_client(request, *args, **kwargs):
            return True
        client_id = basic_client_id(self._extract_basic_auth(request)) or getattr(request, "client_id", None)
        if client_id:
            client = Application.objects.filter(client_id=client_id).first()
            services.auth_failure_record(
                ip=_ip(request),
                method="oauth_client",
                reason="client authentication failed",
                client=client,
                organization_id=client.organization_id if client else None,
            )
        return False

    # -- OpenID Connect claims -------------------------------------------------------------------
    def get_additional_claims(self, request: OAuthRequest) -> dict[str, Any]:
        user = request.user
        assert isinstance(user, User)
        return {
            "name": user.get_full_name(),
            "locale": user.locale,
            "zoneinfo": user.time_zone,
            "email": user.email,
            "org": str(organization_id_of(request)) if organization_id_of(request) else None,
        }


def basic_client_id(basic: str | None) -> str | None:
    """The client id of HTTP Basic client credentials (RFC 6749 section 2.3.1), unverified."""
    if not basic:
        return None
    try:
        return unquote_plus(base64.b64decode(basic).decode().split(":", 1)[0]) or None
    except (ValueError, UnicodeDecodeError):
        return None


def _ip(request: OAuthRequest) -> str:
    return client_ip(request.headers)
