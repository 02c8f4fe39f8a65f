"""Access tokens as JWTs: the RFC 9068 profile, signed RS256.

The JWT saves no database read at the API: the API checks the signature and
``exp`` first (a forged or stale token costs no query), then still looks the
token up so a revocation takes effect at once.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from django.conf import settings
from jwcrypto import jwt
from jwcrypto.common import JWException, base64url_decode
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request as OAuthRequest

from accounts.oauth import keys

ACCESS_TOKEN_TYPE = "at+jwt"  # RFC 9068 section 2.1


class InvalidAccessToken(Exception):
    """The token is not a JWT the platform signed, or it has expired; the message says which."""


def issuer() -> str:
    """The authorization server's issuer identifier (``iss``; RFC 8414 section 2), as the toolkit publishes it."""
    return str(oauth2_settings.OIDC_ISS_ENDPOINT)


def organization_id_of(request: OAuthRequest) -> Any:
    """The organization a token request is for: the consent's, the grant's or the refresh token's, or the
    client-credentials application's own."""
    found = getattr(request, "organization_id", None)
    if found is None and request.client is not None and request.grant_type == "client_credentials":
        found = request.client.organization_id
    return found


def signed_access_token(request: OAuthRequest) -> str:
    """oauthlib's ``token_generator``: the access token for ``request``, a JWT (RFC 9068 section 2.2)."""
    now = int(time.time())
    client = request.client
    user = request.user
    organization_id = organization_id_of(request)
    claims = {
        "iss": issuer(),
        "sub": str(user.pk) if user is not None else client.client_id,
        "aud": settings.OAUTH_JWT_AUDIENCE,
        "exp": now + int(oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS),
        "iat": now,
        "jti": str(uuid.uuid4()),
        "client_id": client.client_id,
        "scope": " ".join(request.scopes or []),
        "org": str(organization_id) if organization_id is not None else None,
    }
    key = keys.signing_key()
    token = jwt.JWT(header={"alg": "RS256", "typ": ACCESS_TOKEN_TYPE, "kid": key.thumbprint()}, claims=claims)
    token.make_signed_token(key)
    return str(token.serialize())


def decode_access_token(raw: str) -> dict[str, Any]:
    """The claims of an access token the platform signed and that has not expired; raises InvalidAccessToken."""
    try:
        header = _header(raw)
    except ValueError:
        raise InvalidAccessToken("malformed token") from None
    if header.get("typ") != ACCESS_TOKEN_TYPE or header.get("alg") != "RS256":
        raise InvalidAccessToken("not an access token")
    key = keys.verification_keys().get(str(header.get("kid")))
    if key is None:
        raise InvalidAccessToken("unknown signing key")
    token = jwt.JWT(
        algs=["RS256"],
        check_claims={"exp": None, "iss": issuer(), "aud": settings.OAUTH_JWT_AUDIENCE},
        expected_type="JWS",
    )
    token.leeway = 0  # one clock: the server that signs is the one that checks
    try:
        token.deserialize(raw, key)
    except jwt.JWTExpired:
        raise InvalidAccessToken("token expired") from None
    except (ValueError, JWException):
        raise InvalidAccessToken("bad signature or claims") from None
    claims: dict[str, Any] = json.loads(token.claims)
    return claims


def _header(raw: str) -> dict[str, Any]:
    """The JOSE header of a compact JWS, unverified (only to pick the key)."""
    segments = raw.split(".")
    if len(segments) != 3:
        raise ValueError("not a compact JWS")
    header = json.loads(base64url_decode(segments[0]))
    if not isinstance(header, dict):
        raise ValueError("no header")
    return header
