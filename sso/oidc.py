"""The platform as an OpenID Connect relying party: authorization code with PKCE, state and nonce (ADR 0021).

The ID token is verified with jwcrypto against the provider's JWKS (fetched from its discovery document and
fetched again once when a token names a key id it does not hold: the provider rotated its keys), then
``iss``, ``aud`` (and ``azp`` when there are several audiences), ``exp``, ``iat`` and ``nonce`` are checked
(OpenID Connect Core 1.0 section 3.1.3.7). Claims the ID token lacks are read from the userinfo endpoint.
Signing out sends the browser to the provider's ``end_session_endpoint`` (RP-Initiated Logout 1.0), whose answer
must carry back the ``state`` this browser was given.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from jwcrypto import jwk, jwt

from core import secrets as core_secrets
from sso.models import IdentityProvider

CLOCK_SKEW_SECONDS = 120
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]  # never "none" or a shared-secret HMAC
SCOPE = "openid email profile"


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def redirect_uri(provider: IdentityProvider) -> str:
    return settings.SITE_URL + reverse("sso:oidc-callback", args=[provider.pk])


def _get_json(url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.SSO_HTTP_TIMEOUT, **kwargs)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise Refused(f"{url}: {exc}") from None
    if not isinstance(data, dict):
        raise Refused(f"{url}: not a JSON object")
    return data


def discovery(provider: IdentityProvider) -> dict[str, Any]:
    """The provider's discovery document (cached an hour); its ``issuer`` must be the one configured."""
    key = f"sso:oidc:discovery:{provider.pk}:{provider.issuer}"
    found = cache.get(key)
    if found is None:
        found = _get_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
        if found.get("issuer") != provider.issuer.rstrip("/") and found.get("issuer") != provider.issuer:
            raise Refused("the discovery document names another issuer")
        cache.set(key, found, 3600)
    return found


def _jwks(provider: IdentityProvider, *, refresh: bool = False) -> jwk.JWKSet:
    key = f"sso:oidc:jwks:{provider.pk}"
    raw = None if refresh else cache.get(key)
    if raw is None:
        raw = json.dumps(_get_json(discovery(provider)["jwks_uri"]))
        cache.set(key, raw, 3600)
    return jwk.JWKSet.from_json(raw)


def _signing_key(provider: IdentityProvider, kid: str | None) -> jwk.JWK:
    keys = _jwks(provider)
    found = keys.get_key(kid) if kid else None
    if found is None:  # a key the provider added since: fetch the set once more (rotation)
        found = _jwks(provider, refresh=True).get_key(kid) if kid else None
    if found is None:
        raise Refused("the ID token is signed by a key the provider does not publish")
    return found


@dataclass(frozen=True, kw_only=True)
class Started:
    url: str
    state: str
    nonce: str
    verifier: str


def start(provider: IdentityProvider) -> Started:
    """The authorization request (code flow, PKCE S256, state, nonce)."""
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri(provider),
        "scope": SCOPE,
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return Started(
        url=f"{discovery(provider)['authorization_endpoint']}?{urlencode(query)}", state=state, nonce=nonce, verifier=verifier
    )


def exchange(provider: IdentityProvider, *, code: str, verifier: str) -> dict[str, Any]:
    """The token response for ``code`` (client_secret_basic, RFC 6749 section 2.3.1; PKCE RFC 7636)."""
    try:
        response = requests.post(
            discovery(provider)["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri(provider),
                "code_verifier": verifier,
            },
            auth=(provider.client_id, core_secrets.decrypt(provider.client_secret)),
            timeout=settings.SSO_HTTP_TIMEOUT,
        )
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise Refused(f"token endpoint: {exc}") from None
    if response.status_code != 200 or not isinstance(body, dict) or not body.get("id_token"):
        raise Refused(f"token endpoint answered {response.status_code}: {str(body)[:200]}")
    return body


def verify_id_token(provider: IdentityProvider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce are right; raises Refused."""
    try:
        header = _header(id_token)
        key = _signing_key(provider, header.get("kid"))
        token = jwt.JWT(jwt=id_token, key=key, algs=ALGORITHMS, check_claims=False)
        claims = json.loads(token.claims)
    except Refused:
        raise
    except Exception as exc:  # jwcrypto's InvalidJWSSignature, JWException, malformed tokens
        raise Refused(f"ID token signature: {exc}") from None
    now = time.time()
    issuer = discovery(provider)["issuer"]
    audiences = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
    if claims.get("iss") != issuer:
        raise Refused("ID token iss is not the provider's issuer")
    if provider.client_id not in audiences:
        raise Refused("ID token aud does not name this client")
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise Refused("ID token azp does not name this client")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] + CLOCK_SKEW_SECONDS < now:
        raise Refused("ID token expired")
    if isinstance(claims.get("iat"), int | float) and claims["iat"] - CLOCK_SKEW_SECONDS > now:
        raise Refused("ID token issued in the future")
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise Refused("ID token nonce does not match")
    return dict(claims)


def _header(token: str) -> dict[str, Any]:
    try:
        head = token.split(".")[0]
        parsed = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, IndexError) as exc:
        raise Refused(f"ID token malformed: {exc}") from None
    if not isinstance(parsed, dict) or parsed.get("alg") not in ALGORITHMS:
        raise Refused("ID token algorithm not accepted")
    return parsed


def post_logout_redirect_uri(provider: IdentityProvider) -> str:
    return settings.SITE_URL + reverse("sso:oidc-signed-out", args=[provider.pk])


def end_session_url(provider: IdentityProvider, *, id_token: str, state: str) -> str | None:
    """Where to send the browser to sign out at the provider too (OpenID Connect RP-Initiated Logout 1.0 section 2):
    its ``end_session_endpoint`` with ``id_token_hint``, ``client_id``, ``post_logout_redirect_uri`` and ``state``;
    None when the provider publishes no such endpoint. Raises Refused when its discovery document cannot be read."""
    endpoint = discovery(provider).get("end_session_endpoint")
    if not endpoint:
        return None
    query = {"client_id": provider.client_id, "post_logout_redirect_uri": post_logout_redirect_uri(provider), "state": state}
    if id_token:
        query["id_token_hint"] = id_token
    separator = "&" if "?" in str(endpoint) else "?"
    return f"{endpoint}{separator}{urlencode(query)}"


def userinfo(provider: IdentityProvider, access_token: str) -> dict[str, Any]:
    endpoint = discovery(provider).get("userinfo_endpoint")
    if not endpoint:
        return {}
    return _get_json(endpoint, headers={"Authorization": f"Bearer {access_token}"})
