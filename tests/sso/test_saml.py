"""SAML 2.0 sign-in against the pysaml2 IdP: SP- and IdP-initiated, JIT and role mapping, SLO, and the attacks."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from saml2.authn_context import PASSWORD
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from accounts.models import Membership, User
from accounts.roles import Role
from core.audit import SYSTEM
from core.models import AuditEntry
from sso import saml, services
from sso.keys import new_key_pair, pem_body
from sso.models import SsoSession
from tests.factories import OrganizationFactory, UserFactory, verified
from tests.sso import idp as idp_module
from tests.sso.conftest import make_provider
from tests.sso.idp import TestIdP, wrap_signature

pytestmark = pytest.mark.django_db


def test_sp_initiated_sign_in_provisions_the_user_with_the_mapped_role(flow, org, signed_in_user, browser):
    client = browser
    response = flow.sign_in(client, "ada@acme.example", groups=["event-admins"])
    assert response.status_code == 302, response.content
    assert response["Location"] == "/portal/dashboard/"
    user = User.objects.get(email="ada@acme.example")
    assert user.name == "Ada Lovelace"
    assert Membership.objects.get(user=user, organization=org).role == Role.ADMIN
    assert signed_in_user(client) == user


def test_later_sign_ins_update_names_and_roles_and_a_lost_group_loses_its_role(flow, org, browser):
    flow.sign_in(browser, "ada@acme.example", groups=["event-admins", "finance"])
    user = User.objects.get(email="ada@acme.example")
    assert Membership.objects.get(user=user, organization=org).role == Role.ADMIN  # the strongest mapped role
    browser.post("/sso/sign-out/")
    request = flow.start(browser)
    xml = flow.idp.response(
        sp_entity_id=flow.urls["entity_id"],
        acs_url=flow.urls["acs"],
        email="ada@acme.example",
        attributes={"firstName": ["Ada"], "lastName": ["King"], "groups": ["finance"]},
        in_response_to=request.id,
    )
    assert flow.post(browser, xml).status_code == 302
    user.refresh_from_db()
    assert user.name == "Ada King"
    assert Membership.objects.get(user=user, organization=org).role == Role.FINANCE
    browser.post("/sso/sign-out/")
    assert flow.sign_in(browser, "ada@acme.example", groups=[]).status_code == 302
    assert Membership.objects.get(user=user, organization=org).role == Role.VIEWER  # the default role
    assert AuditEntry.objects.filter(action="member.role_changed", organization_id=org.pk).count() == 2


def test_idp_initiated_sign_in_goes_to_the_relay_state(flow, org, browser, signed_in_user):
    response = flow.post(browser, flow.answer("grace@acme.example", ["event-admins"]), relay_state="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in_user(browser).email == "grace@acme.example"


def test_idp_initiated_is_refused_when_the_provider_does_not_allow_it(flow, provider, browser, signed_in_user):
    provider.allow_idp_initiated = False
    provider.save()
    response = flow.post(browser, flow.answer("grace@acme.example"))
    assert response.status_code == 403
    assert signed_in_user(browser) is None
    assert not User.objects.filter(email="grace@acme.example").exists()


def test_a_user_with_an_authenticator_passes_the_second_factor_first(flow, org, browser, signed_in_user):
    user = verified(UserFactory(email="ada@acme.example"))
    Membership.objects.create(user=user, organization=org, role=Role.EDITOR)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = flow.sign_in(browser, "ada@acme.example")
    assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/2fa/authenticate/")
    assert signed_in_user(browser) is None
    done = browser.post(response["Location"], {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))})
    assert done.status_code == 302, done.content
    assert signed_in_user(browser) == user
    assert SsoSession.objects.filter(user=user, ended_at__isnull=True).count() == 1


def test_sign_in_with_sso_discovers_the_provider_by_verified_domain(flow, provider, browser):
    page = browser.get("/sso/")
    assert page.status_code == 200 and b"Work email" in page.content
    response = browser.post("/sso/", {"email": "someone@ACME.example", "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == f"/sso/saml/{provider.pk}/login/?next=%2Fadmin%2F"


def test_an_unverified_domain_routes_nobody_and_signs_nobody_in(flow, org, provider, browser, signed_in_user):
    unverified = services.domain_claim(actor=SYSTEM, organization=org, domain="acme-labs.example", identity_provider=provider)
    assert unverified.verified_at is None
    response = browser.post("/sso/", {"email": "eve@acme-labs.example"})
    assert response.status_code == 200 and b"not set up" in response.content
    # The organization's own IdP asserting an address on a domain it has not proven it owns: refused.
    refused = flow.sign_in(browser, "eve@acme-labs.example")
    assert refused.status_code == 403
    assert signed_in_user(browser) is None and not User.objects.filter(email="eve@acme-labs.example").exists()
    # Nor can it sign in a user of a domain another organization verified.
    rival_domain = services.domain_claim(
        actor=SYSTEM, organization=OrganizationFactory(), domain="rival.example", identity_provider=None
    )
    rival_domain.verified_at = rival_domain.created_at
    rival_domain.save()
    assert flow.sign_in(browser, "boss@rival.example").status_code == 403
    assert AuditEntry.objects.filter(action="auth.failed", changes__method="sso").count() == 2


# -- the attacks ------------------------------------------------------------------------------
def _refused(flow, browser, signed_in_user, xml):
    response = flow.post(browser, xml)
    assert response.status_code == 403, response.content
    assert signed_in_user(browser) is None
    return AuditEntry.objects.filter(action="auth.failed", changes__method="sso").latest("id").changes["reason"]


def test_an_unsigned_assertion_is_refused(flow, browser, signed_in_user):
    request = flow.start(browser)
    reason = _refused(
        flow, browser, signed_in_user, flow.answer("ada@acme.example", in_response_to=request.id, sign_assertion=False)
    )
    assert "signed" in reason.lower()


def test_a_signed_response_around_an_unsigned_assertion_is_refused(flow, browser, signed_in_user):
    request = flow.start(browser)
    xml = flow.answer("ada@acme.example", in_response_to=request.id, sign_assertion=False, sign_response=True)
    assert "signed" in _refused(flow, browser, signed_in_user, xml).lower()


def test_signature_wrapping_is_refused(flow, browser, signed_in_user):
    request = flow.start(browser)
    xml = wrap_signature(flow.answer("nobody@acme.example", in_response_to=request.id), "boss@acme.example")
    _refused(flow, browser, signed_in_user, xml)
    assert not User.objects.filter(email__in=["boss@acme.example", "nobody@acme.example"]).exists()


def test_a_wrong_audience_is_refused(flow, browser, signed_in_user, other_org, idp_keys, tmp_path):
    # An assertion the same IdP issued to another service provider (another organization's), posted here.
    other_sp = make_provider(other_org, idp_keys[0])
    idp = TestIdP(tmp_path / "both", [saml.metadata_xml(flow.provider), saml.metadata_xml(other_sp)], idp_keys)
    request = flow.start(browser)
    xml = idp.response(
        sp_entity_id=saml.sp_urls(other_sp)["entity_id"],
        acs_url=flow.urls["acs"],
        email="ada@acme.example",
        in_response_to=request.id,
    )
    assert "audience" in _refused(flow, browser, signed_in_user, xml).lower()


def test_an_expired_assertion_is_refused(flow, browser, signed_in_user, monkeypatch):
    request = flow.start(browser)
    xml = flow.answer("ada@acme.example", in_response_to=request.id)
    # Delivered ten minutes after the IdP issued it (its conditions last five, the skew allowed is two).
    later = OneLogin_Saml2_Utils.now() + 600
    monkeypatch.setattr(OneLogin_Saml2_Utils, "now", staticmethod(lambda: later))
    reason = _refused(flow, browser, signed_in_user, xml)
    assert "expired" in reason.lower() or "notonorafter" in reason.lower().replace(" ", "")


def test_a_replayed_assertion_is_refused(flow, browser, signed_in_user):
    xml = flow.answer("ada@acme.example")  # IdP-initiated: no InResponseTo to use up
    assert flow.post(browser, xml).status_code == 302
    replay = Client(HTTP_HOST="localhost")
    assert _refused(flow, replay, signed_in_user, xml) == "assertion replayed"


def test_a_response_to_an_unknown_or_used_request_is_refused(flow, browser, signed_in_user):
    flow.start(browser)
    assert "InResponseTo" in _refused(flow, browser, signed_in_user, flow.answer("ada@acme.example", in_response_to="_forged"))
    request = flow.start(browser)
    assert flow.post(browser, flow.answer("ada@acme.example", in_response_to=request.id)).status_code == 302
    other = Client(HTTP_HOST="localhost")
    assert "InResponseTo" in _refused(flow, other, signed_in_user, flow.answer("ada@acme.example", in_response_to=request.id))


def test_a_response_signed_by_another_key_is_refused(flow, browser, signed_in_user, tmp_path):
    impostor = TestIdP(tmp_path / "impostor", saml.metadata_xml(flow.provider), new_key_pair("impostor"))
    request = flow.start(browser)
    xml = impostor.response(
        sp_entity_id=flow.urls["entity_id"], acs_url=flow.urls["acs"], email="ada@acme.example", in_response_to=request.id
    )
    _refused(flow, browser, signed_in_user, xml)


# -- single logout ----------------------------------------------------------------------------
def test_sp_initiated_single_logout(flow, browser, signed_in_user):
    flow.sign_in(browser, "ada@acme.example")
    response = browser.post("/sso/sign-out/")
    assert response.status_code == 302 and response["Location"].startswith(idp_module.SLO_URL)
    assert signed_in_user(browser) is None
    assert SsoSession.objects.get().ended_at is not None
    back = browser.get(flow.idp.logout_response_to(response["Location"], flow.urls["sls"]).removeprefix("http://localhost"))
    assert back.status_code == 302 and back["Location"] == "/portal/"


def test_the_one_sign_ins_sign_out_sends_a_logout_request_too(flow, browser, signed_in_user):
    """The console's and the portal's "Sign out" (allauth's) continues to the IdP's single logout."""
    flow.sign_in(browser, "ada@acme.example")
    out = browser.post("/portal/accounts/logout/")
    assert out.status_code == 302 and out["Location"] == "/sso/sign-out/continue/"
    assert signed_in_user(browser) is None and SsoSession.objects.get().ended_at is not None
    onward = browser.get(out["Location"])
    assert onward.status_code == 302 and onward["Location"].startswith(idp_module.SLO_URL)
    back = browser.get(flow.idp.logout_response_to(onward["Location"], flow.urls["sls"]).removeprefix("http://localhost"))
    assert back.status_code == 302 and back["Location"] == "/portal/"


def test_idp_initiated_single_logout_ends_the_session(flow, browser, signed_in_user):
    flow.sign_in(browser, "ada@acme.example")
    assert signed_in_user(browser) is not None
    opened = SsoSession.objects.get()
    url = flow.idp.sign_logout_request(sls_url=flow.urls["sls"], name_id="ada@acme.example", session_index=opened.session_index)
    idp_browser = Client(HTTP_HOST="localhost")  # the IdP's front channel may come without the platform's cookie
    response = idp_browser.get(url.removeprefix("http://localhost"))
    assert response.status_code == 302 and response["Location"].startswith(idp_module.SLO_URL)
    assert "SAMLResponse=" in response["Location"]
    assert signed_in_user(browser) is None
    assert AuditEntry.objects.filter(action="auth.sso_signed_out").exists()


def test_an_unsigned_logout_request_is_refused(flow, browser, signed_in_user):
    flow.sign_in(browser, "ada@acme.example")
    url = flow.idp.sign_logout_request(sls_url=flow.urls["sls"], name_id="ada@acme.example")
    unsigned = re.sub(r"&(SigAlg|Signature)=[^&]*", "", url.removeprefix("http://localhost"))
    assert Client(HTTP_HOST="localhost").get(unsigned).status_code == 403
    assert signed_in_user(browser) is not None


def test_metadata_publishes_the_sp_and_keeps_the_old_key_through_a_rotation(flow, provider, browser, signed_in_user, tmp_path):
    first = browser.get(f"/sso/saml/{provider.pk}/metadata/")
    assert first.status_code == 200 and first["Content-Type"].startswith("application/samlmetadata+xml")
    old_cert = pem_body(provider.sp_keys.get().certificate)
    assert old_cert in first.content.decode() and flow.urls["acs"] in first.content.decode()
    services.sp_key_rotate(actor=SYSTEM, provider=provider)
    after = browser.get(f"/sso/saml/{provider.pk}/metadata/").content.decode()
    new_cert = pem_body(provider.sp_keys.get(state="active").certificate)
    assert new_cert in after and old_cert in after
    # An IdP that has not read the new metadata yet still checks requests against... the platform signs with the new
    # key, and sign-in keeps working with an IdP that knows both.
    idp = TestIdP(tmp_path / "idp2", after, (flow.idp.certificate, (tmp_path / "idp" / "idp.key").read_text()))
    flow.idp = idp
    assert flow.sign_in(browser, "ada@acme.example").status_code == 302
    assert signed_in_user(browser).email == "ada@acme.example"


# -- encrypted assertions ---------------------------------------------------------------------
def _encrypted(flow, idp, request_id):
    return idp.server.create_authn_response(
        {"email": ["ada@acme.example"], "groups": ["finance"]},
        in_response_to=request_id,
        destination=flow.urls["acs"],
        sp_entity_id=flow.urls["entity_id"],
        name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text="ada@acme.example"),
        authn=idp.authn.get_authn_by_accr(PASSWORD),
        sign_assertion=True,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
        encrypt_assertion=True,
        encrypt_assertion_self_contained=False,
    )


def test_an_encrypted_assertion_is_read_also_during_a_key_rotation(flow, provider, browser, signed_in_user, tmp_path, idp_keys):
    assert 'use="encryption"' in saml.metadata_xml(provider)
    request = flow.start(browser)
    xml = str(_encrypted(flow, flow.idp, request.id))
    assert "EncryptedAssertion" in xml and "ada@acme.example" not in xml.split("EncryptedAssertion")[1]
    first = flow.post(browser, xml)
    assert first.status_code == 302, AuditEntry.objects.filter(action="auth.failed").latest("id").changes
    assert signed_in_user(browser).email == "ada@acme.example"
    browser.post("/sso/sign-out/")
    # The platform rotates its key; an IdP that still encrypts to the previous certificate keeps working.
    old_metadata = saml.metadata_xml(provider)
    services.sp_key_rotate(actor=SYSTEM, provider=provider)
    stale_idp = TestIdP(tmp_path / "stale", old_metadata, idp_keys)
    request = flow.start(browser)
    assert flow.post(browser, str(_encrypted(flow, stale_idp, request.id))).status_code == 302
    assert signed_in_user(browser).email == "ada@acme.example"
