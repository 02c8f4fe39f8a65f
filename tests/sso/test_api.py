"""The single sign-on API: identity providers (fields or metadata), email domains and their verification, key
rotation, enforcement; owners only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from core.models import AuditEntry
from core.secrets import decrypt
from sso.keys import new_key_pair, pem_body
from sso.models import EmailDomain, IdentityProvider
from tests.conftest import error_of
from tests.sso import idp as idp_module
from tests.sso.idp import idp_metadata

pytestmark = pytest.mark.django_db

PROVIDERS = "/api/v1/identity-providers"
DOMAINS = "/api/v1/email-domains"


def test_an_owner_adds_a_saml_provider_from_its_metadata(client_owner, org, tmp_path):
    cert, key = new_key_pair("okta")
    body = {
        "protocol": "saml",
        "name": "Okta",
        "metadataXml": idp_metadata(cert, key, tmp_path),
        "roleMappings": [{"group": "Event_Admins", "role": "admin"}],
        "defaultRole": "viewer",
    }
    response = client_owner.post(PROVIDERS, body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"] == f"{PROVIDERS}/{created['id']}"
    assert (created["idpEntityId"], created["ssoUrl"], created["sloUrl"]) == (
        idp_module.ENTITY_ID,
        idp_module.SSO_URL,
        idp_module.SLO_URL,
    )
    assert created["signingCertificates"] == [pem_body(cert)]
    assert created["roleMappings"] == [{"group": "Event_Admins", "role": "admin"}]
    sp = created["serviceProvider"]
    assert sp["acsUrl"].endswith(f"/sso/saml/{created['id']}/acs/") and len(sp["certificates"]) == 1
    assert IdentityProvider.objects.get(pk=created["id"]).organization == org
    assert AuditEntry.objects.filter(action="identity_provider.created", object_id=created["id"]).exists()

    rotated = client_owner.post(f"{PROVIDERS}/{created['id']}/rotate-key").json()
    assert len(rotated["serviceProvider"]["certificates"]) == 2
    assert rotated["serviceProvider"]["certificates"][1] == sp["certificates"][0]  # the old one stays published

    listed = client_owner.get(PROVIDERS).json()["data"]
    assert [p["id"] for p in listed] == [created["id"]]


def test_unreadable_metadata_and_incomplete_providers_are_refused(client_owner):
    bad = client_owner.post(PROVIDERS, {"protocol": "saml", "name": "X", "metadataXml": "<nope/>"}, format="json")
    assert bad.status_code == 400 and error_of(bad)["code"] == "IDENTITY_PROVIDER_METADATA_UNREADABLE"
    missing = client_owner.post(PROVIDERS, {"protocol": "saml", "name": "X", "ssoUrl": "https://idp.example/sso"}, format="json")
    assert missing.status_code == 400 and error_of(missing)["code"] == "IDENTITY_PROVIDER_INVALID"
    oidc = client_owner.post(
        PROVIDERS, {"protocol": "oidc", "name": "X", "issuer": "https://id.example", "clientId": "abc"}, format="json"
    )
    assert error_of(oidc)["code"] == "IDENTITY_PROVIDER_INVALID" and error_of(oidc)["target"] == "client_secret"


def test_an_oidc_client_secret_is_stored_encrypted_and_never_shown(client_owner):
    body = {"protocol": "oidc", "name": "Entra", "issuer": "https://id.example", "clientId": "abc", "clientSecret": "s3cret"}
    created = client_owner.post(PROVIDERS, body, format="json").json()
    assert created["hasClientSecret"] is True and "s3cret" not in str(created) and created["serviceProvider"] is None
    stored = IdentityProvider.objects.get(pk=created["id"])
    assert stored.client_secret != "s3cret" and decrypt(stored.client_secret) == "s3cret"
    patched = client_owner.patch(f"{PROVIDERS}/{created['id']}", {"protocol": "saml"}, format="json")
    assert patched.status_code == 400


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EDITOR, Role.VIEWER])
def test_only_owners_configure_single_sign_on(api, member, role):
    client = api(member(role))
    for response in (
        client.get(PROVIDERS),
        client.post(DOMAINS, {"domain": "acme.example"}, format="json"),
        client.get("/api/v1/sso-enforcement"),
    ):
        assert response.status_code == 403, response.content


class _TokenFile(BaseHTTPRequestHandler):
    published: dict[str, str] = {}

    def do_GET(self) -> None:
        body = self.published.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.end_headers()
        self.wfile.write((body or "not here").encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def website(settings: Any) -> Iterator[dict[str, str]]:
    """The domains' web server on 127.0.0.1: paths /<domain>/.well-known/... serve what the test publishes."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenFile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SSO_DOMAIN_VERIFICATION_URL = (
        f"http://127.0.0.1:{server.server_port}/{{domain}}/.well-known/emp-domain-verification.txt"
    )
    _TokenFile.published = {}
    yield _TokenFile.published
    server.shutdown()
    server.server_close()


def test_a_domain_is_verified_once_its_token_is_published(client_owner, org, website):
    claimed = client_owner.post(DOMAINS, {"domain": "Acme.Example"}, format="json")
    assert claimed.status_code == 201, claimed.content
    domain = claimed.json()
    assert domain["domain"] == "acme.example" and domain["verified"] is False
    assert domain["verificationToken"].startswith("emp-domain-verification=")
    verify = f"{DOMAINS}/{domain['id']}/verify"
    not_yet = client_owner.post(verify)
    assert not_yet.status_code == 409 and error_of(not_yet)["code"] == "EMAIL_DOMAIN_NOT_VERIFIED"
    website["/acme.example/.well-known/emp-domain-verification.txt"] = "some other token"
    assert client_owner.post(verify).status_code == 409
    website["/acme.example/.well-known/emp-domain-verification.txt"] = domain["verificationToken"] + "\n"
    done = client_owner.post(verify)
    assert done.status_code == 200 and done.json()["verified"] is True
    assert AuditEntry.objects.filter(action="email_domain.verified", organization_id=org.pk).exists()


def test_a_domain_verified_by_one_organization_cannot_be_taken_by_another(api, org, other_org, member, website):
    owner_a = member(Role.OWNER)
    owner_b = member(Role.OWNER, organization=other_org)
    a, b = api(owner_a), api(owner_b)
    a_domain = a.post(DOMAINS, {"domain": "shared.example"}, format="json").json()
    b_domain = b.post(DOMAINS, {"domain": "shared.example"}, format="json").json()  # claiming is allowed to both
    website["/shared.example/.well-known/emp-domain-verification.txt"] = a_domain["verificationToken"]
    assert a.post(f"{DOMAINS}/{a_domain['id']}/verify").status_code == 200
    website["/shared.example/.well-known/emp-domain-verification.txt"] = b_domain["verificationToken"]
    taken = b.post(f"{DOMAINS}/{b_domain['id']}/verify")
    assert taken.status_code == 409 and error_of(taken)["code"] == "EMAIL_DOMAIN_TAKEN"
    again = b.post(DOMAINS, {"domain": "SHARED.example"}, format="json")
    assert again.status_code == 409 and error_of(again)["code"] == "EMAIL_DOMAIN_TAKEN"
    assert EmailDomain.objects.filter(domain="shared.example", verified_at__isnull=False).get().organization == org


def test_enforcement_through_the_api(client_owner, owner, org, idp_keys):
    from tests.sso.conftest import make_provider, verified_domain

    refused = client_owner.put("/api/v1/sso-enforcement", {"enforced": True, "breakGlassOwners": [str(owner.pk)]}, format="json")
    assert refused.status_code == 409 and error_of(refused)["code"] == "SSO_ENFORCE_WITHOUT_PROVIDER"
    verified_domain(org, make_provider(org, idp_keys[0]))
    done = client_owner.put("/api/v1/sso-enforcement", {"enforced": True, "breakGlassOwners": [str(owner.pk)]}, format="json")
    assert done.status_code == 200, done.content
    assert done.json() == {"enforced": True, "breakGlassOwners": [str(owner.pk)]}
    assert client_owner.get("/api/v1/sso-enforcement").json()["enforced"] is True


def test_scim_tokens_are_shown_once_and_revoked(client_owner, org, provider):
    created = client_owner.post("/api/v1/scim-tokens", {"name": "Okta"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    raw = body["token"]
    assert raw.startswith("scim_") and body["prefix"] == raw[:12]
    assert "token" not in client_owner.get(f"/api/v1/scim-tokens/{body['id']}").json()
    assert raw not in str(client_owner.get("/api/v1/scim-tokens").json())
    scim = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert scim.get("/scim/v2/Users").status_code == 200
    assert client_owner.delete(f"/api/v1/scim-tokens/{body['id']}").status_code == 204
    assert scim.get("/scim/v2/Users").status_code == 401
    assert client_owner.get(f"/api/v1/scim-tokens/{body['id']}").json()["revokedAt"] is not None
