"""Security of every portal page: sign-in required, other organizations' rows are a 404, CSRF on every form,
security headers and a Content-Security-Policy that the templates keep (no inline scripts or styles)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import Invitation, Membership, OrganizationKind
from accounts.roles import Role
from portal.security import CONTENT_SECURITY_POLICY
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.portal.helpers import INLINE, PASSWORD

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = ["/portal/dashboard/", "/portal/team/", "/portal/keys/", "/portal/invitations/some-token/"]
ACTIONS = [
    "/portal/organizations/switch/",
    "/portal/team/invitations/",
    "/portal/team/invitations/00000000-0000-0000-0000-000000000001/revoke/",
    "/portal/team/members/00000000-0000-0000-0000-000000000001/remove/",
    "/portal/team/two-factor/",
    "/portal/invitations/some-token/",
    "/portal/keys/",
    "/portal/keys/00000000-0000-0000-0000-000000000001/revoke/",
    "/portal/keys/00000000-0000-0000-0000-000000000001/rotate/",
]
PUBLIC_PAGES = [
    "/portal/",
    "/portal/accounts/login/",
    "/portal/accounts/signup/",
    "/portal/accounts/password/reset/",
    "/portal/accounts/confirm-email/",
]
ACCOUNT_PAGES = [
    "/portal/accounts/email/",
    "/portal/accounts/password/change/",
    "/portal/accounts/2fa/",
    "/portal/accounts/reauthenticate/",
]


@pytest.fixture
def org_a():
    return OrganizationFactory(name="Alpha Dev", kind=OrganizationKind.DEVELOPER)


@pytest.fixture
def owner_a(org_a):
    user = UserFactory(email="owner@alpha.example")
    MembershipFactory(user=user, organization=org_a, role=Role.OWNER)
    return user


@pytest.fixture
def owner_b():
    user = UserFactory(email="owner@beta.example")
    MembershipFactory(user=user, organization=OrganizationFactory(name="Beta Dev", kind=OrganizationKind.DEVELOPER))
    return user


@pytest.mark.parametrize("url", SIGNED_IN_PAGES + ACCOUNT_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/login/?next=")


@pytest.mark.parametrize("url", ACTIONS)
def test_anonymous_actions_are_sent_to_sign_in_and_change_nothing(client, url, owner_a):
    response = client.post(url, {"email": "x@example.com", "role": Role.ADMIN, "organization": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/login/")
    assert not Invitation.objects.exists()


def test_another_organizations_members_and_invitations_are_a_404(client, org_a, owner_a, owner_b):
    teammate = UserFactory()
    MembershipFactory(user=teammate, organization=org_a, role=Role.VIEWER)
    invitation = Invitation.objects.create(
        organization=org_a, email="p@alpha.example", role=Role.ADMIN, token_hash="y" * 64, expires_at="2099-01-01T00:00:00Z"
    )
    client.force_login(owner_b)
    assert client.post(f"/portal/team/members/{teammate.pk}/remove/").status_code == 404
    assert client.post(f"/portal/team/invitations/{invitation.pk}/revoke/").status_code == 404
    assert client.post("/portal/organizations/switch/", {"organization": str(org_a.pk)}).status_code == 404
    html = client.get("/portal/team/").content.decode() + client.get("/portal/dashboard/").content.decode()
    assert "Alpha Dev" not in html and teammate.email not in html and "p@alpha.example" not in html
    assert Membership.objects.filter(user=teammate, organization=org_a).exists()
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    # A switch chosen earlier in the session that is no longer valid falls back to the user's own organization.
    session = client.session
    session["portal_organization_id"] = str(org_a.pk)
    session.save()
    assert "Beta Dev" in client.get("/portal/dashboard/").content.decode()
    assert teammate.email not in client.get("/portal/team/").content.decode()


def _csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", [*ACTIONS, "/portal/accounts/logout/"])
def test_signed_in_posts_without_the_csrf_token_are_refused(url, owner_a, org_a):
    response = _csrf_client(owner_a).post(url, {"email": "x@example.com", "role": Role.ADMIN, "organization": str(org_a.pk)})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("url", ["/portal/accounts/login/", "/portal/accounts/signup/", "/portal/accounts/password/reset/"])
def test_anonymous_forms_without_the_csrf_token_are_refused(url, owner_a):
    data = {
        "login": owner_a.email,
        "password": "correct-horse-battery",
        "email": "n@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    client = _csrf_client()
    assert client.post(url, data).status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_form_with_its_csrf_token_goes_through(owner_a, org_a):
    client = _csrf_client(owner_a)
    html = client.get("/portal/team/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        "/portal/team/invitations/", {"email": "ok@example.com", "role": Role.ADMIN, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(organization=org_a, email="ok@example.com").exists()


def _all_pages(client: Client, owner) -> dict[str, str]:
    pages = {}
    for url in PUBLIC_PAGES:
        pages[url] = client.get(url)
    client.force_login(owner)
    for url in SIGNED_IN_PAGES + ACCOUNT_PAGES:
        pages[url] = client.get(url)
    return pages


def test_every_portal_page_has_the_security_headers(client, owner_a):
    for url, response in _all_pages(client, owner_a).items():
        assert response.status_code in (200, 404), url
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ):
        assert directive in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_no_portal_page_has_inline_scripts_or_styles(client, owner_a):
    for url, response in _all_pages(client, owner_a).items():
        html = response.content.decode()
        assert "<main>" in html, url  # rendered in the portal layout
        assert not INLINE.findall(html), (url, INLINE.findall(html))


def test_the_scan_finds_inline_code():
    assert INLINE.search('<div style="color:red">') and INLINE.search("<script>alert(1)</script>")
    assert INLINE.search('<button onclick="x()">') and INLINE.search("<style>p{}</style>")
    assert not INLINE.search('<script src="/static/portal/copy.js"></script><p class="style">')


def test_no_portal_template_has_inline_scripts_or_styles():
    root = Path(__file__).resolve().parents[2] / "templates"
    for path in [*root.glob("portal/**/*.html"), *root.glob("allauth/**/*.html")]:
        assert not INLINE.findall(path.read_text()), path


def test_pages_outside_the_portal_have_the_same_policy(client):
    """One policy for every HTML page (core.csp; tests/core/test_csp.py walks them all)."""
    for url in ("/api/errors/", "/api/docs/"):
        assert client.get(url)["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url


def _cookie_flags(**env: str) -> str:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup();"
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")}
    out = subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_cookies_are_secure_when_the_site_is_https_and_overridable():
    assert _cookie_flags(SITE_URL="https://developers.example.com") == "True True"
    assert _cookie_flags(SITE_URL="http://127.0.0.1:8000") == "False False"
    assert _cookie_flags(SITE_URL="https://developers.example.com", SESSION_COOKIE_SECURE="false") == "False True"


def test_the_portal_scripts_and_styles_are_static_files_of_this_origin(client):
    html = client.get("/portal/accounts/login/").content.decode()
    for asset in ("/static/portal/portal.css", "/static/portal/accounts.css", "/static/portal/accounts.js"):
        assert asset in html
        assert client.get(asset).status_code == 200
