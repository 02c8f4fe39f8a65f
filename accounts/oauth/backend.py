"""Every OAuth error response says what went wrong: an ``error_description`` beside the ``error`` code.

oauthlib leaves the description empty for most errors (``{"error": "invalid_client"}``),
which tells a developer nothing. RFC 6749 section 5.2 defines ``error_description``
as human-readable text that helps the client developer understand the error; the
toolkit's backend is swapped for ``PlatformOAuthLibCore`` (``OAUTH2_BACKEND_CLASS``),
which fills it in from ``DESCRIPTIONS`` wherever oauthlib gave none: in the JSON
bodies of the token, revocation and userinfo endpoints, and in the error redirects
of the authorization endpoint. A description oauthlib or the platform gave is kept.
"""

from __future__ import annotations

import json
from typing import Any

from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.oauth2_backends import OAuthLibCore
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

DESCRIPTIONS: dict[str, str] = {
    # RFC 6749 section 5.2: the token endpoint (and, through RFC 7009 section 2.2.1 and RFC 7662 section 2.3,
    # revocation and introspection).
    "invalid_request": (
        "The request is missing a required parameter, has an unsupported parameter value, repeats a parameter "
        "or is otherwise malformed."
    ),
    "invalid_client": (
        "Client authentication failed: the client is unknown, the secret is wrong, or no client authentication "
        "was included (send client_id and client_secret with HTTP Basic)."
    ),
    "invalid_grant": (
        "The authorization code or refresh token is invalid, expired, revoked or already used, does not match the "
        "redirect URI or PKCE code verifier, or was issued to another client."
    ),
    "unauthorized_client": "This client is not authorized to use this grant type.",
    "unsupported_grant_type": (
        "The grant type is not offered: use authorization_code (with PKCE), client_credentials or refresh_token."
    ),
    "invalid_scope": "The requested scope is unknown, malformed, or beyond the scopes this application may ask for.",
    # RFC 6749 section 4.1.2.1: the authorization endpoint.
    "access_denied": "The user or the authorization server denied the request.",
    "unsupported_response_type": "This response type is not offered: use response_type=code with PKCE.",
    "server_error": "The authorization server met an unexpected condition.",
    "temporarily_unavailable": "The authorization server is temporarily unable to handle the request; try again later.",
    # RFC 7009 section 2.2.1: revocation.
    "unsupported_token_type": "This token type cannot be revoked here: revoke an access_token or a refresh_token.",
    # RFC 6750 section 3.1: the userinfo endpoint's bearer token.
    "invalid_token": "The access token is expired, revoked, malformed or invalid.",
    "insufficient_scope": "The access token does not have the scope this request needs.",
    # OpenID Connect Core 1.0 section 3.1.2.6.
    "login_required": "The user is not signed in.",
    "consent_required": "The user has to consent on the consent page.",
    "interaction_required": "The user has to interact with the authorization server.",
    "account_selection_required": "The user has to choose an account.",
    "invalid_request_uri": "The request_uri is invalid.",
    "invalid_request_object": "The request object is invalid.",
    "request_not_supported": "The request parameter is not supported.",
    "request_uri_not_supported": "The request_uri parameter is not supported.",
    "registration_not_supported": "The registration parameter is not supported.",
}
FALLBACK = "The request was refused; see RFC 6749 section 5.2 for the meaning of the error code."


def describe(error: OAuth2Error) -> OAuth2Error:
    """``error`` with a description when oauthlib gave it none."""
    if not error.description:
        error.description = DESCRIPTIONS.get(error.error or "", FALLBACK)
    return error


def described(body: Any) -> Any:
    """A JSON error body (``{"error": ...}``) with an ``error_description``; any other body as it is."""
    if not body:
        return body
    try:
        payload = json.loads(body)
    except (TypeError, ValueError):
        return body
    if not isinstance(payload, dict) or not payload.get("error") or payload.get("error_description"):
        return body
    payload["error_description"] = DESCRIPTIONS.get(str(payload["error"]), FALLBACK)
    return json.dumps(payload)


class PlatformOAuthLibCore(OAuthLibCore):
    """The toolkit's backend, with a description in every error it answers (RFC 6749 sections 4.1.2.1 and 5.2)."""

    def validate_authorization_request(self, request: Any) -> Any:
        try:
            return super().validate_authorization_request(request)
        except OAuthToolkitError as error:
            describe(error.oauthlib_error)
            raise

    def create_authorization_response(self, request: Any, scopes: Any, credentials: Any, allow: Any) -> Any:
        try:
            return super().create_authorization_response(request, scopes, credentials, allow)
        except OAuthToolkitError as error:
            describe(error.oauthlib_error)
            raise

    def create_token_response(self, request: Any) -> Any:
        return _answer(*super().create_token_response(request))

    def create_revocation_response(self, request: Any) -> Any:
        return _answer(*super().create_revocation_response(request))

    def create_userinfo_response(self, request: Any) -> Any:
        return _answer(*super().create_userinfo_response(request))


def _answer(uri: Any, headers: dict[str, str], body: Any, status: int) -> tuple[Any, dict[str, str], Any, int]:
    if status < 400:
        return uri, headers, body, status
    body = described(body)
    if status == 401 and '"invalid_client"' in str(body):
        # RFC 6749 section 5.2: a 401 invalid_client challenges with the scheme clients authenticate with (HTTP Basic,
        # section 2.3.1), where oauthlib names Bearer; the introspection endpoint answers the same.
        headers = {**headers, "WWW-Authenticate": 'Basic realm="oauth"'}
    return uri, headers, body, status
