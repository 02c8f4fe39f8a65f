"""Portal accounts: sign-up with email verification, sign-in, sign-out, password reset, rate limit, audit."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import Membership, OrganizationKind, User
from accounts.roles import Role
from core.models import AuditEntry
from tests.factories import UserFactory
from tests.portal.helpers import PASSWORD, link_in_last_email, sign_in, sign_up, verify

pytestmark = pytest.mark.django_db


def test_sign_up_verify_sign_in_and_reach_the_dashboard_of_the_new_developer_organization(client):
    sign_up(client, "Dev@Partner.example", organization="Partner Integrations")
    user = User.objects.get(email="dev@partner.example")
    membership = Membership.objects.select_related("organization").get(user=user)
    assert membership.role == Role.OWNER
    assert membership.organization.name == "Partner Integrations"
    assert membership.organization.kind == OrganizationKind.DEVELOPER
    assert AuditEntry.objects.filter(action="organization.created", organization_id=membership.organization_id).exists()

    # Not verified yet: signing in is refused and another verification email goes out.
    assert not EmailAddress.objects.get(user=user).verified
    sent = len(mail.outbox)
    response = sign_in(client, "dev@partner.example")
    assert response["Location"] == "/portal/accounts/confirm-email/"
    assert client.get("/portal/dashboard/")["Location"].startswith("/portal/accounts/login/")
    assert len(mail.outbox) >= sent

    verify(client, "dev@partner.example")
    assert EmailAddress.objects.get(user=user).verified

    response = sign_in(client, "dev@partner.example")
    assert response.status_code == 302 and response["Location"] == "/portal/dashboard/"
    page = client.get("/portal/dashboard/").content.decode()
    assert "Partner Integrations" in page
    assert "1</span> member" in page
    for page_url in ("/portal/apps/", "/portal/keys/", "/portal/webhooks/", "/portal/sandbox/", "/portal/team/"):
        assert f'href="{page_url}"' in page  # the next steps lead to their pages

    response = client.post("/portal/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/portal/dashboard/").status_code == 302


def test_sign_up_without_an_organization_name_names_it_after_the_email(client):
    sign_up(client, "solo@partner.example")
    org = Membership.objects.get(user__email="solo@partner.example").organization
    assert org.name == "solo@partner.example's organization" and org.kind == OrganizationKind.DEVELOPER


def test_sign_up_errors_are_shown_beside_their_fields(client):
    UserFactory(email="taken@partner.example")
    response = client.post(
        "/portal/accounts/signup/",
        {"email": "taken@partner.example", "password1": PASSWORD, "password2": "something-else-entirely"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field field-invalid"' in html and "errorlist" in html
    assert not User.objects.filter(email="taken@partner.example").exclude(memberships=None).exists()


def test_a_wrong_password_is_refused_and_audited(client):
    sign_up(client, "audited@partner.example")
    verify(client, "audited@partner.example")
    response = sign_in(client, "audited@partner.example", password="not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    entry = AuditEntry.objects.get(action="auth.failed")
    assert "audited@partner.example" in str(entry.changes)


def test_repeated_bad_sign_ins_are_rate_limited_even_with_the_right_password_after(client):
    sign_up(client, "target@partner.example")
    verify(client, "target@partner.example")
    for _ in range(5):
        assert sign_in(client, "target@partner.example", password="guess").status_code == 200
    response = sign_in(client, "target@partner.example")
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    refused = AuditEntry.objects.filter(action="auth.failed", changes__reason="too many failed sign-ins")
    assert refused.count() == 1 and refused.get().changes["email"] == "target@partner.example"
    assert AuditEntry.objects.filter(action="auth.failed").count() == 6  # five wrong passwords, one refused unchecked


def test_password_reset_by_email_link(client):
    sign_up(client, "forgot@partner.example")
    verify(client, "forgot@partner.example")
    response = client.post("/portal/accounts/password/reset/", {"email": "forgot@partner.example"})
    assert response.status_code == 302
    reset = link_in_last_email("forgot@partner.example", r"https?://\S+/portal/accounts/password/reset/key/\S+")
    response = client.get(reset)
    assert response.status_code == 302  # allauth moves the key out of the URL into the session
    form_url = response["Location"]
    new = "another-long-passphrase-2026"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert sign_in(client, "forgot@partner.example", password=PASSWORD).status_code == 200  # the old one is refused
    assert sign_in(client, "forgot@partner.example", password=new)["Location"] == "/portal/dashboard/"


def test_the_model_admin_and_the_authorization_server_sign_in_here(client):
    UserFactory(email="staff@platform.example", is_staff=True, is_superuser=True)
    for path in ("/admin/login/?next=/admin/", "/o/login/?next=/admin/"):
        response = client.post(path, {"username": "staff@platform.example", "password": "correct-horse-battery"})
        assert response.status_code == 302 and response["Location"] == "/portal/accounts/login/?next=/admin/"
        assert "_auth_user_id" not in client.session
