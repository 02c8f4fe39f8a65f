"""Building OAuth applications and getting tokens through the real token endpoint."""

from __future__ import annotations

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from django.test import Client

from accounts.models import Application, Organization

LOOPBACK_REDIRECT = "http://127.0.0.1:8765/callback"
WEB_REDIRECT = "https://partner.example/callback"


def make_app(
    *,
    organization: Organization | None = None,
    grant: str = Application.GRANT_AUTHORIZATION_CODE,
    client_type: str = Application.CLIENT_CONFIDENTIAL,
    scopes: list[str] | None = None,
    redirect_uris: str = f"{LOOPBACK_REDIRECT} {WEB_REDIRECT}",
    **fields: Any,
) -> tuple[Application, str]:
    """An application validated like the console does (full_clean), with its secret in clear (shown once)."""
    app = Application(
        name=fields.pop("name", "Partner app"),
        organization=organization,
        client_type=client_type,
        authorization_grant_type=grant,
        redirect_uris=redirect_uris if grant == Application.GRANT_AUTHORIZATION_CODE else "",
        allowed_scopes=scopes or [],
        **fields,
    )
    secret = app.client_secret
    app.full_clean()
    app.save()
    return app, secret


def token_response(client: Client, app: Application, secret: str, **data: str) -> Any:
    """POST /o/token/ with HTTP Basic client authentication (RFC 6749 section 2.3.1)."""
    import base64

    basic = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
    return client.post("/o/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")


def client_credentials_token(app: Application, secret: str, scope: str) -> str:
    response = token_response(Client(), app, secret, grant_type="client_credentials", scope=scope)
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


def password_token(
    app: Application, secret: str, email: str, scope: str, organization: Organization | None = None
) -> dict[str, Any]:
    data = {"grant_type": "password", "username": email, "password": "correct-horse-battery", "scope": scope}
    if organization is not None:
        data["organization"] = str(organization.pk)
    response = token_response(Client(), app, secret, **data)
    assert response.status_code == 200, response.content
    return dict(response.json())


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "selects": {}})
        elif tag == "input" and self.forms and a.get("name") and a.get("type") not in ("submit", "button"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select" and self.forms and a.get("name"):
            self.forms[-1]["selects"][a["name"]] = []
            self._select = a["name"]
        elif tag == "option" and self.forms and getattr(self, "_select", None):
            self.forms[-1]["selects"][self._select].append(a.get("value"))


def form_on(html: str, action_endswith: str) -> dict[str, Any]:
    """The fields (hidden and filled-in inputs) and select options of the page's form posting to ``action_endswith``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if form["action"].endswith(action_endswith):
            return form
    raise AssertionError(f"no form posting to {action_endswith} in the page")


def authorize_path(app: Application, redirect_uri: str, scope: str = "openid", state: str = "s1") -> str:
    """``/o/authorize/?...``: an authorization code request with PKCE (S256) that the consent page accepts."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return "/o/authorize/?" + urlencode(query)
