"""A whole SAML sign-in in Chromium: "Sign in with SSO" on the sign-in page, the email's verified domain, the
identity provider's page (the in-process pysaml2 IdP, answering through Playwright's routing), and the platform's
console and portal afterwards."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlsplit

import pytest

from accounts.models import Membership, OrganizationKind, User
from accounts.roles import Role
from sso import saml
from sso.keys import new_key_pair
from tests.factories import OrganizationFactory
from tests.sso import idp as idp_module
from tests.sso.conftest import ROLE_MAPPING, make_provider, verified_domain
from tests.sso.idp import TestIdP, encode

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _serve_idp(tab: Any, provider: Any, idp: TestIdP, email: str, groups: list[str]) -> None:
    """The IdP's sign-in page: it reads the AuthnRequest and posts a signed response back (the user is signed in there)."""
    urls = saml.sp_urls(provider)

    def answer(route: Any) -> None:
        request = idp.authn_request(route.request.url)
        xml = idp.response(
            sp_entity_id=urls["entity_id"],
            acs_url=urls["acs"],
            email=email,
            attributes={"firstName": ["Ada"], "lastName": ["Lovelace"], "groups": groups},
            in_response_to=request.id,
        )
        page = (
            "<!doctype html><html><head><title>Partner IdP</title></head><body>"
            f'<form method="post" action="{html.escape(urls["acs"])}">'
            f'<input type="hidden" name="SAMLResponse" value="{encode(xml)}">'
            '<p>Signed in at Partner IdP as ada.</p><button type="submit" id="continue">Continue</button></form></body></html>'
        )
        route.fulfill(status=200, content_type="text/html", body=page)

    tab.page.route(f"{idp_module.SSO_URL}**", answer)


@pytest.fixture
def sso_setup(live_server: Any, settings: Any, org: Any, tmp_path: Any) -> tuple[Any, TestIdP]:
    settings.SITE_URL = live_server.url
    idp_keys = new_key_pair("partner idp")
    provider = make_provider(org, idp_keys[0])
    verified_domain(org, provider)
    return provider, TestIdP(tmp_path / "idp", saml.metadata_xml(provider), idp_keys)


def _sign_in_with_sso(tab: Any, next_path: str) -> None:
    tab.open(f"/portal/accounts/login/?next={next_path}")
    tab.shot("sign-in")
    tab.page.click("text=Sign in with SSO")
    tab.page.wait_for_url("**/sso/**")
    tab.page.fill("#id_email", "ada@acme.example")
    tab.shot("sign-in-with-sso")
    tab.page.click("button[type=submit]")
    tab.page.wait_for_url(f"{idp_module.SSO_URL}**")
    tab.page.click("#continue")


def test_saml_sign_in_into_the_console(tab, sso_setup, org):
    provider, idp = sso_setup
    _serve_idp(tab, provider, idp, "ada@acme.example", ["event-admins"])
    _sign_in_with_sso(tab, "/console/")
    tab.page.wait_for_url(f"{tab.base_url}/console/**")
    assert "Organizer console" in tab.page.content()
    tab.shot("console")
    user = User.objects.get(email="ada@acme.example")
    assert Membership.objects.get(user=user, organization=org).role == ROLE_MAPPING["event-admins"] == Role.ADMIN
    tab.assert_no_errors()


def test_saml_sign_in_into_the_portal(tab, live_server, settings, tmp_path):
    """A partner's developer team signs in to the portal through its own IdP."""
    settings.SITE_URL = live_server.url
    team = OrganizationFactory(name="Partner Devs", slug="partner-devs", kind=OrganizationKind.DEVELOPER)
    keys = new_key_pair("partner idp")
    provider = make_provider(team, keys[0])
    verified_domain(team, provider)
    idp = TestIdP(tmp_path / "idp", saml.metadata_xml(provider), keys)
    _serve_idp(tab, provider, idp, "ada@acme.example", [])
    _sign_in_with_sso(tab, "/portal/dashboard/")
    tab.page.wait_for_url(f"{tab.base_url}/portal/dashboard/")
    assert urlsplit(tab.page.url).path == "/portal/dashboard/"
    assert "Partner Devs" in tab.page.content() and "No developer organization yet" not in tab.page.content()
    user = User.objects.get(email="ada@acme.example")
    assert Membership.objects.get(user=user, organization=team).role == Role.VIEWER and not user.is_staff
    tab.shot("portal")
    tab.assert_no_errors()


def test_the_guides_single_sign_on_section(tab):
    tab.open("/portal/guide/single-sign-on/")
    for heading in ("Okta", "Microsoft Entra ID", "Google Workspace", "OpenID Connect providers"):
        assert tab.page.get_by_role("heading", name=heading).is_visible()
    assert f"{tab.base_url}/sso/saml/&lt;provider id&gt;/acs/" in tab.page.content()
    tab.shot("guide single sign-on")
    tab.assert_no_errors()
