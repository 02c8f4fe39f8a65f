"""The platform's one sign-in: the OAuth authorization flow and the console go through it and come back, a user with an
authenticator passes it on every path, a session that skipped it opens nothing, and the per-account limits hold."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.test import Client

from accounts.models import OrganizationKind, User
from accounts.roles import Role
from core.models import AuditEntry
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, verified
from tests.oauth.helpers import make_app

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
SIGN_IN = "/portal/accounts/login/"
AUTHENTICATE = "/portal/accounts/2fa/authenticate/"
TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture(autouse=True)
def _tolerance(settings: Any) -> None:
    settings.MFA_TOTP_TOLERANCE = 1  # a code is accepted once only: the tests use the next one


def code(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def with_totp(user: User) -> str:
    """Give ``user`` an authenticator app; return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def authorize_url(org: Any) -> str:
    app, _ = make_app(organization=org)
    return (
        f"/o/authorize/?response_type=code&client_id={app.client_id}&redirect_uri=https://partner.example/callback"
        f"&scope=events:read&state=s&code_challenge={'a' * 43}&code_challenge_method=S256"
    )


def sign_in_with_password(client: Client, email: str, next_url: str, password: str = PASSWORD) -> Any:
    return client.post(f"{SIGN_IN}?next={quote(next_url)}", {"login": email, "password": password})


def test_the_oauth_authorization_flow_signs_in_here_and_demands_the_code(org, member):
    user = verified(member(Role.EDITOR))
    secret = with_totp(user)
    url = authorize_url(org)
    client = Client()

    sent = client.get(url)
    assert sent.status_code == 302 and sent["Location"] == f"{SIGN_IN}?next={quote(url, safe='/')}"
    page = client.get(sent["Location"])
    assert page.status_code == 200 and 'name="next"' in page.content.decode()

    response = sign_in_with_password(client, user.email, url)
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session
    assert client.get(url)["Location"].startswith(SIGN_IN)  # the password alone opens no consent page

    response = client.post(AUTHENTICATE, {"code": code(secret, 1)})
    assert response.status_code == 302 and response["Location"] == url
    consent = client.get(url)
    assert consent.status_code == 200 and "Partner app" in consent.content.decode()


def test_the_console_signs_in_here_and_demands_the_code(member):
    user = verified(member(Role.EDITOR))
    secret = with_totp(user)
    client = Client()

    sent = client.get("/console/home/")
    assert sent.status_code == 302 and sent["Location"] == f"{SIGN_IN}?next=/console/home/"
    assert 'href="/portal/accounts/password/reset/"' in client.get(sent["Location"]).content.decode()  # reset, for all

    response = sign_in_with_password(client, user.email, "/console/home/")
    assert response["Location"] == AUTHENTICATE
    assert client.get("/console/home/").status_code == 302

    response = client.post(AUTHENTICATE, {"code": code(secret, 1)})
    assert response.status_code == 302 and response["Location"] == "/console/home/"
    page = client.get("/console/home/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/portal/accounts/2fa/"' in html and 'href="/portal/accounts/password/change/"' in html


def test_the_model_admin_signs_a_superuser_in_here_too(root):
    user = verified(root)
    client = Client()
    to_login = client.get("/admin/")
    assert to_login.status_code == 302 and to_login["Location"] == "/admin/login/?next=/admin/"
    sent = client.get(to_login["Location"])
    assert sent.status_code == 302 and sent["Location"] == f"{SIGN_IN}?next=/admin/"
    assert sign_in_with_password(client, user.email, "/admin/")["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200 and 'href="/portal/accounts/2fa/"' in page.content.decode()
    assert client.get("/admin/password_change/")["Location"] == "/portal/accounts/password/change/"


@pytest.mark.parametrize("path", ["/admin/login/", "/o/login/"])
def test_the_old_sign_in_pages_sign_nobody_in(path, member):
    user = verified(member(Role.EDITOR))
    client = Client()
    response = client.post(f"{path}?next=/admin/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == f"{SIGN_IN}?next=/admin/"
    assert "_auth_user_id" not in client.session
    # An address elsewhere is not followed.
    assert client.get(f"{path}?next=https://evil.example/")["Location"].startswith(f"{SIGN_IN}?next=/")


def opens_nothing(client: Client, org: Any) -> None:
    portal = client.get("/portal/dashboard/")
    assert portal.status_code == 302 and portal["Location"].startswith(SIGN_IN)
    for path in ("/api/v1/ping", "/api/v1/events"):
        api = client.get(path, HTTP_X_ORGANIZATION_ID=str(org.pk))
        assert api.status_code == 401 and api.json()["error"]["code"] == "AUTHENTICATION_REQUIRED", path
    console = client.get("/console/home/")
    assert console.status_code == 302 and console["Location"].startswith(SIGN_IN)
    assert client.get(authorize_url(org))["Location"].startswith(SIGN_IN)


def test_a_session_made_without_the_second_factor_opens_no_page_api_call_or_console_page(org, member):
    user = verified(member(Role.OWNER))
    with_totp(user)
    client = Client()
    client.force_login(user)  # as django.contrib.auth.login() anywhere would
    opens_nothing(client, org)


def test_a_password_session_opens_nothing_once_an_authenticator_is_added(org, member):
    user = verified(member(Role.OWNER))
    client = Client()
    assert sign_in_with_password(client, user.email, "/portal/dashboard/")["Location"] == "/portal/dashboard/"
    assert client.get("/api/v1/ping").status_code == 200
    with_totp(user)  # from another session
    opens_nothing(client, org)


def test_a_session_that_passed_the_code_opens_the_portal_the_api_and_the_console(org, member):
    user = verified(member(Role.OWNER))
    secret = with_totp(user)
    client = Client()
    sign_in_with_password(client, user.email, "/portal/dashboard/")
    assert client.post(AUTHENTICATE, {"code": code(secret, 1)})["Location"] == "/portal/dashboard/"
    assert client.get("/api/v1/ping").json()["user"]["email"] == user.email
    assert client.get("/console/home/").status_code == 200


def test_judging_a_session_costs_no_query_of_its_own(org, member, django_assert_num_queries):
    user = verified(member(Role.OWNER))
    secret = with_totp(user)
    client = Client()
    sign_in_with_password(client, user.email, "/portal/dashboard/")
    client.post(AUTHENTICATE, {"code": code(secret, 1)})
    with django_assert_num_queries(3):  # the session, the user with their second-factor facts, the membership
        assert client.get("/api/v1/ping").status_code == 200


@pytest.mark.parametrize("next_url", ["/o/authorize/", "/console/home/", "/portal/dashboard/"])
def test_failed_passwords_are_limited_per_account_on_every_path(next_url, member):
    user = verified(member(Role.EDITOR))
    for n in range(5):  # from five addresses: the account's limit, not an address's
        response = sign_in_with_password(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.email, next_url, password="guess")
        assert response.status_code == 200 and "The email address and/or password you specified are not correct." in (
            response.content.decode()
        )
    client = Client(REMOTE_ADDR="198.51.100.99")
    response = sign_in_with_password(client, user.email, next_url)
    assert response.status_code in (200, 429) and TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.failed", changes__reason="too many failed sign-ins").count() == 1


@pytest.mark.parametrize("next_url", ["/o/authorize/", "/console/home/"])
def test_failed_attempts_are_limited_per_address_on_every_path(next_url, member):
    guesser = Client(REMOTE_ADDR="203.0.113.50")
    for n in range(10):
        sign_in_with_password(guesser, f"nobody{n}@example.com", next_url, password="guess")
    user = verified(member(Role.EDITOR))
    response = sign_in_with_password(guesser, user.email, next_url)
    assert TOO_MANY in response.content.decode() and "_auth_user_id" not in guesser.session
    assert sign_in_with_password(Client(REMOTE_ADDR="203.0.113.51"), user.email, next_url).status_code == 302


def test_wrong_codes_are_limited_per_account_and_audited(member):
    user = verified(member(Role.EDITOR))
    secret = with_totp(user)
    client = Client()
    sign_in_with_password(client, user.email, "/console/home/")
    for _ in range(5):
        assert client.post(AUTHENTICATE, {"code": "000000" if code(secret) != "000000" else "111111"}).status_code == 200
    refused = client.post(AUTHENTICATE, {"code": code(secret, 1)})
    assert refused.status_code == 200 and TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session
    wrong = AuditEntry.objects.filter(action="auth.failed", changes__reason="wrong two-factor code")
    assert wrong.count() == 5 and wrong.first().changes["email"] == user.email  # type: ignore[union-attr]


@pytest.mark.django_db(transaction=True)  # allauth announces a new authenticator after its commit, as in production
def test_sign_ins_sign_outs_and_two_factor_changes_are_audited(member):
    try:
        _sign_in_events_are_audited(member)
    finally:
        cache.clear()  # the rate-limit counters in the cache table outlive a transactional test


def _sign_in_events_are_audited(member: Any) -> None:
    user = verified(member(Role.EDITOR))
    client = Client(REMOTE_ADDR="192.0.2.10")
    sign_in_with_password(client, user.email, "/console/home/")
    signed_in = AuditEntry.objects.get(action="auth.signed_in")
    assert signed_in.actor_id == str(user.pk) and signed_in.object_id == str(user.pk)
    assert signed_in.changes == {"ip": "192.0.2.10", "methods": ["password"]}

    # Turning on an authenticator app (after the password again) keeps this session signed in: it just entered a code.
    page = client.get("/portal/accounts/2fa/totp/activate/")
    client.post(page["Location"], {"password": PASSWORD})
    client.get("/portal/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    assert client.post("/portal/accounts/2fa/totp/activate/", {"code": code(secret, -1)}).status_code == 302
    added = AuditEntry.objects.filter(action="auth.two_factor_added").order_by("created_at")
    assert [e.changes["type"] for e in added] == ["totp", "recovery_codes"]
    assert client.get("/console/home/").status_code == 200

    client.post("/portal/accounts/logout/")
    assert AuditEntry.objects.get(action="auth.signed_out").actor_id == str(user.pk)

    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    spare = RecoveryCodes(recovery).get_unused_codes()[0]
    sign_in_with_password(client, user.email, "/console/home/")
    assert client.post(AUTHENTICATE, {"code": spare})["Location"] == "/console/home/"
    assert AuditEntry.objects.filter(action="auth.recovery_code_used").count() == 1
    latest = AuditEntry.objects.filter(action="auth.signed_in").order_by("-created_at").first()
    assert latest is not None and latest.changes["methods"] == ["password", "recovery_codes"]

    client.post("/portal/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.post("/portal/accounts/2fa/totp/deactivate/").status_code == 302
    removed = AuditEntry.objects.filter(action="auth.two_factor_removed")
    assert sorted(e.changes["type"] for e in removed) == ["recovery_codes", "totp"]
    assert not any("code" in str(e.changes).lower() and spare in str(e.changes) for e in AuditEntry.objects.all())


# -- an organization that requires two-factor authentication ----------------------------------
SET_UP = "/portal/accounts/2fa/totp/activate/"


@pytest.fixture
def dev_org() -> Any:
    return OrganizationFactory(name="Partner Labs", slug="partner-labs", kind=OrganizationKind.DEVELOPER)


@pytest.fixture
def dev_member(dev_org: Any) -> Any:
    def make(role: str) -> User:
        user = UserFactory()
        MembershipFactory(user=user, organization=dev_org, role=role)
        return user

    return make


def test_an_owner_requires_two_factor_and_members_without_it_are_sent_to_set_it_up(org, member, dev_member, dev_org):
    owner = verified(dev_member(Role.OWNER))
    colleague = verified(member(Role.EDITOR))
    MembershipFactory(user=colleague, organization=dev_org, role=Role.VIEWER)
    owner_client = Client()
    owner_client.force_login(owner)
    team = owner_client.get("/portal/team/").content.decode()
    assert "Require two-factor authentication for every member" in team
    response = owner_client.post("/portal/team/two-factor/", {"required": "on"})
    assert response.status_code == 302 and response["Location"] == "/portal/team/"
    dev_org.refresh_from_db()
    assert dev_org.require_two_factor
    entry = AuditEntry.objects.get(action="organization.updated", organization_id=dev_org.pk)
    assert entry.actor_id == str(owner.pk) and entry.changes == {"require_two_factor": {"from": False, "to": True}}

    # The colleague (no authenticator) is sent to set one up from the portal and the console; the API says why.
    client = Client()
    client.force_login(colleague)
    for path in ("/portal/dashboard/", "/console/home/", "/console/events/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == f"{SET_UP}?next={path}", path
    api = client.get("/api/v1/ping", HTTP_X_ORGANIZATION_ID=str(org.pk))
    assert api.status_code == 403 and api.json()["error"]["code"] == "TWO_FACTOR_REQUIRED"
    assert client.get("/portal/accounts/2fa/").status_code == 200  # the set-up pages stay open

    # With an authenticator (and a sign-in that passed it) everything opens again.
    secret = with_totp(colleague)
    client = Client()
    sign_in_with_password(client, colleague.email, "/console/home/")
    assert client.post(AUTHENTICATE, {"code": code(secret, 1)})["Location"] == "/console/home/"
    assert client.get("/console/home/").status_code == 200 and client.get("/portal/dashboard/").status_code == 200
    assert client.get("/api/v1/ping", HTTP_X_ORGANIZATION_ID=str(org.pk)).status_code == 200


def test_a_member_with_an_authenticator_passes_and_a_non_owner_cannot_change_the_rule(member, dev_member, dev_org):
    dev_org.require_two_factor = True
    dev_org.save()
    colleague = verified(member(Role.EDITOR))
    MembershipFactory(user=colleague, organization=dev_org, role=Role.ADMIN)
    secret = with_totp(colleague)
    client = Client()
    sign_in_with_password(client, colleague.email, "/console/home/")
    assert client.post(AUTHENTICATE, {"code": code(secret, 1)})["Location"] == "/console/home/"
    assert client.get("/console/home/").status_code == 200 and client.get("/api/v1/ping").status_code == 200
    assert client.get("/portal/team/").status_code == 200
    assert "Stop requiring" not in client.get("/portal/team/").content.decode()  # an admin, not an owner
    assert client.post("/portal/team/two-factor/").status_code == 403
    dev_org.refresh_from_db()
    assert dev_org.require_two_factor


def test_the_console_owner_sets_the_rule_on_the_settings_page(org, owner, member):
    client = Client()
    client.force_login(owner)
    page = client.get("/console/settings/")
    assert page.status_code == 200 and 'value="two-factor"' in page.content.decode()
    admin_client = Client()
    admin_client.force_login(member(Role.ADMIN))
    assert admin_client.post("/console/settings/", {"action": "two-factor", "required": "on"}).status_code == 403

    assert client.post("/console/settings/", {"action": "two-factor", "required": "on"}).status_code == 302
    org.refresh_from_db()
    assert org.require_two_factor
    assert AuditEntry.objects.get(action="organization.updated").changes == {"require_two_factor": {"from": False, "to": True}}
    assert client.get("/console/home/")["Location"] == f"{SET_UP}?next=/console/home/"  # the owner has no authenticator either
