"""An OpenID provider on 127.0.0.1 (Okta's paths): discovery (OpenID Connect Discovery 1.0), the authorization
endpoint of the code flow with PKCE (the user is signed in there already), the token endpoint with
client_secret_basic, userinfo with a bearer token, the JWKS, and the end_session_endpoint of RP-Initiated Logout 1.0.

Which claims go into the ID token is chosen per test (``id_token_claims``); userinfo always answers them all, as
Okta does for an ID token minted without the profile claims. Error bodies are RFC 6749 section 5.2's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from jwcrypto import jwk, jwt

from tests.fakes.server import FakeVendor, Reply, Request

BASE = "/oauth2/default"


class FakeOpenIDProvider(FakeVendor):
    def __init__(self, *, client_id: str = "0oa1platform", client_secret: str = "okta-client-secret") -> None:
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.key = jwk.JWK.generate(kty="RSA", size=2048, kid="okta-key-1")
        self.user: dict[str, Any] = {
            "sub": "00u1ada",
            "email": "ada@acme.example",
            "email_verified": True,
            "given_name": "Ada",
            "family_name": "Lovelace",
            "groups": ["event-admins"],
        }
        self.id_token_claims: set[str] | None = None  # None: every claim of ``user``; else only these (and sub)
        self.userinfo_sub: str | None = None  # answer userinfo for another subject (a mix-up the RP must catch)
        self.userinfo_status = 200  # another status: userinfo fails with it
        self.publish_end_session = True
        self.post_logout_redirect_uris: list[str] = []
        self.signed_out: list[dict[str, str]] = []
        self._codes: dict[str, dict[str, str]] = {}
        self._access_tokens: set[str] = set()
        self.route("GET", f"{BASE}/.well-known/openid-configuration", self.discovery)
        self.route("GET", f"{BASE}/v1/keys", lambda r: (200, {}, {"keys": [json.loads(self.key.export_public())]}))
        self.route("GET", f"{BASE}/v1/authorize", self.authorize)
        self.route("POST", f"{BASE}/v1/token", self.token)
        self.route("GET", f"{BASE}/v1/userinfo", self.userinfo)
        self.route("GET", f"{BASE}/v1/logout", self.logout)

    @property
    def issuer(self) -> str:
        return f"{self.url}{BASE}"

    # -- endpoints ---------------------------------------------------------------------------
    def discovery(self, request: Request) -> Reply:
        doc = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/v1/authorize",
            "token_endpoint": f"{self.issuer}/v1/token",
            "userinfo_endpoint": f"{self.issuer}/v1/userinfo",
            "jwks_uri": f"{self.issuer}/v1/keys",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }
        if self.publish_end_session:
            doc["end_session_endpoint"] = f"{self.issuer}/v1/logout"
        return 200, {}, doc

    def authorize(self, request: Request) -> Reply:
        q = {k: v[0] for k, v in request.query.items()}
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return 400, {}, {"error": "invalid_request", "error_description": "unknown client or response type"}
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return 400, {}, {"error": "invalid_request", "error_description": "PKCE S256 is required"}
        code = secrets.token_urlsafe(16)
        self._codes[code] = q
        return 302, {"Location": f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}"}, b""

    def _client_ok(self, request: Request) -> bool:
        header = request.header("Authorization")
        if not header.startswith("Basic "):
            return False
        return base64.b64decode(header[6:]).decode() == f"{self.client_id}:{self.client_secret}"

    def token(self, request: Request) -> Reply:
        if not self._client_ok(request):
            return 401, {"WWW-Authenticate": 'Basic realm="okta"'}, {"error": "invalid_client"}
        form = request.form()
        sent = self._codes.pop(form.get("code", ""), None)
        if sent is None or form.get("grant_type") != "authorization_code" or form.get("redirect_uri") != sent["redirect_uri"]:
            return 400, {}, {"error": "invalid_grant", "error_description": "unknown, used or mismatched code"}
        challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest()).rstrip(b"=")
        if challenge.decode() != sent["code_challenge"]:
            return 400, {}, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        access = secrets.token_urlsafe(24)
        self._access_tokens.add(access)
        claims = {k: v for k, v in self.user.items() if self.id_token_claims is None or k in self.id_token_claims | {"sub"}}
        id_token = self.id_token(nonce=sent.get("nonce", ""), **claims)
        return (
            200,
            {"Cache-Control": "no-store"},
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": sent.get("scope", ""),
                "id_token": id_token,
            },
        )

    def id_token(self, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 3600, **claims}
        token = jwt.JWT(header={"alg": "RS256", "kid": self.key.key_id}, claims=json.dumps(body))
        token.make_signed_token(self.key)
        return str(token.serialize())

    def userinfo(self, request: Request) -> Reply:
        header = request.header("Authorization")
        if not header.startswith("Bearer ") or header[7:] not in self._access_tokens:
            return 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, {"error": "invalid_token"}
        if self.userinfo_status != 200:
            return self.userinfo_status, {}, {"error": "server_error"}
        return 200, {}, {**self.user, **({"sub": self.userinfo_sub} if self.userinfo_sub else {})}

    def logout(self, request: Request) -> Reply:
        """RP-Initiated Logout 1.0 section 2: the hint must be an ID token this provider issued to the client, the
        redirect one the client registered; the browser goes back there with ``state``."""
        q = {k: v[0] for k, v in request.query.items()}
        try:
            hint = json.loads(jwt.JWT(jwt=q.get("id_token_hint", ""), key=self.key, check_claims=False).claims)
        except Exception:
            return 400, {"Content-Type": "text/html"}, b"<p>Invalid id_token_hint</p>"
        if hint.get("aud") != self.client_id or q.get("client_id", self.client_id) != self.client_id:
            return 400, {"Content-Type": "text/html"}, b"<p>The hint was issued to another client</p>"
        target = q.get("post_logout_redirect_uri", "")
        if target not in self.post_logout_redirect_uris:
            return 400, {"Content-Type": "text/html"}, b"<p>post_logout_redirect_uri is not registered</p>"
        self.signed_out.append({"sub": str(hint.get("sub")), **q})
        back = f"{target}?{urlencode({'state': q['state']})}" if q.get("state") else target
        return 302, {"Location": back}, b""
