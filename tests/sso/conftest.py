"""An organization with a SAML identity provider (the pysaml2 IdP in tests.sso.idp) behind a verified domain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from accounts.roles import Role
from core.audit import SYSTEM
from sso import saml, services
from sso.keys import new_key_pair
from sso.models import EmailDomain, IdentityProvider, Protocol
from tests.sso import idp as idp_module
from tests.sso.idp import TestIdP

ROLE_MAPPING = {"event-admins": Role.ADMIN, "finance": Role.FINANCE, "platform-owners": Role.OWNER}


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "http://localhost"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]


@pytest.fixture(scope="session")
def idp_keys() -> tuple[str, str]:
    return new_key_pair("test idp")


def make_provider(organization: Organization, certificate: str, **extra: Any) -> IdentityProvider:
    return services.identity_provider_create(
        actor=SYSTEM,
        organization=organization,
        data={
            "protocol": Protocol.SAML,
            "name": "Partner IdP",
            "idp_entity_id": idp_module.ENTITY_ID,
            "sso_url": idp_module.SSO_URL,
            "slo_url": idp_module.SLO_URL,
            "signing_certificates": [certificate],
            "role_mapping": ROLE_MAPPING,
            "default_role": Role.VIEWER,
            **extra,
        },
    )


def verified_domain(organization: Organization, provider: IdentityProvider | None, domain: str = "acme.example") -> EmailDomain:
    claimed = services.domain_claim(actor=SYSTEM, organization=organization, domain=domain, identity_provider=provider)
    claimed.verified_at = timezone.now()
    claimed.save(update_fields=["verified_at"])
    return claimed


@pytest.fixture
def provider(org: Organization, idp_keys: tuple[str, str]) -> IdentityProvider:
    made = make_provider(org, idp_keys[0])
    verified_domain(org, made)
    return made


@pytest.fixture
def idp(provider: IdentityProvider, idp_keys: tuple[str, str], tmp_path: Any) -> TestIdP:
    return TestIdP(tmp_path / "idp", saml.metadata_xml(provider), idp_keys)


class Flow:
    """The browser's side of a SAML sign-in: the platform's redirect, the IdP's answer posted back."""

    def __init__(self, provider: IdentityProvider, idp: TestIdP) -> None:
        self.provider, self.idp = provider, idp
        self.urls = saml.sp_urls(provider)

    def start(self, client: Client, next_url: str = "/portal/dashboard/") -> Any:
        response = client.get(f"/sso/saml/{self.provider.pk}/login/", {"next": next_url})
        assert response.status_code == 302, response.content
        assert response["Location"].startswith(idp_module.SSO_URL)
        return self.idp.authn_request(response["Location"])

    def answer(self, email: str, groups: list[str] | None = None, in_response_to: str | None = None, **kwargs: Any) -> str:
        attributes = {"firstName": ["Ada"], "lastName": ["Lovelace"], "groups": groups or []}
        return self.idp.response(
            sp_entity_id=self.urls["entity_id"],
            acs_url=self.urls["acs"],
            email=email,
            attributes=attributes,
            in_response_to=in_response_to,
            **kwargs,
        )

    def post(self, client: Client, xml: str, relay_state: str = "") -> Any:
        data = {"SAMLResponse": idp_module.encode(xml)}
        if relay_state:
            data["RelayState"] = relay_state
        return client.post(f"/sso/saml/{self.provider.pk}/acs/", data)

    def sign_in(self, client: Client, email: str, groups: list[str] | None = None) -> Any:
        request = self.start(client)
        return self.post(client, self.answer(email, groups, in_response_to=request.id))


@pytest.fixture
def flow(provider: IdentityProvider, idp: TestIdP) -> Flow:
    return Flow(provider, idp)


@pytest.fixture
def signed_in_user() -> Callable[[Client], User | None]:
    def who(client: Client) -> User | None:
        response = client.get("/api/v1/users/me")
        if response.status_code != 200:
            return None
        return User.objects.get(pk=response.json()["id"])

    return who


@pytest.fixture
def browser() -> Client:
    """A browser on the platform's own address (SITE_URL): SAML checks the URL a response is posted to."""
    return Client(HTTP_HOST="localhost")
