"""The authorization server's rules in-process: application registration, token checks at the API, the console."""

from __future__ import annotations

import json
import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import checks
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from jwcrypto import jwk, jwt
from rest_framework.test import APIClient

from accounts.models import AccessToken, Application, Membership
from accounts.oauth import keys
from accounts.roles import Role
from core.models import AuditEntry
from tests.conftest import error_of
from tests.factories import MembershipFactory
from tests.oauth.helpers import client_credentials_token, make_app, password_token, token_response

pytestmark = pytest.mark.django_db


def _bearer(token: str, **extra: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", **extra)
    return client


# -- registration rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uris", "ok"),
    [
        ("https://partner.example/cb", True),
        ("http://127.0.0.1/cb http://[::1]:8080/cb http://localhost/cb", True),
        ("http://partner.example/cb", False),
        ("com.partner.app:/cb", False),
        ("https://partner.example/cb#frag", False),
        ("https://*.partner.example/cb", False),
    ],
)
def test_redirect_uris_are_https_or_loopback(uris, ok, org):
    if ok:
        make_app(organization=org, redirect_uris=uris)
        return
    with pytest.raises(ValidationError) as refused:
        make_app(organization=org, redirect_uris=uris)
    assert "redirect_uris" in refused.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"grant": Application.GRANT_IMPLICIT}, "authorization_grant_type"),
        ({"grant": Application.GRANT_OPENID_HYBRID}, "authorization_grant_type"),
        ({"grant": Application.GRANT_PASSWORD}, "authorization_grant_type"),  # not first-party
        ({"grant": Application.GRANT_CLIENT_CREDENTIALS, "scopes": ["events:read"], "organization": None}, "organization"),
        ({"grant": Application.GRANT_CLIENT_CREDENTIALS}, "allowed_scopes"),
        ({"grant": Application.GRANT_CLIENT_CREDENTIALS, "scopes": ["events:read"], "client_type": "public"}, "client_type"),
        ({"scopes": ["events:read", "admin:everything"]}, "allowed_scopes"),
        ({"allowed_ips": ["300.1.1.1/8"]}, "allowed_ips"),
    ],
)
def test_applications_the_platform_does_not_offer_are_refused(fields, field, org):
    fields.setdefault("organization", org)
    with pytest.raises(ValidationError) as refused:
        make_app(**fields)
    assert field in refused.value.message_dict


def test_the_client_secret_is_stored_hashed(org):
    app, secret = make_app(organization=org)
    stored = Application.objects.get(pk=app.pk).client_secret
    assert stored != secret and identify_hasher(stored)


def test_the_configuration_passes_the_toolkits_rfc_9700_deploy_checks():
    found = [m for m in checks.run_checks(include_deployment_checks=True) if m.id.startswith("oauth2_provider")]
    assert found == []


# -- tokens at the API -----------------------------------------------------------------------------


def test_a_client_credentials_token_names_its_application_and_tier(org):
    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"], name="Sync")
    token = client_credentials_token(app, secret, "events:read")
    body = _bearer(token).get("/api/v1/ping").json()
    assert body["kind"] == "oauth" and body["user"] is None and body["organization"]["id"] == str(org.pk)
    assert body["rateLimit"]["tier"] == "partner"
    Application.objects.filter(pk=app.pk).update(rate_tier="internal")
    assert _bearer(token).get("/api/v1/ping").json()["rateLimit"]["tier"] == "internal"
    stored = AccessToken.objects.get()
    assert stored.token == "" and stored.organization_id == org.pk  # RFC 9700 token storage: only its hash


def test_the_applications_ip_allowlist_is_enforced(org):
    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    token = client_credentials_token(app, secret, "events:read")
    Application.objects.filter(pk=app.pk).update(allowed_ips=["203.0.113.0/24"])
    refused = _bearer(token).get("/api/v1/ping")
    assert refused.status_code == 403 and error_of(refused)["code"] == "IP_NOT_ALLOWED"
    assert _bearer(token, REMOTE_ADDR="203.0.113.9").get("/api/v1/ping").status_code == 200


def test_a_user_who_left_the_organization_loses_access_through_old_tokens(org, other_org, member):
    user = member(Role.EDITOR, email="ed@acme.example")
    MembershipFactory(user=user, organization=other_org, role=Role.OWNER)
    app, secret = make_app(organization=org, grant=Application.GRANT_PASSWORD, first_party=True)
    issued = password_token(app, secret, "ed@acme.example", "events:read", org)
    client = _bearer(issued["access_token"])
    assert client.get("/api/v1/ping").json()["role"] == "editor"

    # The token acts in its own organization only: naming another one is a 404, like any other tenant's object.
    other = _bearer(issued["access_token"], HTTP_X_ORGANIZATION_ID=str(other_org.pk)).get("/api/v1/ping")
    assert other.status_code == 404 and error_of(other)["code"] == "ORGANIZATION_NOT_FOUND"

    Membership.objects.filter(user=user, organization=org).delete()
    gone = client.get("/api/v1/events")
    assert gone.status_code == 404 and error_of(gone)["code"] == "ORGANIZATION_NOT_FOUND"
    refreshed = token_response(Client(), app, secret, grant_type="refresh_token", refresh_token=issued["refresh_token"])
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"


def test_the_password_grant_needs_a_membership_in_the_named_organization(org, other_org, member):
    member(Role.OWNER, email="own@acme.example")
    app, secret = make_app(organization=org, grant=Application.GRANT_PASSWORD, first_party=True)
    data = {"grant_type": "password", "username": "own@acme.example", "password": "correct-horse-battery"}
    refused = token_response(Client(), app, secret, organization=str(other_org.pk), **data)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    wrong = token_response(Client(), app, secret, **{**data, "password": "nope"})
    assert wrong.status_code == 400
    assert AuditEntry.objects.filter(action="auth.failed", changes__method="oauth_password").exists()


def _forged(claims: dict, key: jwk.JWK, kid: str | None = None, typ: str = "at+jwt") -> str:
    token = jwt.JWT(header={"alg": "RS256", "typ": typ, "kid": kid or key.thumbprint()}, claims=claims)
    token.make_signed_token(key)
    return str(token.serialize())


def test_tokens_not_signed_by_the_platform_or_not_access_tokens_are_refused_and_audited(org, settings):
    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    real = client_credentials_token(app, secret, "events:read")
    claims = json.loads(jwt.JWT(jwt=real, key=keys.signing_key()).claims)
    stranger = jwk.JWK.generate(kty="RSA", size=2048)
    now = int(time.time())
    cases = {
        "another key": _forged(claims, stranger),
        "another key, our kid": _forged(claims, stranger, kid=keys.signing_key().thumbprint()),
        "an ID token": _forged(claims, keys.signing_key(), typ="JWT"),
        "expired": _forged({**claims, "exp": now - 5}, keys.signing_key()),
        "another audience": _forged({**claims, "aud": "https://elsewhere.example"}, keys.signing_key()),
        "another issuer": _forged({**claims, "iss": "https://elsewhere.example/o"}, keys.signing_key()),
        "signed well, never issued": _forged({**claims, "jti": "x"}, keys.signing_key()),
        "garbage": "not-a-jwt",
    }
    for name, token in cases.items():
        response = _bearer(token).get("/api/v1/ping")
        assert response.status_code == 401 and error_of(response)["code"] == "AUTHENTICATION_FAILED", name
    failures = AuditEntry.objects.filter(action="auth.failed", changes__method="oauth_token")
    assert failures.count() == len(cases)
    assert not any(real in json.dumps(e.changes) for e in failures)


def test_a_retired_key_stays_accepted_and_published_during_a_rotation(org, settings, client):
    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    old_token = client_credentials_token(app, secret, "events:read")
    old_kid = keys.signing_key().thumbprint()
    old_public = keys.signing_key().export_to_pem().decode()
    new_key = jwk.JWK.generate(kty="RSA", size=2048)
    new_pem = new_key.export_to_pem(private_key=True, password=None).decode()
    settings.OAUTH_JWT_PRIVATE_KEY = new_pem
    settings.OAUTH_JWT_PREVIOUS_PUBLIC_KEYS = [old_public]
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_RSA_PRIVATE_KEY": new_pem,
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [old_public],
    }

    published = client.get("/o/.well-known/jwks.json").json()
    assert {k["kid"] for k in published["keys"]} == {old_kid, new_key.thumbprint()}
    assert all("d" not in k for k in published["keys"])  # public parts only
    assert _bearer(old_token).get("/api/v1/ping").status_code == 200
    new_token = client_credentials_token(app, secret, "events:read")
    assert json.loads(jwt.JWT(jwt=new_token, key=new_key).header)["kid"] == new_key.thumbprint()

    settings.OAUTH_JWT_PREVIOUS_PUBLIC_KEYS = []  # the rotation is over
    assert _bearer(old_token).get("/api/v1/ping").status_code == 401


# -- the model admin (platform superusers) -----------------------------------------------------------


def test_a_superuser_creates_an_application_through_the_service_and_flags_it_first_party(org, root, console):
    browser = console(root)
    add = browser.get(reverse("admin:accounts_application_add"))
    secret = add.context["adminform"].form["client_secret"].initial
    created = browser.post(
        reverse("admin:accounts_application_add"),
        {
            "name": "Ours",
            "organization": str(org.pk),
            "mode": "live",
            "client_type": "confidential",
            "authorization_grant_type": "authorization-code",
            "client_secret": secret,
            "redirect_uris": "https://partner.example/cb",
            "allowed_origins": "",
            "allowed_scopes": "[]",
            "allowed_ips": "[]",
        },
        follow=True,
    )
    assert created.status_code == 200, created.content
    ours = Application.objects.get(name="Ours")
    assert identify_hasher(ours.client_secret) and not ours.first_party and ours.user == root
    assert any(secret in str(m) for m in created.context["messages"])  # shown once
    entry = AuditEntry.objects.get(action="oauth_application.created")
    assert entry.organization_id == org.pk and secret not in json.dumps(entry.changes)

    form = browser.get(reverse("admin:accounts_application_change", args=[ours.pk])).context["adminform"].form
    assert {"first_party", "rate_tier"} <= set(form.fields)
    assert "mode" not in form.fields and "client_secret" not in form.fields  # fixed once created; stored hashed


def test_tokens_are_listed_read_only_and_revoked_from_the_model_admin(org, root, console):
    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    token = client_credentials_token(app, secret, "events:read")
    browser = console(root)
    listed = browser.get(reverse("admin:accounts_accesstoken_changelist"))
    [stored] = listed.context["cl"].result_list
    assert token not in listed.text
    browser.post(
        reverse("admin:accounts_accesstoken_changelist"), {"action": "revoke_tokens", "_selected_action": [str(stored.pk)]}
    )
    assert _bearer(token).get("/api/v1/ping").status_code == 401
    assert AuditEntry.objects.filter(action="oauth.token_revoked", organization_id=org.pk).exists()


@pytest.mark.parametrize("silent", ["prompt", "skip_authorization"])
def test_consent_is_never_silent_since_it_chooses_the_organization(silent, org, owner, console):
    app, _ = make_app(organization=org)
    extra = ""
    if silent == "prompt":
        extra = "&prompt=none"
    else:
        Application.objects.filter(pk=app.pk).update(skip_authorization=True)
    url = (
        f"/o/authorize/?response_type=code&client_id={app.client_id}&redirect_uri=https://partner.example/callback"
        f"&scope=openid%20events:read&state=s&code_challenge={'a' * 43}&code_challenge_method=S256{extra}"
    )
    response = console(owner).get(url)
    assert response.status_code == 302 and "error=consent_required" in response["Location"] and "state=s" in response["Location"]
    assert not AccessToken.objects.exists()


def test_prompt_none_without_a_session_answers_login_required_at_the_redirect_uri(org):
    from django.test import Client

    app, _ = make_app(organization=org)
    response = Client().get(
        f"/o/authorize/?response_type=code&client_id={app.client_id}&redirect_uri=https://partner.example/callback"
        f"&scope=events:read&state=s&code_challenge={'a' * 43}&code_challenge_method=S256&prompt=none"
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://partner.example/callback?") and "error=login_required" in location
    assert "state=s" in location and "iss=" in location
    # Without prompt=none, the platform's sign-in page, coming back to the request.
    plain = Client().get(
        f"/o/authorize/?response_type=code&client_id={app.client_id}&redirect_uri=https://partner.example/callback"
        f"&scope=events:read&state=s&code_challenge={'a' * 43}&code_challenge_method=S256"
    )
    assert plain.status_code == 302 and plain["Location"].startswith("/portal/accounts/login/?next=/o/authorize/%3F")


def test_the_consent_form_refuses_an_organization_it_did_not_offer(org, other_org, owner, console):
    from tests.oauth.helpers import form_on

    app, _ = make_app(organization=org)
    browser = console(owner)
    page = browser.get(
        f"/o/authorize/?response_type=code&client_id={app.client_id}&redirect_uri=https://partner.example/callback"
        f"&scope=events:write&state=s&code_challenge={'a' * 43}&code_challenge_method=S256"
    )
    fields = form_on(page.content.decode(), "/o/authorize/")["fields"]
    answer = browser.post("/o/authorize/", {**fields, "organization": str(other_org.pk), "allow": "on"})
    assert answer.status_code == 200 and "Pick one of your organizations" in answer.content.decode()
    assert "Authorize Partner app" in answer.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="oauth.consent").exists()
