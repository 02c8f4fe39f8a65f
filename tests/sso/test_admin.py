"""The model admin's single sign-on pages: platform superusers configure providers and domains; no organizer enters."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from sso.models import EmailDomain, IdentityProvider
from tests.sso import idp as idp_module
from tests.sso.test_api import idp_metadata

pytestmark = pytest.mark.django_db

PROVIDERS = "/admin/sso/identityprovider/"


def test_a_superuser_adds_a_saml_provider_from_metadata_and_claims_a_domain(root, console, org, idp_keys, tmp_path):
    client = console(root)
    form = {
        "organization": str(org.pk),
        "protocol": "saml",
        "name": "Okta",
        "enabled": "on",
        "metadata_xml": idp_metadata(*idp_keys, tmp_path),
        "email_attribute": "email",
        "default_role": "viewer",
        "jit_provisioning": "on",
        "allow_idp_initiated": "on",
    }
    response = client.post(f"{PROVIDERS}add/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    provider = IdentityProvider.objects.get(organization=org)
    assert provider.idp_entity_id == idp_module.ENTITY_ID and provider.sp_keys.count() == 1
    page = client.get(f"{PROVIDERS}{provider.pk}/change/")
    assert page.status_code == 200 and f"/sso/saml/{provider.pk}/acs/" in page.content.decode()
    claimed = client.post(
        "/admin/sso/emaildomain/add/",
        {"organization": str(org.pk), "domain": "acme.example", "identity_provider": str(provider.pk)},
    )
    assert claimed.status_code == 302
    domain = EmailDomain.objects.get(organization=org)
    assert domain.verified_at is None and domain.identity_provider == provider
    listing = client.post("/admin/sso/emaildomain/", {"action": "verify", "_selected_action": [str(domain.pk)]}, follow=True)
    assert "EMAIL_DOMAIN_NOT_VERIFIED" in listing.content.decode()


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.EDITOR])
def test_no_organizer_enters_the_admins_single_sign_on_pages(member, console, role, provider):
    client = console(member(role, is_staff=True))
    for path in (PROVIDERS, f"{PROVIDERS}{provider.pk}/change/", "/admin/sso/emaildomain/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/console/", path
