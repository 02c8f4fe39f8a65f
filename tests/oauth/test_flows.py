"""The authorization server end to end, through the live server, with a real OAuth client library (authlib).

The browser is a requests session that fills in the sign-in and consent forms
as a person would; the client is authlib's OAuth2Session.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from accounts.models import AccessToken, Application, RefreshToken
from accounts.roles import Role
from core.models import AuditEntry
from tests.factories import MembershipFactory, OrganizationFactory, verified
from tests.oauth.helpers import LOOPBACK_REDIRECT, form_on, make_app

pytestmark = pytest.mark.django_db(transaction=True)

SCOPE = "openid profile email events:read events:write"


def _session(server: str, app: Application, secret: str, scope: str = SCOPE, **kwargs: Any) -> OAuth2Session:
    return OAuth2Session(
        app.client_id,
        secret,
        scope=scope,
        redirect_uri=LOOPBACK_REDIRECT,
        code_challenge_method="S256",
        token_endpoint=f"{server}/o/token/",
        **kwargs,
    )


def _consent_page(browser: requests.Session, url: str) -> requests.Response:
    page = browser.get(url)
    assert page.status_code == 200, page.text
    return page


def _authorize(
    server: str, browser: requests.Session, client: OAuth2Session, *, organization: Any, allow: bool = True
) -> tuple[str, str]:
    """Run the browser through consent; answer the authorization response (redirect) URL and the PKCE verifier."""
    verifier = generate_token(48)
    url, _state = client.create_authorization_url(f"{server}/o/authorize/", code_verifier=verifier, nonce="n-0S6")
    form = form_on(_consent_page(browser, url).text, "/o/authorize/")
    data = {**form["fields"], "organization": str(organization.pk)}
    if allow:
        data["allow"] = "on"
    answer = browser.post(f"{server}/o/authorize/", data=data, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"], verifier


def _tokens(server: str, browser: requests.Session, client: OAuth2Session, organization: Any) -> dict[str, Any]:
    location, verifier = _authorize(server, browser, client, organization=organization)
    return dict(client.fetch_token(authorization_response=location, code_verifier=verifier))


def _api(server: str, token: str, path: str = "/api/v1/ping") -> requests.Response:
    return requests.get(f"{server}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_authorization_code_with_pkce_through_sign_in_and_consent(server, browser, org, member):
    user = member(Role.EDITOR, email="ed@acme.example", name="Ed Itor")
    second = OrganizationFactory(name="Second Events")
    MembershipFactory(user=user, organization=second, role=Role.ADMIN)
    viewer_org = OrganizationFactory(name="Viewing Only")
    MembershipFactory(user=user, organization=viewer_org, role=Role.VIEWER)
    app, secret = make_app(organization=org, name="Acme Planner", description="Plans your events.")
    client = _session(server, app, secret)
    verifier = generate_token(48)
    url, state = client.create_authorization_url(f"{server}/o/authorize/", code_verifier=verifier, nonce="n-0S6")

    # Not signed in: the authorization endpoint sends the browser to the platform's sign-in page and back.
    verified(user)
    anonymous = requests.Session()
    login_page = anonymous.get(url)
    assert urlsplit(login_page.url).path == "/portal/accounts/login/" and "Sign in" in login_page.text
    form = form_on(login_page.text, "/portal/accounts/login/")
    assert form["fields"]["next"].startswith("/o/authorize/?")
    consent = anonymous.post(
        f"{server}/portal/accounts/login/",
        data={**form["fields"], "login": "ed@acme.example", "password": "correct-horse-battery"},
    )
    assert consent.status_code == 200 and urlsplit(consent.url).path == "/o/authorize/"

    # The consent page names the app, each scope with its description, and offers the organizations whose
    # role could exercise them (a viewer cannot write events).
    assert "Authorize Acme Planner" in consent.text and "Plans your events." in consent.text
    assert "Create, change, publish and cancel events" in consent.text and "<code>events:write</code>" in consent.text
    form = form_on(consent.text, "/o/authorize/")
    assert form["selects"]["organization"] == [str(org.pk), str(second.pk)]
    answer = anonymous.post(
        f"{server}/o/authorize/", data={**form["fields"], "organization": str(second.pk), "allow": "on"}, allow_redirects=False
    )
    assert answer.status_code == 302
    location = answer.headers["Location"]
    params = parse_qs(urlsplit(location).query)
    assert location.startswith(LOOPBACK_REDIRECT) and params["state"] == [state]
    assert params["iss"] == [f"{server}/o"]  # RFC 9207

    token = client.fetch_token(authorization_response=location, code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 600
    assert set(token["scope"].split()) == set(SCOPE.split()) and token["refresh_token"] and token["id_token"]

    # The access token is a JWT (RFC 9068) that verifies against the published JWKS by its kid.
    jwks = requests.get(f"{server}/o/.well-known/jwks.json", timeout=10).json()
    header = jwt.decode(token["access_token"], KeySet.import_key_set(jwks)).header
    assert header["typ"] == "at+jwt" and header["alg"] == "RS256" and header["kid"] in {k["kid"] for k in jwks["keys"]}
    claims = jwt.decode(token["access_token"], KeySet.import_key_set(jwks)).claims
    assert claims["iss"] == f"{server}/o" and claims["sub"] == str(user.pk) and claims["client_id"] == app.client_id
    assert claims["org"] == str(second.pk) and claims["exp"] - claims["iat"] == 600 and claims["jti"]
    assert set(claims["scope"].split()) == set(SCOPE.split()) and claims["aud"]

    # The ID token (OpenID Connect Core 2) and userinfo name the user.
    id_claims = jwt.decode(token["id_token"], KeySet.import_key_set(jwks)).claims
    assert id_claims["aud"] == app.client_id and id_claims["sub"] == str(user.pk) and id_claims["nonce"] == "n-0S6"
    assert id_claims["email"] == "ed@acme.example" and id_claims["iss"] == f"{server}/o"
    userinfo = _api(server, token["access_token"], "/o/userinfo/").json()
    assert userinfo["sub"] == str(user.pk) and userinfo["email"] == "ed@acme.example" and userinfo["name"] == "Ed Itor"

    # The API takes it: the user, in the organization picked, with their role there.
    ping = _api(server, token["access_token"]).json()
    assert ping["kind"] == "oauth" and ping["user"]["id"] == str(user.pk) and ping["role"] == "admin"
    assert ping["organization"]["id"] == str(second.pk)
    assert ping["client"] == {"type": "oauth_application", "clientId": app.client_id, "name": "Acme Planner"}
    assert ping["rateLimit"]["tier"] == "partner"
    assert _api(server, token["access_token"], "/api/v1/events").status_code == 200

    actions = set(AuditEntry.objects.filter(organization_id=second.pk).values_list("action", flat=True))
    assert {"oauth.consent_given", "oauth.token_issued"} <= actions


def test_discovery_documents_agree(server):
    oidc = requests.get(f"{server}/.well-known/openid-configuration", timeout=10).json()
    under_o = requests.get(f"{server}/o/.well-known/openid-configuration", timeout=10).json()
    rfc8414 = requests.get(f"{server}/.well-known/oauth-authorization-server", timeout=10).json()
    assert oidc == under_o
    assert oidc["issuer"] == rfc8414["issuer"] == f"{server}/o"
    assert oidc["jwks_uri"] == f"{server}/o/.well-known/jwks.json"
    assert oidc["code_challenge_methods_supported"] == rfc8414["code_challenge_methods_supported"] == ["S256"]
    assert oidc["response_types_supported"] == ["code"] and oidc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert rfc8414["authorization_response_iss_parameter_supported"] is True
    assert "implicit" not in rfc8414["grant_types_supported"] and "password" not in rfc8414["grant_types_supported"]
    assert rfc8414["introspection_endpoint"] == oidc["introspection_endpoint"] == f"{server}/o/introspect/"
    assert "events:write" in rfc8414["scopes_supported"]


def test_consent_denied_answers_access_denied(server, browser, org, member):
    member(Role.OWNER, email="own@acme.example")
    app, secret = make_app(organization=org)
    location, _ = _authorize(server, browser("own@acme.example"), _session(server, app, secret), organization=org, allow=False)
    params = parse_qs(urlsplit(location).query)
    assert params["error"] == ["access_denied"] and params["iss"] == [f"{server}/o"]
    assert AuditEntry.objects.filter(action="oauth.consent_denied", object_id=str(app.pk)).exists()
    assert not AccessToken.objects.exists()


def test_a_user_whose_role_cannot_exercise_the_scopes_is_told_so(server, browser, org, member):
    member(Role.VIEWER, email="view@acme.example")
    app, secret = make_app(organization=org)
    url, _ = _session(server, app, secret).create_authorization_url(f"{server}/o/authorize/", code_verifier=generate_token(48))
    page = _consent_page(browser("view@acme.example"), url)
    assert "You cannot grant these permissions" in page.text and "events:write" in page.text
    assert "organization" not in form_on(page.text, "/o/authorize/")["selects"]


def test_client_credentials_act_in_the_applications_organization(server, org):
    app, secret = make_app(
        organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read", "registrations:read"], name="Sync"
    )
    client = OAuth2Session(app.client_id, secret, scope="events:read", token_endpoint=f"{server}/o/token/")
    token = client.fetch_token(grant_type="client_credentials")
    assert token["scope"] == "events:read" and "refresh_token" not in token

    ping = _api(server, token["access_token"]).json()
    assert ping["kind"] == "oauth" and ping["user"] is None and ping["role"] is None
    assert ping["organization"]["id"] == str(org.pk) and ping["scopes"] == ["events:read"]
    assert ping["client"]["clientId"] == app.client_id
    assert _api(server, token["access_token"], "/api/v1/events").status_code == 200
    refused = _api(server, token["access_token"], "/api/v1/registrations")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "INSUFFICIENT_SCOPE"

    # No more than the scopes the application holds; a wrong secret is refused and audited.
    beyond = requests.post(
        f"{server}/o/token/",
        data={"grant_type": "client_credentials", "scope": "payments:write"},
        auth=(app.client_id, secret),
        timeout=10,
    )
    assert beyond.status_code == 400 and beyond.json()["error"] == "invalid_scope"
    wrong = requests.post(
        f"{server}/o/token/", data={"grant_type": "client_credentials"}, auth=(app.client_id, "nope"), timeout=10
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    failed = AuditEntry.objects.get(action="auth.failed", object_id=str(app.pk))
    assert failed.changes["method"] == "oauth_client" and failed.organization_id == org.pk


def test_refresh_tokens_rotate_and_a_replayed_one_revokes_the_family(server, browser, org, member):
    member(Role.OWNER, email="own@acme.example")
    app, secret = make_app(organization=org)
    client = _session(server, app, secret)
    first = _tokens(server, browser("own@acme.example"), client, org)

    second = client.refresh_token(f"{server}/o/token/", refresh_token=first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"] and second["access_token"] != first["access_token"]
    assert _api(server, first["access_token"]).status_code == 401  # the rotated pair is gone
    assert _api(server, second["access_token"]).status_code == 200
    assert AuditEntry.objects.filter(action="oauth.token_refreshed", organization_id=org.pk).count() == 1

    # Replaying the first refresh token (stolen, say) is refused and revokes everything issued from the grant.
    replay = requests.post(
        f"{server}/o/token/",
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        auth=(app.client_id, secret),
        timeout=10,
    )
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert _api(server, second["access_token"]).status_code == 401
    later = requests.post(
        f"{server}/o/token/",
        data={"grant_type": "refresh_token", "refresh_token": second["refresh_token"]},
        auth=(app.client_id, secret),
        timeout=10,
    )
    assert later.status_code == 400 and later.json()["error"] == "invalid_grant"
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()
    assert AuditEntry.objects.filter(action="oauth.refresh_token_reused", organization_id=org.pk).exists()


def test_revocation_takes_effect_at_once(server, browser, org, member):
    member(Role.OWNER, email="own@acme.example")
    app, secret = make_app(organization=org)
    client = _session(server, app, secret)
    token = _tokens(server, browser("own@acme.example"), client, org)
    assert _api(server, token["access_token"]).status_code == 200

    client.revoke_token(f"{server}/o/revoke_token/", token=token["access_token"], token_type_hint="access_token")

    refused = _api(server, token["access_token"])
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "AUTHENTICATION_FAILED"
    again = requests.post(
        f"{server}/o/token/",
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
        auth=(app.client_id, secret),
        timeout=10,
    )
    assert again.status_code == 400  # RFC 7009 section 2.1: its refresh token went with it
    assert AuditEntry.objects.filter(action="oauth.token_revoked", organization_id=org.pk).exists()


def test_introspection_is_for_authenticated_clients_about_their_own_tokens(server, browser, org, member):
    user = member(Role.OWNER, email="own@acme.example")
    app, secret = make_app(organization=org)
    other, other_secret = make_app(organization=org, name="Other")
    token = _tokens(server, browser("own@acme.example"), _session(server, app, secret), org)
    url = f"{server}/o/introspect/"

    active = requests.post(url, data={"token": token["access_token"]}, auth=(app.client_id, secret), timeout=10).json()
    assert active["active"] is True and active["client_id"] == app.client_id and active["sub"] == str(user.pk)
    assert active["username"] == "own@acme.example" and active["org"] == str(org.pk) and active["token_type"] == "Bearer"
    assert set(active["scope"].split()) == set(SCOPE.split()) and active["exp"] > time.time()

    other_answer = requests.post(url, data={"token": token["access_token"]}, auth=(other.client_id, other_secret), timeout=10)
    assert other_answer.json() == {"active": False}
    anonymous = requests.post(url, data={"token": token["access_token"]}, timeout=10)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"
    bearer = requests.post(
        url, data={"token": token["access_token"]}, headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=10
    )
    assert bearer.status_code == 401
    wrong = requests.post(url, data={"token": token["access_token"]}, auth=(app.client_id, "wrong"), timeout=10)
    assert wrong.status_code == 401
    assert requests.post(url, data={"token": "garbage"}, auth=(app.client_id, secret), timeout=10).json() == {"active": False}


# -- refusals --------------------------------------------------------------------------------------


def _refusal(browser: requests.Session, url: str) -> tuple[int, dict[str, list[str]], str]:
    answer = browser.get(url, allow_redirects=False)
    location = answer.headers.get("Location", "")
    return answer.status_code, parse_qs(urlsplit(location).query), answer.text


def _authorize_url(server: str, app: Application, **params: str) -> str:
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": LOOPBACK_REDIRECT,
        "scope": "events:read",
        "state": "s1",
    }
    query.update(params)
    return f"{server}/o/authorize/?" + "&".join(f"{k}={requests.utils.quote(v)}" for k, v in query.items() if v is not None)


def test_pkce_is_required_and_only_s256(server, browser, org, member):
    member(Role.OWNER, email="own@acme.example")
    app, _ = make_app(organization=org)
    signed_in = browser("own@acme.example")

    status, params, _ = _refusal(signed_in, _authorize_url(server, app))
    assert status == 302 and params["error"] == ["invalid_request"] and params["state"] == ["s1"]
    assert "challenge" in params["error_description"][0].lower()

    status, params, _ = _refusal(signed_in, _authorize_url(server, app, code_challenge="a" * 43, code_challenge_method="plain"))
    assert status == 302 and params["error"] == ["invalid_request"] and "S256" in params["error_description"][0]
    assert params["iss"] == [f"{server}/o"]


def test_an_unregistered_redirect_uri_is_never_redirected_to(server, browser, org, member):
    member(Role.OWNER, email="own@acme.example")
    app, _ = make_app(organization=org)
    signed_in = browser("own@acme.example")
    for uri in (
        "https://evil.example/callback",
        f"{LOOPBACK_REDIRECT}/more",
        f"{LOOPBACK_REDIRECT}?x=1",
        "https://partner.example/callback/",
    ):
        status, _, text = _refusal(
            signed_in, _authorize_url(server, app, redirect_uri=uri, code_challenge="a" * 43, code_challenge_method="S256")
        )
        assert status == 400 and "cannot be completed" in text, uri


def test_the_implicit_grant_is_refused_pointing_to_pkce(server, browser, org, member):
    member(Role.OWNER, email="own@acme.example")
    app, _ = make_app(organization=org)
    status, params, _ = _refusal(browser("own@acme.example"), _authorize_url(server, app, response_type="token"))
    assert status == 302 and params["error"] == ["unsupported_response_type"]
    assert "PKCE" in params["error_description"][0] and "response_type=code" in params["error_description"][0]


def test_the_password_grant_is_only_for_first_party_applications(server, org, member):
    member(Role.OWNER, email="own@acme.example")
    third_party, secret = make_app(organization=org)
    data = {"grant_type": "password", "username": "own@acme.example", "password": "correct-horse-battery", "scope": "events:read"}
    refused = requests.post(f"{server}/o/token/", data=data, auth=(third_party.client_id, secret), timeout=10)
    assert refused.status_code == 400 and refused.json()["error"] == "unauthorized_client"

    first_party, fp_secret = make_app(organization=org, grant=Application.GRANT_PASSWORD, first_party=True)
    granted = requests.post(f"{server}/o/token/", data=data, auth=(first_party.client_id, fp_secret), timeout=10)
    assert granted.status_code == 200 and _api(server, granted.json()["access_token"]).json()["organization"]["id"] == str(org.pk)


def test_the_password_grant_refuses_a_user_with_a_second_factor(server, org, member):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = member(Role.OWNER, email="own@acme.example")
    TOTP.activate(user, generate_totp_secret())
    app, secret = make_app(organization=org, grant=Application.GRANT_PASSWORD, first_party=True)
    data = {"grant_type": "password", "username": "own@acme.example", "password": "correct-horse-battery", "scope": "events:read"}
    refused = requests.post(f"{server}/o/token/", data=data, auth=(app.client_id, secret), timeout=10)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert "second factor" in refused.json()["error_description"]
    assert not AccessToken.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="auth.failed", changes__reason="two-factor required").exists()


def test_the_password_grant_counts_against_the_accounts_sign_in_limit(server, org, member):
    """The limit every sign-in shares (allauth's login_failed: 5 failures in 300 s per account)."""
    from django.core.cache import cache

    cache.clear()
    member(Role.OWNER, email="own@acme.example")
    app, secret = make_app(organization=org, grant=Application.GRANT_PASSWORD, first_party=True)
    wrong = {"grant_type": "password", "username": "own@acme.example", "password": "nope", "scope": "events:read"}
    answers = [requests.post(f"{server}/o/token/", data=wrong, auth=(app.client_id, secret), timeout=10) for _ in range(6)]
    assert [a.json()["error"] for a in answers[:5]] == ["invalid_grant"] * 5
    assert "Too many failed sign-in attempts" in answers[5].json()["error_description"]
    # Now even the right password is refused for this account, on this path as on the sign-in page.
    right = {**wrong, "password": "correct-horse-battery"}
    blocked = requests.post(f"{server}/o/token/", data=right, auth=(app.client_id, secret), timeout=10)
    assert blocked.status_code == 400 and "Too many" in blocked.json()["error_description"]
    cache.clear()


def test_an_expired_access_token_is_a_401(server, settings, org):
    # Long enough for the first call to come before the expiry on a busy machine; then wait until it has passed.
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "ACCESS_TOKEN_EXPIRE_SECONDS": 3, "ALWAYS_RELOAD_OAUTHLIB_CORE": True}
    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    token = OAuth2Session(app.client_id, secret, token_endpoint=f"{server}/o/token/").fetch_token(grant_type="client_credentials")
    assert _api(server, token["access_token"]).status_code == 200
    time.sleep(max(0.0, token["expires_at"] - time.time()) + 1.0)
    expired = _api(server, token["access_token"])
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "AUTHENTICATION_FAILED"
    assert "expired" in expired.json()["error"]["details"]
    assert expired.headers["WWW-Authenticate"].startswith("Bearer")
