"""The API keys page: create (shown once), scopes limited to the role, IP allowlist, revoke, rotate with a grace period;
tenancy, permissions, sign-in, CSRF and the page's Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import ApiKey, OrganizationKind
from accounts.roles import Role
from tests.factories import OrganizationFactory
from tests.portal.helpers import INLINE, shown_secret

pytestmark = pytest.mark.django_db

KEYS = "/portal/keys/"


def create(client, **data):
    form = {"name": "Staging sync", "mode": "test", "scopes": ["events:read", "registrations:read"], **data}
    return client.post(KEYS, form)


def secret_of(response) -> str:
    raw = shown_secret(response, "new-api-key")
    assert re.fullmatch(r"emp_(?:test|live)_\S+", raw), raw
    return raw


def ping(raw: str):
    return Client().get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_empty_page_says_what_to_do_next(client, dev_member):
    client.force_login(dev_member(Role.OWNER))
    response = client.get(KEYS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No API keys yet. Create a test key below" in html and "Create a key" in html
    assert 'href="/portal/keys/"' in client.get("/portal/dashboard/").content.decode()  # navigation and dashboard


def test_a_created_key_is_shown_once_and_authenticates(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    response = create(client, allowed_ips="")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    raw = secret_of(response)
    assert raw.startswith("emp_test_") and "It will not be shown again" in html
    assert 'data-copy-target="new-api-key"' in html
    key = ApiKey.objects.get(organization=dev_org)
    assert key.name == "Staging sync" and key.mode == "test" and raw not in (key.key_hash, key.prefix)

    again = client.get(KEYS).content.decode()
    assert raw not in again and "new-api-key" not in again
    assert key.prefix in again and "Staging sync" in again and "events:read" in again and "Never" in again

    answer = ping(raw)
    assert answer.status_code == 200
    body = answer.json()
    assert body["client"]["prefix"] == key.prefix
    assert body["scopes"] == ["events:read", "registrations:read"]


def test_expiry_and_ip_allowlist_are_stored(client, dev_member, dev_org):
    client.force_login(dev_member(Role.ADMIN))
    response = create(client, mode="live", expires_on="2099-12-31", allowed_ips="192.0.2.7\n 198.51.100.0/24 \n\n")
    assert response.status_code == 200 and secret_of(response).startswith("emp_live_")
    key = ApiKey.objects.get(organization=dev_org)
    assert key.allowed_ips == ["192.0.2.7/32", "198.51.100.0/24"]
    assert key.expires_at.isoformat() == "2099-12-31T00:00:00+00:00"
    assert "2099-12-31 00:00 UTC" in client.get(KEYS).content.decode()


def test_scopes_beyond_the_role_are_not_offered_and_refused(client, dev_member, dev_org):
    client.force_login(dev_member(Role.ADMIN))  # admins cannot take payments (payments.manage)
    html = client.get(KEYS).content.decode()
    assert 'value="payments:read"' in html and 'value="payments:write"' not in html
    assert "Read payments and invoices" in html  # the scopes come with their descriptions
    response = create(client, scopes=["events:read", "payments:write"])
    assert response.status_code == 400 and "payments:write is not one of the available choices" in response.content.decode()
    assert not ApiKey.objects.filter(organization=dev_org).exists()


def test_a_bad_ip_allowlist_is_refused_inline(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    response = create(client, allowed_ips="192.0.2.7\nnot-an-address")
    html = response.content.decode()
    assert response.status_code == 400
    assert "field-invalid" in html and "is not an IP address or CIDR range" in html
    assert not ApiKey.objects.filter(organization=dev_org).exists()
    assert "new-api-key" not in html


def test_a_past_expiry_and_a_missing_name_are_refused_inline(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    assert "The expiry must be in the future." in create(client, expires_on="2000-01-01").content.decode()
    response = create(client, name="")
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not ApiKey.objects.filter(organization=dev_org).exists()


def test_a_revoked_key_no_longer_authenticates(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    raw = secret_of(create(client))
    key = ApiKey.objects.get(organization=dev_org)
    assert ping(raw).status_code == 200
    response = client.post(f"{KEYS}{key.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == KEYS
    assert "is revoked" in response.content.decode() and "Revoked" in response.content.decode()
    assert ping(raw).status_code == 401
    # Rotating a revoked key is refused with a message, not a 500.
    response = client.post(f"{KEYS}{key.pk}/rotate/", {"grace_period_hours": "24"}, follow=True)
    assert response.status_code == 200 and "message-error" in response.content.decode()
    assert ApiKey.objects.filter(organization=dev_org).count() == 1


def test_a_rotated_key_works_with_the_old_one_during_the_grace(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    old_raw = secret_of(create(client))
    old = ApiKey.objects.get(organization=dev_org)
    response = client.post(f"{KEYS}{old.pk}/rotate/", {"grace_period_hours": "24"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new_raw = secret_of(response)
    assert new_raw != old_raw and "It will not be shown again" in response.content.decode()
    old.refresh_from_db()
    assert old.replaced_by is not None and old.expires_at is not None and old.revoked_at is None
    assert ping(new_raw).status_code == 200 and ping(old_raw).status_code == 200
    assert ping(new_raw).json()["scopes"] == ["events:read", "registrations:read"]
    assert new_raw not in client.get(KEYS).content.decode()


def test_a_grace_beyond_seven_days_is_refused(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    secret_of(create(client))
    key = ApiKey.objects.get(organization=dev_org)
    response = client.post(f"{KEYS}{key.pk}/rotate/", {"grace_period_hours": "169"}, follow=True)
    assert "0 to 7 days" in response.content.decode()
    assert ApiKey.objects.filter(organization=dev_org).count() == 1


def test_another_organizations_key_is_a_404(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    raw = secret_of(create(client, name="Alpha secret key"))
    key = ApiKey.objects.get(organization=dev_org)
    other = OrganizationFactory(name="Beta Dev", kind=OrganizationKind.DEVELOPER)
    outsider = Client()
    outsider.force_login(dev_member(Role.OWNER, organization=other))
    assert outsider.post(f"{KEYS}{key.pk}/revoke/").status_code == 404
    assert outsider.post(f"{KEYS}{key.pk}/rotate/", {"grace_period_hours": "0"}).status_code == 404
    assert "Alpha secret key" not in outsider.get(KEYS).content.decode()
    key.refresh_from_db()
    assert key.revoked_at is None and key.replaced_by is None and ping(raw).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, dev_member, dev_org):
    dev_member(Role.OWNER)
    some_key = "00000000-0000-0000-0000-000000000001"
    for response in (
        client.get(KEYS),
        create(client),
        client.post(f"{KEYS}{some_key}/revoke/"),
        client.post(f"{KEYS}{some_key}/rotate/", {"grace_period_hours": "0"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/login/?next=")
    assert not ApiKey.objects.exists()


def test_a_role_without_the_integrations_permission_gets_a_403(client, dev_member, dev_org):
    owner = Client()
    owner.force_login(dev_member(Role.OWNER))
    raw = secret_of(create(owner))
    key = ApiKey.objects.get(organization=dev_org)
    client.force_login(dev_member(Role.VIEWER))
    assert client.get(KEYS).status_code == 403
    assert create(client).status_code == 403
    assert client.post(f"{KEYS}{key.pk}/revoke/").status_code == 403
    assert client.post(f"{KEYS}{key.pk}/rotate/", {"grace_period_hours": "0"}).status_code == 403
    assert ApiKey.objects.filter(organization=dev_org).count() == 1 and ping(raw).status_code == 200


def test_posts_need_the_csrf_token(dev_member, dev_org):
    owner = dev_member(Role.OWNER)
    setup = Client()
    setup.force_login(owner)
    secret_of(create(setup))
    key = ApiKey.objects.get(organization=dev_org)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert create(client).status_code == 403
    assert client.post(f"{KEYS}{key.pk}/revoke/").status_code == 403
    assert client.post(f"{KEYS}{key.pk}/rotate/", {"grace_period_hours": "0"}).status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None and ApiKey.objects.filter(organization=dev_org).count() == 1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(KEYS).content.decode()).group(1)
    assert client.post(f"{KEYS}{key.pk}/revoke/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_the_page_has_no_inline_script_or_style(client, dev_member):
    client.force_login(dev_member(Role.OWNER))
    shown = create(client)  # the page with a secret, a list and every form
    for response in (shown, client.get(KEYS)):
        html = response.content.decode()
        assert "<main>" in html and not INLINE.findall(html)
        assert "Content-Security-Policy" in response
