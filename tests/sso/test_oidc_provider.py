"""OpenID Connect against an outside provider (tests/fakes/oidc.py, Okta's paths over real HTTP): claims the ID token
lacks are read from userinfo, and signing out sends the browser to the provider's end_session_endpoint
(RP-Initiated Logout 1.0) and back, with its state checked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import Role
from core.audit import SYSTEM
from core.secrets import decrypt
from sso import oidc, services
from sso.models import IdentityProvider, Protocol, SsoSession
from tests.fakes.oidc import FakeOpenIDProvider
from tests.sso.conftest import ROLE_MAPPING, verified_domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def op() -> Iterator[FakeOpenIDProvider]:
    server = FakeOpenIDProvider().start()
    yield server
    server.stop()


@pytest.fixture
def provider(org: Any, op: FakeOpenIDProvider) -> IdentityProvider:
    made = services.identity_provider_create(
        actor=SYSTEM,
        organization=org,
        data={
            "protocol": Protocol.OIDC,
            "name": "Okta",
            "issuer": op.issuer,
            "client_id": op.client_id,
            "client_secret": op.client_secret,
            "role_mapping": ROLE_MAPPING,
        },
    )
    verified_domain(org, made)
    op.post_logout_redirect_uris.append(oidc.post_logout_redirect_uri(made))
    return made


def sign_in(browser: Client, provider: IdentityProvider, op: FakeOpenIDProvider) -> Any:
    """The browser's round trip: the platform's redirect, the provider's answer (signed in there), the callback."""
    start = browser.get(f"/sso/oidc/{provider.pk}/login/", {"next": "/console/"})
    assert start.status_code == 302 and start["Location"].startswith(f"{op.issuer}/v1/authorize?"), start
    at_idp = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_idp.status_code == 302, at_idp.text
    callback = urlsplit(at_idp.headers["Location"])
    assert callback.path == f"/sso/oidc/{provider.pk}/callback/"
    return browser.get(callback.path, parse_qs(callback.query))


# -- userinfo when the ID token lacks claims -----------------------------------------------------
def test_claims_missing_from_the_id_token_are_read_from_userinfo(browser, org, provider, op, signed_in_user):
    op.id_token_claims = {"sub"}  # an ID token with the subject only, as Okta mints it without the profile scopes
    done = sign_in(browser, provider, op)
    assert done.status_code == 302 and done["Location"] == "/console/", done.content[:500]
    asked = op.calls("GET", r".*/v1/userinfo")
    assert len(asked) == 1 and asked[0].header("Authorization").startswith("Bearer ")
    user = User.objects.get(email="ada@acme.example")
    assert user.name == "Ada Lovelace" and signed_in_user(browser) == user
    assert Membership.objects.get(user=user, organization=org).role == Role.ADMIN  # groups, from userinfo too


def test_userinfo_is_not_asked_when_the_id_token_has_the_claims(browser, provider, op, signed_in_user):
    done = sign_in(browser, provider, op)
    assert done.status_code == 302 and signed_in_user(browser).email == "ada@acme.example"
    assert op.calls("GET", r".*/v1/userinfo") == []


def test_userinfo_about_another_subject_is_ignored(browser, org, provider, op, signed_in_user):
    """OpenID Connect Core 5.3.2: the userinfo sub must be the ID token's, else its claims are not used."""
    op.id_token_claims = {"sub"}
    op.userinfo_sub = "00u9mallory"
    assert sign_in(browser, provider, op).status_code == 403
    assert signed_in_user(browser) is None
    assert not User.objects.filter(email="ada@acme.example").exists()


def test_a_failing_userinfo_endpoint_refuses_the_sign_in(browser, provider, op, signed_in_user):
    op.id_token_claims = {"sub"}
    op.userinfo_status = 503
    assert sign_in(browser, provider, op).status_code == 403
    assert len(op.calls("GET", r".*/v1/userinfo")) == 1 and signed_in_user(browser) is None


def test_an_address_the_provider_has_not_verified_is_refused(browser, provider, op, signed_in_user):
    op.user["email_verified"] = False
    assert sign_in(browser, provider, op).status_code == 403
    assert signed_in_user(browser) is None and not User.objects.filter(email="ada@acme.example").exists()


# -- RP-initiated logout -------------------------------------------------------------------------
def test_signing_out_signs_out_at_the_provider_and_checks_the_state_on_return(browser, provider, op, signed_in_user):
    sign_in(browser, provider, op)
    opened = SsoSession.objects.get(identity_provider=provider, ended_at__isnull=True)
    assert opened.id_token and decrypt(opened.id_token).count(".") == 2  # the hint, kept encrypted

    out = browser.post("/sso/sign-out/")
    assert out.status_code == 302 and out["Location"].startswith(f"{op.issuer}/v1/logout?")
    sent = {k: v[0] for k, v in parse_qs(urlsplit(out["Location"]).query).items()}
    assert sent["id_token_hint"] == decrypt(opened.id_token)
    assert sent["post_logout_redirect_uri"] == f"http://localhost/sso/oidc/{provider.pk}/signed-out/"
    assert sent["client_id"] == op.client_id and len(sent["state"]) >= 20
    assert signed_in_user(browser) is None  # signed out here before going there
    opened.refresh_from_db()
    assert opened.ended_at is not None

    at_idp = requests.get(out["Location"], allow_redirects=False, timeout=5)
    assert at_idp.status_code == 302, at_idp.text
    assert op.signed_out[0]["sub"] == "00u1ada"
    back = urlsplit(at_idp.headers["Location"])
    assert back.path == f"/sso/oidc/{provider.pk}/signed-out/" and parse_qs(back.query)["state"] == [sent["state"]]
    landed = browser.get(back.path, parse_qs(back.query))
    assert landed.status_code == 302 and landed["Location"] == "/portal/"
    assert browser.get(back.path, parse_qs(back.query)).status_code == 403  # the state is used once


def test_a_sign_out_answer_with_another_state_is_refused(browser, provider, op):
    sign_in(browser, provider, op)
    out = browser.post("/sso/sign-out/")
    assert out.status_code == 302
    forged = browser.get(f"/sso/oidc/{provider.pk}/signed-out/", {"state": "attacker-chosen"})
    assert forged.status_code == 403
    other_browser = Client(HTTP_HOST="localhost")  # an answer carried to a browser that never signed out
    state = parse_qs(urlsplit(out["Location"]).query)["state"][0]
    assert other_browser.get(f"/sso/oidc/{provider.pk}/signed-out/", {"state": state}).status_code == 403


def test_a_provider_without_an_end_session_endpoint_signs_out_here_only(browser, org, op, signed_in_user):
    op.publish_end_session = False
    quiet = services.identity_provider_create(
        actor=SYSTEM,
        organization=org,
        data={
            "protocol": "oidc",
            "name": "Plain",
            "issuer": op.issuer,
            "client_id": op.client_id,
            "client_secret": op.client_secret,
        },
    )
    verified_domain(org, quiet)
    sign_in(browser, quiet, op)
    out = browser.post("/sso/sign-out/")
    assert out.status_code == 302 and out["Location"] == "/portal/" and signed_in_user(browser) is None
    assert op.signed_out == []


def test_a_provider_down_at_sign_out_leaves_the_user_signed_out_here(browser, provider, op, signed_in_user):
    sign_in(browser, provider, op)
    cache.clear()  # the discovery document must be read again, from a provider that is down
    with op.down():
        out = browser.post("/sso/sign-out/")
    assert out.status_code == 302 and out["Location"] == "/portal/" and signed_in_user(browser) is None
    assert op.signed_out == []


def test_the_one_sign_ins_sign_out_goes_on_to_the_provider(browser, provider, op, signed_in_user):
    """The console's and the portal's "Sign out" (allauth's) continues at the provider like /sso/sign-out/."""
    sign_in(browser, provider, op)
    out = browser.post(reverse("account_logout"))
    assert out.status_code == 302 and out["Location"] == "/sso/sign-out/continue/"
    assert signed_in_user(browser) is None
    onward = browser.get(out["Location"])
    assert onward.status_code == 302 and onward["Location"].startswith(f"{op.issuer}/v1/logout?")
    at_idp = requests.get(onward["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_idp.headers["Location"])
    assert browser.get(back.path, parse_qs(back.query))["Location"] == "/portal/"
    assert browser.get("/sso/sign-out/continue/")["Location"] == "/portal/"  # used once


def test_a_password_session_signs_out_as_before(browser, org, member):
    browser.force_login(member(Role.EDITOR))
    out = browser.post(reverse("account_logout"))
    assert out.status_code == 302 and out["Location"] == "/portal/"
