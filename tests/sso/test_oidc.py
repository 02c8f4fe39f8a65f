"""OpenID Connect sign-in against the platform's own OpenID provider, acting for another organization (live server):
code flow with PKCE, state and nonce; the ID token verified against the JWKS; the attacks refused."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from jwcrypto import jwk, jwt

from accounts.models import Membership, User
from accounts.roles import Role
from core.audit import SYSTEM
from core.models import AuditEntry
from sso import oidc, services
from sso.keys import new_key_pair
from sso.models import IdentityProvider, Protocol
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, verified
from tests.oauth.helpers import form_on, make_app
from tests.sso.conftest import verified_domain

pytestmark = pytest.mark.django_db(transaction=True)

SIGN_IN = "/portal/accounts/login/"


@pytest.fixture
def platform(live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """The live server: the organization's platform and, for another organization, its OpenID provider."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": f"{live_server.url}/o"}
    return str(live_server.url)


@pytest.fixture
def idp_org() -> Any:
    return OrganizationFactory(name="Partner Identity", slug="partner-identity")


@pytest.fixture
def provider(platform: str, org: Any, idp_org: Any) -> IdentityProvider:
    """Acme's provider: an OAuth application registered in the identity organization, redirecting to Acme's callback."""
    data = {"protocol": Protocol.OIDC, "name": "Partner OIDC", "issuer": f"{platform}/o", "client_id": "-", "client_secret": "-"}
    provider = services.identity_provider_create(actor=SYSTEM, organization=org, data={**data, "default_role": Role.EDITOR})
    app, secret = make_app(organization=idp_org, redirect_uris=oidc.redirect_uri(provider), name="Acme SSO")
    provider = services.identity_provider_update(
        actor=SYSTEM, provider=provider, data={"client_id": app.client_id, "client_secret": secret}
    )
    verified_domain(org, provider)
    return provider


def _signed_in_at_the_idp(platform: str, email: str, idp_org: Any) -> requests.Session:
    user = verified(UserFactory(email=email, name="Ada Lovelace"))
    MembershipFactory(user=user, organization=idp_org, role=Role.VIEWER)
    session = requests.Session()
    fields = form_on(session.get(f"{platform}{SIGN_IN}").text, SIGN_IN)["fields"]
    answer = session.post(
        f"{platform}{SIGN_IN}", data={**fields, "login": email, "password": "correct-horse-battery"}, allow_redirects=False
    )
    assert answer.status_code == 302, answer.text
    return session


def _through_consent(platform: str, browser: requests.Session, start: str, idp_org: Any) -> requests.Response:
    consent = browser.get(f"{platform}{start}")
    assert consent.status_code == 200 and urlsplit(consent.url).path == "/o/authorize/", consent.text[:500]
    query = parse_qs(urlsplit(consent.url).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0] and query["state"][0]
    form = form_on(consent.text, "/o/authorize/")
    answer = browser.post(
        f"{platform}/o/authorize/", data={**form["fields"], "organization": str(idp_org.pk), "allow": "on"}, allow_redirects=False
    )
    assert answer.status_code == 302, answer.text
    return answer


def test_sign_in_through_the_platforms_own_openid_provider(platform, org, idp_org, provider):
    browser = _signed_in_at_the_idp(platform, "ada@acme.example", idp_org)
    answer = _through_consent(platform, browser, f"/sso/oidc/{provider.pk}/login/?next=/portal/dashboard/", idp_org)
    callback = answer.headers["Location"]
    assert callback.startswith(f"{platform}/sso/oidc/{provider.pk}/callback/?")
    done = browser.get(callback, allow_redirects=False)
    assert done.status_code == 302 and done.headers["Location"] == "/portal/dashboard/", done.text[:500]
    me = browser.get(f"{platform}/api/v1/users/me", headers={"X-Organization-ID": str(org.pk)})
    assert me.status_code == 200 and me.json()["email"] == "ada@acme.example"
    user = User.objects.get(email="ada@acme.example")
    assert Membership.objects.get(user=user, organization=org).role == Role.EDITOR  # provisioned, the default role
    assert AuditEntry.objects.filter(action="auth.sso_signed_in", organization_id=org.pk, changes__protocol="oidc").exists()
    # The same answer again (a stolen redirect): its state is used up.
    again = browser.get(callback, allow_redirects=False)
    assert again.status_code == 403


def test_a_callback_without_this_browsers_state_is_refused(platform, org, idp_org, provider):
    browser = _signed_in_at_the_idp(platform, "ada@acme.example", idp_org)
    answer = _through_consent(platform, browser, f"/sso/oidc/{provider.pk}/login/", idp_org)
    other_browser = requests.Session()  # the victim's browser, given the attacker's code (login CSRF)
    assert other_browser.get(answer.headers["Location"], allow_redirects=False).status_code == 403
    assert not Membership.objects.filter(organization=org, user__email="ada@acme.example").exists()


# -- the ID token's checks, against the live JWKS ---------------------------------------------------
def _platform_key(settings: Any) -> jwk.JWK:
    return jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())


def _id_token(key: jwk.JWK, **claims: Any) -> str:
    now = int(time.time())
    body = {"iat": now, "exp": now + 300, "sub": "123", "email": "ada@acme.example", **claims}
    token = jwt.JWT(header={"alg": "RS256", "kid": key.thumbprint()}, claims=json.dumps(body))
    token.make_signed_token(key)
    return str(token.serialize())


def test_id_token_checks(platform, provider, settings):
    key = _platform_key(settings)
    good = {"iss": f"{platform}/o", "aud": provider.client_id, "nonce": "n-1"}
    assert oidc.verify_id_token(provider, _id_token(key, **good), nonce="n-1")["email"] == "ada@acme.example"
    cases = {
        "aud does not name this client": _id_token(key, **{**good, "aud": "another-client"}),
        "azp does not name": _id_token(key, **{**good, "aud": [provider.client_id, "another"], "azp": "another"}),
        "nonce does not match": _id_token(key, **{**good, "nonce": "n-2"}),
        "iss is not the provider": _id_token(key, **{**good, "iss": "https://evil.example/o"}),
        "expired": _id_token(key, **{**good, "exp": int(time.time()) - 600}),
        "a key the provider does not publish": _id_token(jwk.JWK.from_pem(new_key_pair("evil")[1].encode()), **good),
    }
    for reason, token in cases.items():
        with pytest.raises(oidc.Refused) as refused:
            oidc.verify_id_token(provider, token, nonce="n-1")
        assert reason in refused.value.reason, (reason, refused.value.reason)
    unsigned = _id_token(key, **good).rsplit(".", 1)[0] + "."
    with pytest.raises(oidc.Refused):
        oidc.verify_id_token(provider, unsigned, nonce="n-1")


def test_a_key_the_provider_rotated_in_is_fetched(platform, provider, settings):
    old = settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
    good = {"iss": f"{platform}/o", "aud": provider.client_id, "nonce": "n"}
    oidc.verify_id_token(provider, _id_token(_platform_key(settings), **good), nonce="n")  # the JWKS is cached now
    new_pem = new_key_pair("rotated")[1]
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_RSA_PRIVATE_KEY": new_pem,
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [old],
    }
    token = _id_token(jwk.JWK.from_pem(new_pem.encode()), **good)
    assert oidc.verify_id_token(provider, token, nonce="n")["sub"] == "123"
