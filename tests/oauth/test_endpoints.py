"""The token, revocation and introspection endpoints: rate limits per client and per address, client secrets checked
with a fast keyed hash (older PBKDF2 hashes moved over at their next use), and error responses that describe the error."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password
from django.test import Client

from accounts import services
from accounts.models import Application
from accounts.oauth import hashers
from core.audit import SYSTEM
from core.models import AuditEntry
from core.secrets import keyed_digest
from tests.oauth.helpers import client_credentials_token, form_on, make_app, token_response

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/o/token/", "/o/introspect/", "/o/revoke_token/"]


@pytest.fixture
def limits(store: str, settings: Any) -> Any:
    """Rate limits on (each store), with small tiers: the partner tier (applications) a burst of 3, the anonymous one of 2."""
    settings.RATE_LIMIT_TIERS = {
        **settings.RATE_LIMIT_TIERS,
        "anonymous": {"per_minute": 12, "burst": 2, "concurrent": 5},
        "partner": {"per_minute": 60, "burst": 3, "concurrent": 5},
    }
    settings.OAUTH_ADDRESS_RATE_TIER = "internal"  # the per-client tests are not limited by their address
    return settings


def _basic(app: Application, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()


def _call(endpoint: str, app: Application, secret: str, address: str = "198.51.100.1") -> Any:
    """One request to ``endpoint`` as ``app`` (HTTP Basic client authentication)."""
    data = {"grant_type": "client_credentials", "scope": "events:read"} if endpoint == "/o/token/" else {"token": "x" * 40}
    return Client(REMOTE_ADDR=address).post(endpoint, data, HTTP_AUTHORIZATION=_basic(app, secret))


def _cc_app(org: Any, **fields: Any) -> tuple[Application, str]:
    return make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"], **fields)


# -- rate limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_is_limited_per_client_with_the_apis_headers(endpoint, limits, clock, org):
    app, secret = _cc_app(org)
    other, other_secret = _cc_app(org, name="Other")
    for left in (2, 1, 0):
        answer = _call(endpoint, app, secret)
        assert answer.status_code == 200, answer.content
        assert answer["X-RateLimit-Limit"] == "60" and answer["X-RateLimit-Remaining"] == str(left)
        assert int(answer["X-RateLimit-Reset"]) >= clock.now
    refused = _call(endpoint, app, secret)
    assert refused.status_code == 429 and refused["Retry-After"] == "1"  # 60 a minute: a token a second
    assert refused["X-RateLimit-Remaining"] == "0" and refused["X-RateLimit-Limit"] == "60"
    body = refused.json()
    assert body["error"] == "slow_down" and "Retry after 1 s" in body["error_description"]
    # Another client, from the same address, has its own allowance.
    assert _call(endpoint, other, other_secret).status_code == 200
    # A client that waits as long as Retry-After says gets through.
    clock.now += int(refused["Retry-After"])
    assert _call(endpoint, app, secret).status_code == 200


def test_wrong_secrets_spend_the_named_clients_allowance(limits, clock, org):
    app, secret = _cc_app(org)
    for _ in range(3):
        assert _call("/o/token/", app, "wrong").status_code == 401
    assert _call("/o/token/", app, secret).status_code == 429
    # The per-client tier is the application's own.
    internal, internal_secret = _cc_app(org, name="Internal", rate_tier="internal")
    assert _call("/o/token/", internal, internal_secret)["X-RateLimit-Limit"] == "600"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_is_limited_per_address(endpoint, limits, clock, org):
    limits.OAUTH_ADDRESS_RATE_TIER = "anonymous"
    apps = [_cc_app(org, name=f"App {n}") for n in range(3)]
    # Guesses spread over clients, and unknown clients, count against the address.
    assert _call(endpoint, apps[0][0], "guess", address="203.0.113.7").status_code == 401
    ghost = Application(client_id="no-such-client")
    assert _call(endpoint, ghost, "guess", address="203.0.113.7").status_code == 401
    refused = _call(endpoint, apps[1][0], apps[1][1], address="203.0.113.7")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused["X-RateLimit-Limit"] == "12" and refused.json()["error"] == "slow_down"
    # Another address is not affected, and the refused address did not spend the client's allowance.
    for _ in range(2):
        assert _call(endpoint, apps[1][0], apps[1][1], address="203.0.113.8").status_code == 200


def test_body_client_authentication_is_counted_like_basic(limits, clock, org):
    app, secret = _cc_app(org)
    client = Client(REMOTE_ADDR="198.51.100.2")
    data = {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": secret}
    assert [client.post("/o/token/", data).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_endpoints_are_not_limited_when_rate_limits_are_off(settings, org):
    settings.RATE_LIMIT_TIERS = {**settings.RATE_LIMIT_TIERS, "partner": {"per_minute": 60, "burst": 1, "concurrent": 1}}
    app, secret = _cc_app(org)
    answers = [_call("/o/token/", app, secret) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200] and "X-RateLimit-Limit" not in answers[0]


# -- client secrets: a fast keyed hash -------------------------------------------------------------


@pytest.fixture
def no_password_hasher(monkeypatch: Any) -> None:
    """Fails the test if a client secret is checked with one of Django's password hashers (PBKDF2 and the like)."""

    def refuse(*args: Any, **kwargs: Any) -> bool:
        raise AssertionError("a client secret was checked with a password hasher")

    monkeypatch.setattr("accounts.oauth.hashers.check_password", refuse)
    monkeypatch.setattr("oauth2_provider.oauth2_validators.check_password", refuse)


def test_a_new_secret_is_stored_as_an_hmac_under_the_secret_key(org):
    app, secret = _cc_app(org)
    stored = Application.objects.get(pk=app.pk).client_secret
    assert stored == "hmac_sha256$" + keyed_digest(secret, purpose=hashers.PURPOSE)
    assert identify_hasher(stored).algorithm == "hmac_sha256" and secret not in stored
    _, raw = services.oauth_application_rotate_secret(actor=SYSTEM, application=app)
    assert Application.objects.get(pk=app.pk).client_secret == "hmac_sha256$" + keyed_digest(raw, purpose=hashers.PURPOSE)


def test_the_right_and_a_wrong_secret_are_checked_without_a_password_hasher(no_password_hasher, org):
    app, secret = _cc_app(org)
    assert client_credentials_token(app, secret, "events:read")
    refused = token_response(Client(REMOTE_ADDR="198.51.100.3"), app, secret[:-1] + "!", grant_type="client_credentials")
    assert refused.status_code == 401
    assert refused.json() == {
        "error": "invalid_client",
        "error_description": (
            "Client authentication failed: the client is unknown, the secret is wrong, or no client authentication "
            "was included (send client_id and client_secret with HTTP Basic)."
        ),
    }
    entry = AuditEntry.objects.get(action="auth.failed")
    assert entry.changes["method"] == "oauth_client" and secret not in str(entry.changes)


def _legacy_app(org: Any, settings: Any) -> tuple[Application, str, str]:
    """An application whose secret the toolkit's default hasher stored (PBKDF2; fewer iterations to keep tests fast)."""
    settings.PASSWORD_HASHERS = [*settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    app, secret = _cc_app(org)
    legacy = PBKDF2PasswordHasher().encode(secret, "legacysalt", iterations=1000)
    Application.objects.filter(pk=app.pk).update(client_secret=legacy)
    return app, secret, legacy


@pytest.mark.parametrize("how", ["basic", "body"])
def test_a_pbkdf2_secret_keeps_working_and_moves_to_the_fast_hash_at_its_next_successful_use(how, settings, org):
    app, secret, legacy = _legacy_app(org, settings)

    def ask(presented: str) -> Any:
        if how == "basic":
            return token_response(Client(), app, presented, grant_type="client_credentials", scope="events:read")
        data = {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": presented}
        return Client().post("/o/token/", data)

    assert ask("wrong").status_code == 401
    assert Application.objects.get(pk=app.pk).client_secret == legacy  # a wrong secret moves nothing
    assert ask(secret).status_code == 200
    assert Application.objects.get(pk=app.pk).client_secret == "hmac_sha256$" + keyed_digest(secret, purpose=hashers.PURPOSE)
    assert ask(secret).status_code == 200 and ask("wrong").status_code == 401


def test_a_pbkdf2_secret_moves_over_at_introspection_and_revocation_too(settings, org):
    for endpoint in ("/o/introspect/", "/o/revoke_token/"):
        app, secret, _ = _legacy_app(org, settings)
        assert _call(endpoint, app, secret).status_code == 200
        assert Application.objects.get(pk=app.pk).client_secret.startswith("hmac_sha256$")


def test_after_moving_over_no_password_hasher_is_used(settings, org, monkeypatch):
    app, secret, _ = _legacy_app(org, settings)
    assert client_credentials_token(app, secret, "events:read")
    monkeypatch.setattr("accounts.oauth.hashers.check_password", lambda *a, **k: pytest.fail("PBKDF2 again"))
    assert token_response(Client(), app, "wrong", grant_type="client_credentials").status_code == 401
    assert client_credentials_token(app, secret, "events:read")


def test_a_secret_key_rotation_keeps_secrets_working_through_the_fallbacks(settings, org):
    app, secret = _cc_app(org)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-key-" + "x" * 40, [old_key]
    assert client_credentials_token(app, secret, "events:read")
    # Moved to the new key at that use: it no longer needs the fallback.
    assert Application.objects.get(pk=app.pk).client_secret == "hmac_sha256$" + keyed_digest(secret, purpose=hashers.PURPOSE)
    settings.SECRET_KEY_FALLBACKS = []
    assert client_credentials_token(app, secret, "events:read")
    settings.SECRET_KEY = old_key  # a key the hash was not made with refuses it
    assert token_response(Client(), app, secret, grant_type="client_credentials").status_code == 401


def test_moving_a_hash_over_never_overwrites_a_secret_rotated_meanwhile(org):
    app, _ = _cc_app(org)
    _, raw = services.oauth_application_rotate_secret(actor=SYSTEM, application=app)
    current = Application.objects.get(pk=app.pk).client_secret
    assert not services.oauth_client_secret_rehash(stored="pbkdf2_sha256$1000$salt$gone", new="hmac_sha256$0")
    assert Application.objects.get(pk=app.pk).client_secret == current
    assert hashers.check_client_secret(raw, current) == (True, None)


def test_secrets_stored_in_clear_are_compared_as_the_toolkit_does(org):
    assert hashers.check_client_secret("plain-secret", "plain-secret") == (True, None)
    assert hashers.check_client_secret("plain-secreT", "plain-secret") == (False, None)
    assert hashers.check_client_secret("", "") == (True, None)


def test_the_hasher_is_never_used_for_passwords_by_default():
    from django.conf import global_settings

    from config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == global_settings.PASSWORD_HASHERS[0]
    assert project_settings.PASSWORD_HASHERS[-1] == "accounts.oauth.hashers.ClientSecretHasher"
    assert make_password("x", hasher="hmac_sha256").startswith("hmac_sha256$")


# -- error descriptions (RFC 6749 section 5.2) -----------------------------------------------------


def _token_errors(org: Any, member: Any) -> list[tuple[str, int, Any]]:
    cc, cc_secret = _cc_app(org)
    code_app, code_secret = make_app(organization=org)
    basic = _basic(cc, cc_secret)
    user = member(email="ed@acme.example")
    c = Client()
    return [
        ("unsupported_grant_type", 400, c.post("/o/token/", {}, HTTP_AUTHORIZATION=basic)),
        ("unsupported_grant_type", 400, c.post("/o/token/", {"grant_type": "magic"}, HTTP_AUTHORIZATION=basic)),
        (
            "invalid_scope",
            400,
            c.post("/o/token/", {"grant_type": "client_credentials", "scope": "payments:write"}, HTTP_AUTHORIZATION=basic),
        ),
        (
            "invalid_grant",
            400,
            token_response(
                c,
                code_app,
                code_secret,
                grant_type="authorization_code",
                code="nope",
                redirect_uri="https://partner.example/callback",
                code_verifier="v" * 43,
            ),
        ),
        ("invalid_grant", 400, token_response(c, code_app, code_secret, grant_type="refresh_token", refresh_token="nope")),
        (
            "unauthorized_client",
            400,
            token_response(
                c, code_app, code_secret, grant_type="password", username=user.email, password="correct-horse-battery"
            ),
        ),
        ("invalid_client", 401, c.post("/o/token/", {"grant_type": "client_credentials", "client_id": "nobody"})),
        ("invalid_client", 401, c.post("/o/revoke_token/", {"token": "x"}, HTTP_AUTHORIZATION=_basic(cc, "wrong"))),
        ("invalid_client", 401, c.post("/o/introspect/", {"token": "x"}, HTTP_AUTHORIZATION=_basic(cc, "wrong"))),
        ("invalid_request", 400, c.post("/o/introspect/", {}, HTTP_AUTHORIZATION=basic)),
        ("invalid_token", 401, c.get("/o/userinfo/", HTTP_AUTHORIZATION="Bearer nope")),
    ]


def test_every_token_endpoint_error_has_a_description(org, member):
    for code, status, response in _token_errors(org, member):
        body = json.loads(response.content)  # the toolkit's userinfo answers JSON labelled text/html
        assert (response.status_code, body["error"]) == (status, code), (code, body)
        assert len(body.get("error_description", "")) > 20, body
        if code == "invalid_client":  # RFC 6749 section 5.2: the scheme the client authenticates with
            assert response["WWW-Authenticate"] == 'Basic realm="oauth"'


def test_a_description_oauthlib_gave_is_kept(org):
    app, secret = make_app(organization=org)
    answer = token_response(
        Client(), app, secret, grant_type="authorization_code", redirect_uri="https://partner.example/callback"
    )
    assert answer.json() == {"error": "invalid_request", "error_description": "Missing code parameter."}


def test_authorization_errors_redirect_with_a_description(org, owner, console):
    app, _ = make_app(organization=org)
    browser = console(owner)
    query = (
        f"response_type=code&client_id={app.client_id}&redirect_uri=https://partner.example/callback"
        f"&scope=events:read&state=s&code_challenge={'a' * 43}&code_challenge_method=S256"
    )
    fields = form_on(browser.get(f"/o/authorize/?{query}").content.decode(), "/o/authorize/")["fields"]
    denied = browser.post("/o/authorize/", {**fields, "organization": str(org.pk)})  # no "allow"
    params = parse_qs(urlsplit(denied["Location"]).query)
    assert params["error"] == ["access_denied"] and params["error_description"] == [
        "The user or the authorization server denied the request."
    ]
    unknown_scope = browser.get(f"/o/authorize/?{query.replace('events:read', 'admin:all')}")
    params = parse_qs(urlsplit(unknown_scope["Location"]).query)
    assert params["error"] == ["invalid_scope"] and params["error_description"][0].startswith("The requested scope")
