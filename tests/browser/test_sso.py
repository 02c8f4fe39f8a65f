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
from sso.models import IdentityProvider, ScimToken
from tests.browser.test_console import axe_check, sign_in
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, verified
from tests.sso import idp as idp_module
from tests.sso.conftest import ROLE_MAPPING, make_provider, verified_domain
from tests.sso.idp import TestIdP, encode, idp_metadata
from tests.sso.test_metadata_url import MetadataHost

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


def test_an_owner_sets_up_single_sign_on_in_the_console(tab, org, settings, tmp_path):
    """The console's SSO pages in Chromium, axe on each: a SAML provider from its metadata URL, a claimed domain, a
    SCIM token shown once."""
    settings.SITE_URL = tab.base_url
    settings.SSO_METADATA_ALLOW_HTTP = settings.SSO_METADATA_ALLOW_LOOPBACK = True
    owner = verified(UserFactory(email="owner@acme.example"))
    MembershipFactory(user=owner, organization=org, role=Role.OWNER)
    host = MetadataHost()
    host.document = idp_metadata(*new_key_pair("partner idp"), tmp_path / "md")
    host.start()
    try:
        sign_in(tab, "owner@acme.example")
        page = tab.page
        page.get_by_role("link", name="Single sign-on").click()
        page.wait_for_url("**/console/sso/")
        tab.shot("console sso empty")
        axe_check(tab, "sso overview")
        page.get_by_role("link", name="Add a SAML provider").click()
        page.fill("#id_name", "Okta")
        page.fill("#id_metadata_url", host.metadata_url)
        page.fill("#id_role_mapping", "Event_Admins = admin")
        tab.shot("console sso new saml")
        axe_check(tab, "new SAML provider")
        page.get_by_role("button", name="Add the provider").click()
        page.wait_for_selector("text=Enter these at the identity provider")
        provider = IdentityProvider.objects.get(organization=org)
        assert page.get_by_text(f"{tab.base_url}/sso/saml/{provider.pk}/acs/").is_visible()
        assert provider.idp_entity_id == idp_module.ENTITY_ID
        tab.shot("console sso provider")
        axe_check(tab, "provider")
        page.get_by_role("link", name="Single sign-on", exact=True).first.click()
        page.fill("#claim-domain", "acme.example")
        page.select_option("#claim-provider", label="Okta")
        page.get_by_role("button", name="Claim the domain").click()
        page.wait_for_selector("text=acme.example is claimed")
        page.fill("#scim-name", "Okta provisioning")
        page.get_by_role("button", name="Create a SCIM token").click()
        page.wait_for_selector("text=Copy it now")
        assert page.input_value("#new-secret").startswith(ScimToken.objects.get(organization=org).prefix)
        tab.shot("console sso configured")
        axe_check(tab, "sso overview configured")
    finally:
        host.stop()
    tab.assert_no_errors()
