"""A SAML provider's metadata read from the URL its IdP publishes it at: a real HTTP server on 127.0.0.1 serves the
pysaml2 IdP's metadata document (plain, signed, expired, tampered, too large, slow, moved, gone), and the API and the
services fetch it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry
from sso import saml, services
from sso.keys import new_key_pair, pem_body
from sso.models import IdentityProvider
from tests.conftest import error_of
from tests.fakes.server import FakeVendor, Reply, Request
from tests.sso import idp as idp_module
from tests.sso.conftest import Flow, verified_domain
from tests.sso.idp import TestIdP, idp_metadata

pytestmark = pytest.mark.django_db

PROVIDERS = "/api/v1/identity-providers"
PATH = "/app/exk1fcia6d6EMsf331t7/sso/saml/metadata"  # where Okta publishes an app's IdP metadata


class MetadataHost(FakeVendor):
    """The IdP's web server: ``document`` at PATH as application/samlmetadata+xml, as Okta, Entra ID and Keycloak serve it."""

    def __init__(self) -> None:
        super().__init__()
        self.document = ""
        self.route("GET", PATH, self.metadata)
        self.route("GET", "/old-location", lambda request: (301, {"Location": f"{self.url}{PATH}"}, b""))

    def metadata(self, request: Request) -> Reply:
        return 200, {"Content-Type": "application/samlmetadata+xml"}, self.document.encode()

    @property
    def metadata_url(self) -> str:
        return f"{self.url}{PATH}"


@pytest.fixture
def keys() -> tuple[str, str]:
    return new_key_pair("partner idp")


@pytest.fixture
def host(settings: Any, keys: tuple[str, str], tmp_path: Any) -> Iterator[MetadataHost]:
    settings.SSO_METADATA_ALLOW_HTTP = True  # the local server speaks plain http on 127.0.0.1
    settings.SSO_METADATA_ALLOW_LOOPBACK = True
    settings.SSO_HTTP_TIMEOUT = 2.0
    server = MetadataHost()
    server.document = idp_metadata(*keys, tmp_path / "md")
    server.start()
    yield server
    server.stop()


def _create(client: Any, url: str) -> Any:
    return client.post(PROVIDERS, {"protocol": "saml", "name": "Okta", "metadataUrl": url}, format="json")


def test_an_owner_adds_a_saml_provider_from_its_metadata_url(client_owner, org, host, keys):
    response = _create(client_owner, host.metadata_url)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["idpEntityId"], created["ssoUrl"], created["sloUrl"]) == (
        idp_module.ENTITY_ID,
        idp_module.SSO_URL,
        idp_module.SLO_URL,
    )
    assert created["signingCertificates"] == [pem_body(keys[0])]
    assert created["metadataUrl"] == host.metadata_url and created["metadataFetchedAt"]
    fetched = host.calls("GET", PATH)
    assert len(fetched) == 1 and "application/samlmetadata+xml" in fetched[0].header("Accept")
    assert IdentityProvider.objects.get(pk=created["id"]).organization == org


def test_a_provider_read_from_its_url_signs_people_in(browser, org, host, keys, tmp_path):
    provider = services.identity_provider_create(
        actor=SYSTEM, organization=org, data={"protocol": "saml", "name": "Okta", "metadata_url": host.metadata_url}
    )
    verified_domain(org, provider)
    flow = Flow(provider, TestIdP(tmp_path / "idp", saml.metadata_xml(provider), keys))
    response = flow.sign_in(browser, "ada@acme.example")
    assert response.status_code == 302 and response["Location"] == "/portal/dashboard/", response.content[:500]


def test_reading_the_url_again_takes_the_idps_new_signing_key(client_owner, org, host, tmp_path):
    provider_id = _create(client_owner, host.metadata_url).json()["id"]
    rotated = new_key_pair("partner idp 2027")
    host.document = idp_metadata(*rotated, tmp_path / "rotated", sign=True)
    provider = IdentityProvider.objects.get(pk=provider_id)
    services.identity_provider_refresh_metadata(actor=SYSTEM, provider=provider)
    provider.refresh_from_db()
    assert provider.signing_certificates == [pem_body(rotated[0])]
    assert len(host.calls("GET", PATH)) == 2
    assert AuditEntry.objects.filter(action="identity_provider.updated", object_id=provider_id).exists()
    # Through the API: PATCH naming the URL reads it again.
    host.document = idp_metadata(*new_key_pair("partner idp 2028"), tmp_path / "again")
    answer = client_owner.patch(f"{PROVIDERS}/{provider_id}", {"metadataUrl": host.metadata_url}, format="json")
    assert answer.status_code == 200 and answer.json()["signingCertificates"] != [pem_body(rotated[0])]


def test_a_signed_document_is_accepted_and_a_tampered_one_refused(client_owner, host, keys, tmp_path):
    signed = idp_metadata(*keys, tmp_path / "signed", sign=True)
    assert "<ds:Signature" in signed or "Signature" in signed
    host.document = signed
    assert _create(client_owner, host.metadata_url).status_code == 201
    # Someone between the IdP and the platform points the sign-in elsewhere, leaving the signature in place.
    host.document = signed.replace(idp_module.SSO_URL, "https://evil.example/saml/sso")
    response = _create(client_owner, host.metadata_url)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "IDENTITY_PROVIDER_METADATA_UNREADABLE" and error["target"] == "metadata_url"
    assert "signature does not verify" in error["details"]
    assert IdentityProvider.objects.count() == 1


def test_an_expired_document_is_refused(client_owner, host, keys, tmp_path):
    host.document = idp_metadata(*keys, tmp_path / "old", valid_until="2020-01-01T00:00:00Z")
    error = error_of(_create(client_owner, host.metadata_url))
    assert error["code"] == "IDENTITY_PROVIDER_METADATA_UNREADABLE" and "expired" in error["details"]
    host.document = idp_metadata(*keys, tmp_path / "garbled", valid_until="next tuesday")
    assert "is not a date and time" in error_of(_create(client_owner, host.metadata_url))["details"]
    host.document = idp_metadata(*keys, tmp_path / "fresh", valid_until="2099-01-01T00:00:00Z")
    assert _create(client_owner, host.metadata_url).status_code == 201


def test_a_page_that_is_not_metadata_is_refused(client_owner, host):
    host.document = "<!doctype html><html><body>Sign in to Okta</body></html>"
    error = error_of(_create(client_owner, host.metadata_url))
    assert error["code"] == "IDENTITY_PROVIDER_METADATA_UNREADABLE" and error["target"] == "metadata_url"


def _unreachable(client: Any, url: str) -> str:
    response = _create(client, url)
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["code"] == "IDENTITY_PROVIDER_METADATA_UNREACHABLE" and error["target"] == "metadata_url", error
    assert not IdentityProvider.objects.exists()
    return str(error["details"])


def test_an_unreachable_url_is_a_clear_error(client_owner, host):
    assert "answered 404" in _unreachable(client_owner, f"{host.url}/no/such/metadata")
    moved = _unreachable(client_owner, f"{host.url}/old-location")
    assert "answered 301" in moved and "redirects are not followed" in moved and PATH in moved
    with host.down():
        assert "ConnectionRefusedError" in _unreachable(client_owner, host.metadata_url)
    assert "does not resolve" in _unreachable(client_owner, "https://idp.invalid/metadata")


def test_a_slow_server_is_given_up_on(client_owner, host, settings):
    settings.SSO_HTTP_TIMEOUT = 0.5
    host.delay = 1.5
    assert "within 0.5 s" in _unreachable(client_owner, host.metadata_url)


def test_a_document_larger_than_the_limit_is_not_read(client_owner, host, settings):
    settings.SSO_METADATA_MAX_BYTES = 2_000
    assert len(host.document) > 2_000
    assert "more than the 2000 accepted" in _unreachable(client_owner, host.metadata_url)


def test_plain_http_and_the_platforms_own_network_are_refused_by_default(client_owner, host, settings):
    settings.SSO_METADATA_ALLOW_HTTP = False
    assert "must be an https URL" in _unreachable(client_owner, host.metadata_url)
    settings.SSO_METADATA_ALLOW_HTTP = True
    settings.SSO_METADATA_ALLOW_LOOPBACK = False
    assert "resolves to 127.0.0.1 (loopback)" in _unreachable(client_owner, host.metadata_url)
    assert "(private)" in _unreachable(client_owner, "http://10.1.2.3/metadata")
    assert "(link-local)" in _unreachable(client_owner, "http://169.254.169.254/latest/meta-data/")
    assert host.calls() == []


def test_refreshing_a_provider_without_a_url_is_refused(org, host):
    provider = services.identity_provider_create(
        actor=SYSTEM, organization=org, data={"protocol": "saml", "name": "Okta", "metadata_url": host.metadata_url}
    )
    services.identity_provider_update(actor=SYSTEM, provider=provider, data={"metadata_url": ""})
    provider.refresh_from_db()
    assert provider.metadata_url == "" and provider.metadata_fetched_at is None
    with pytest.raises(DomainError) as refused:
        services.identity_provider_refresh_metadata(actor=SYSTEM, provider=provider)
    assert refused.value.target == "metadata_url"
