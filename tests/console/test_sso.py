"""The console's single sign-on pages: identity providers (SAML from a metadata URL over real HTTP, OpenID Connect),
the platform's keys, domains verified against a real web server, role mapping, enforced SSO, SCIM tokens; owners only;
another organization's providers, domains and tokens are a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Perm, Role, role_has
from core.audit import SYSTEM
from core.secrets import decrypt
from sso import scim_services, services
from sso.keys import new_key_pair
from sso.models import EmailDomain, IdentityProvider, ScimToken
from tests.sso import idp as idp_module
from tests.sso.test_api import website  # noqa: F401  (the domains' web server)
from tests.sso.test_metadata_url import host, keys  # noqa: F401  (the IdP's metadata server)

pytestmark = pytest.mark.django_db

SSO = reverse("console:sso")
NEW = reverse("console:sso-provider-new")


def _page(provider: IdentityProvider) -> str:
    return reverse("console:sso-provider", args=[provider.pk])


def _oidc(organization: Any, name: str = "Okta") -> IdentityProvider:
    return services.identity_provider_create(
        actor=SYSTEM,
        organization=organization,
        data={
            "protocol": "oidc",
            "name": name,
            "issuer": "https://acme.okta.example",
            "client_id": "0oa1",
            "client_secret": "s3",
        },
    )


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_only_owners_open_the_single_sign_on_pages(world, as_role, role):
    provider = _oidc(world.org)
    allowed = role_has(role, Perm.ORGANIZATION_MANAGE)
    client = as_role(role)
    for url in (SSO, f"{NEW}?protocol=saml", _page(provider)):
        assert client.get(url).status_code == (200 if allowed else 403), (role, url)
    posted = client.post(_page(provider), {"action": "delete"})
    assert posted.status_code == (302 if allowed else 403)
    assert IdentityProvider.objects.filter(pk=provider.pk).exists() != allowed
    if role_has(role, Perm.CONSOLE_OPEN):
        assert ('href="/console/sso/"' in client.get(reverse("console:home")).content.decode()) == allowed


def test_another_organizations_provider_domain_and_token_are_404(world, as_role):
    theirs = _oidc(world.other_org, "Rival IdP")
    domain = services.domain_claim(actor=SYSTEM, organization=world.other_org, domain="rival.example", identity_provider=theirs)
    token, _secret = scim_services.scim_token_create(actor=SYSTEM, organization=world.other_org, name="Rival", created_by=None)
    mine = _oidc(world.org)
    client = as_role("owner")
    assert client.get(_page(theirs)).status_code == 404
    assert client.post(_page(theirs), {"action": "delete"}).status_code == 404
    for action, field, value in (
        ("domain-verify", "domain", domain.pk),
        ("domain-delete", "domain", domain.pk),
        ("scim-revoke", "token", token.pk),
    ):
        assert client.post(SSO, {"action": action, field: str(value)}).status_code == 404, action
    own_domain = services.domain_claim(actor=SYSTEM, organization=world.org, domain="acme.example", identity_provider=None)
    routed = client.post(SSO, {"action": "domain-route", "domain": str(own_domain.pk), "identity_provider": str(theirs.pk)})
    assert routed.status_code == 404  # a domain cannot be routed to another organization's provider
    page = client.get(SSO).content.decode()
    assert "Rival IdP" not in page and "rival.example" not in page and mine.name in page
    assert IdentityProvider.objects.filter(pk=theirs.pk).exists() and EmailDomain.objects.filter(pk=domain.pk).exists()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_owner_adds_a_saml_provider_from_its_metadata_url_and_rotates_the_key(world, as_role, host, keys, tmp_path):  # noqa: F811
    client = as_role("owner")
    form = client.get(f"{NEW}?protocol=saml").content.decode()
    assert 'name="metadata_url"' in form and 'name="client_secret"' not in form
    response = client.post(
        NEW,
        {
            "protocol": "saml",
            "name": "Okta",
            "enabled": "on",
            "metadata_url": host.metadata_url,
            "email_attribute": "email",
            "role_mapping": "Event_Admins = admin\nFinance Team = finance",
            "default_role": "viewer",
            "jit_provisioning": "on",
            "allow_idp_initiated": "on",
        },
    )
    provider = IdentityProvider.objects.get(organization=world.org)
    assert response.status_code == 302 and response["Location"] == _page(provider)
    assert provider.idp_entity_id == idp_module.ENTITY_ID and provider.metadata_url == host.metadata_url
    assert provider.role_mapping == {"Event_Admins": "admin", "Finance Team": "finance"}
    page = client.get(_page(provider)).content.decode()
    assert f"/sso/saml/{provider.pk}/acs/" in page and f"/sso/saml/{provider.pk}/sls/" in page
    assert "Event_Admins = admin" in page

    before = provider.signing_certificates
    host.document = idp_module.idp_metadata(*new_key_pair("rotated idp"), tmp_path / "rotated")
    refreshed = client.post(_page(provider), {"action": "refresh-metadata"}, follow=True).content.decode()
    assert "The metadata was read again" in refreshed
    provider.refresh_from_db()
    assert provider.signing_certificates != before and len(host.calls("GET")) == 2

    rotated = client.post(_page(provider), {"action": "rotate-key"}, follow=True).content.decode()
    assert "A new key signs from now on" in rotated and rotated.count("<summary>Certificate</summary>") == 2


def test_an_unreachable_metadata_url_is_explained_and_nothing_is_added(world, as_role, host):  # noqa: F811
    with host.down():
        page = as_role("owner").post(
            NEW,
            {
                "protocol": "saml",
                "name": "Okta",
                "metadata_url": host.metadata_url,
                "email_attribute": "email",
                "default_role": "viewer",
            },
        )
    text = page.content.decode()
    assert page.status_code == 200 and "metadata URL could not be fetched" in text and "ConnectionRefusedError" in text
    assert not IdentityProvider.objects.exists()


def test_an_owner_adds_an_openid_provider_and_the_secret_is_kept_when_left_empty(world, as_role):
    client = as_role("owner")
    data = {
        "protocol": "oidc",
        "name": "Entra ID",
        "enabled": "on",
        "issuer": "https://login.microsoftonline.example/tenant/v2.0",
        "client_id": "app-1",
        "client_secret": "first-secret",
        "email_attribute": "email",
        "groups_attribute": "groups",
        "role_mapping": "",
        "default_role": "editor",
        "jit_provisioning": "on",
    }
    assert client.post(NEW, data).status_code == 302
    provider = IdentityProvider.objects.get(organization=world.org)
    assert decrypt(provider.client_secret) == "first-secret"
    page = client.get(_page(provider)).content.decode()
    assert f"/sso/oidc/{provider.pk}/callback/" in page and f"/sso/oidc/{provider.pk}/signed-out/" in page
    assert "first-secret" not in page
    saved = client.post(_page(provider), {**data, "action": "save", "client_secret": "", "name": "Entra"}, follow=True)
    assert "Entra is saved" in saved.content.decode() or "is saved" in saved.content.decode()
    provider.refresh_from_db()
    assert provider.name == "Entra" and decrypt(provider.client_secret) == "first-secret"


def test_a_role_mapping_with_an_unknown_role_is_refused(world, as_role):
    provider = _oidc(world.org)
    client = as_role("owner")
    answer = client.post(
        _page(provider),
        {
            "action": "save",
            "name": "Okta",
            "issuer": provider.issuer,
            "client_id": "0oa1",
            "email_attribute": "email",
            "role_mapping": "admins = superuser",
            "default_role": "viewer",
        },
    )
    assert answer.status_code == 200 and "is not “group = role” with a known role" in answer.content.decode()
    provider.refresh_from_db()
    assert provider.role_mapping == {}


def test_a_domain_is_claimed_verified_routed_and_removed(world, as_role, website):  # noqa: F811
    provider = _oidc(world.org)
    client = as_role("owner")
    bad = client.post(SSO, {"action": "domain-claim", "domain": "not a domain"}, follow=True).content.decode()
    assert "Type an email domain" in bad and not EmailDomain.objects.exists()
    client.post(SSO, {"action": "domain-claim", "domain": "Acme.Example", "identity_provider": str(provider.pk)})
    domain = EmailDomain.objects.get(organization=world.org)
    assert domain.domain == "acme.example" and domain.identity_provider == provider and not domain.verified
    page = client.get(SSO).content.decode()
    assert domain.verification_token in page and "/acme.example/.well-known/emp-domain-verification.txt" in page
    refused = client.post(SSO, {"action": "domain-verify", "domain": str(domain.pk)}, follow=True).content.decode()
    assert "verification token was not found" in refused
    website["/acme.example/.well-known/emp-domain-verification.txt"] = domain.verification_token
    done = client.post(SSO, {"action": "domain-verify", "domain": str(domain.pk)}, follow=True).content.decode()
    assert "acme.example is verified" in done
    domain.refresh_from_db()
    assert domain.verified
    client.post(SSO, {"action": "domain-route", "domain": str(domain.pk), "identity_provider": ""})
    domain.refresh_from_db()
    assert domain.identity_provider is None
    client.post(SSO, {"action": "domain-delete", "domain": str(domain.pk)})
    assert not EmailDomain.objects.filter(pk=domain.pk).exists()


def test_enforcing_sso_needs_a_routed_verified_domain_and_a_break_glass_owner(world, as_role):
    owner = world.users["owner"]
    client = as_role("owner")
    early = client.post(SSO, {"action": "enforce", "enforced": "on", "break_glass": [str(owner.pk)]}, follow=True)
    assert "cannot be enforced yet" in early.content.decode()
    world.org.refresh_from_db()
    assert not world.org.enforce_sso
    provider = _oidc(world.org)
    claimed = services.domain_claim(actor=SYSTEM, organization=world.org, domain="acme.example", identity_provider=provider)
    EmailDomain.objects.filter(pk=claimed.pk).update(verified_at=claimed.created_at)
    client.post(SSO, {"action": "enforce", "enforced": "on", "break_glass": [str(owner.pk), str(world.users["admin"].pk)]})
    world.org.refresh_from_db()
    assert world.org.enforce_sso
    glass = Membership.objects.filter(organization=world.org, sso_break_glass=True).values_list("user__email", flat=True)
    assert list(glass) == ["owner@acme.example"]  # only owners can be break-glass accounts


def test_a_scim_token_is_shown_once_works_and_is_revoked(world, as_role, client):
    owner = as_role("owner")
    created = owner.post(SSO, {"action": "scim-create", "name": "Okta provisioning"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    token = ScimToken.objects.get(organization=world.org)
    text = created.content.decode()
    secret = text.split('id="new-secret" readonly value="', 1)[1].split('"', 1)[0]
    assert secret.startswith(token.prefix)
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert secret not in owner.get(SSO).content.decode()
    owner.post(SSO, {"action": "scim-revoke", "token": str(token.pk)})
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
