"""The Apps page: register an OAuth application (confidential or public, each grant a partner may choose), the client
secret shown once and working at the real token endpoint, rotation, editing, deletion revoking the app's tokens;
tenancy, permissions, sign-in, CSRF, the page's Content-Security-Policy and its query count."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessToken, Application, OrganizationKind
from accounts.roles import Role
from core.models import AuditEntry
from portal.security import CONTENT_SECURITY_POLICY, PARTNER_IMAGES_CONTENT_SECURITY_POLICY
from tests.factories import OrganizationFactory
from tests.portal.helpers import INLINE, shown_secret

pytestmark = pytest.mark.django_db

APPS = "/portal/apps/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SERVER_APP = {
    "name": "Nightly sync",
    "description": "Copies registrations into our CRM.",
    "mode": "test",
    "client_type": "confidential",
    "authorization_grant_type": "client-credentials",
    "allowed_scopes": ["events:read", "registrations:read"],
}
WEB_APP = {
    "name": "Planner",
    "mode": "live",
    "client_type": "confidential",
    "authorization_grant_type": "authorization-code",
    "allowed_scopes": [],
    "redirect_uris": "https://planner.example/oauth/callback\nhttp://127.0.0.1:8765/callback",
    "logo_url": "https://planner.example/logo.png",
    "homepage_url": "https://planner.example/",
}


def register(client, **data):
    return client.post(APPS, {**SERVER_APP, **data})


def secret_of(response) -> str:
    return shown_secret(response, "new-client-secret")


def token_response(app: Application, secret: str, scope: str = "events:read"):
    """POST /o/token/ with HTTP Basic client authentication (RFC 6749 section 2.3.1) and the client-credentials grant."""
    basic = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
    return Client().post("/o/token/", {"grant_type": "client_credentials", "scope": scope}, HTTP_AUTHORIZATION=f"Basic {basic}")


def access_token(app: Application, secret: str) -> str:
    response = token_response(app, secret)
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


def ping(token: str):
    return Client().get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {token}")


def owner_client(dev_member) -> Client:
    client = Client()
    client.force_login(dev_member(Role.OWNER))
    return client


@pytest.fixture
def server_app(dev_member, dev_org) -> tuple[Application, str]:
    """A client-credentials app registered through the page, with its secret as shown."""
    secret = secret_of(register(owner_client(dev_member)))
    return Application.objects.get(organization=dev_org), secret


# -- the page -------------------------------------------------------------------------------------


def test_the_empty_page_says_what_to_do_next_and_is_in_the_navigation(client, dev_member):
    client.force_login(dev_member(Role.OWNER))
    response = client.get(APPS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No apps yet. Register a test app below" in html and "Register an app" in html
    dashboard = client.get("/portal/dashboard/").content.decode()
    assert dashboard.count('href="/portal/apps/"') == 2  # the navigation and the dashboard's next step
    keys = client.get("/portal/keys/").content.decode()
    assert keys.index('href="/portal/apps/"') < keys.index('href="/portal/keys/"')  # beside API keys


def test_only_the_grants_a_partner_may_use_are_offered(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    html = client.get(APPS).content.decode()
    assert 'value="authorization-code"' in html and 'value="client-credentials"' in html
    for refused in ("password", "implicit", "openid-hybrid", "urn:ietf:params:oauth:grant-type:device_code"):
        assert f'value="{refused}"' not in html
    # The password grant is for first-party applications a platform administrator flags: refused even when posted.
    response = register(client, authorization_grant_type="password")
    assert response.status_code == 400 and "password is not one of the available choices" in response.content.decode()
    assert not Application.objects.filter(organization=dev_org).exists()


# -- creating -------------------------------------------------------------------------------------


def test_a_client_credentials_app_shows_its_secret_once_and_it_works_at_the_token_endpoint(client, dev_member, dev_org):
    owner = dev_member(Role.OWNER)
    client.force_login(owner)
    response = register(client)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    secret = secret_of(response)
    assert "It will not be shown again" in html and 'data-copy-target="new-client-secret"' in html

    app = Application.objects.get(organization=dev_org)
    assert (app.name, app.mode, app.client_type, app.authorization_grant_type) == (
        "Nightly sync",
        "test",
        "confidential",
        "client-credentials",
    )
    assert app.allowed_scopes == ["events:read", "registrations:read"] and app.user == owner and not app.first_party
    assert identify_hasher(app.client_secret) and secret not in app.client_secret  # stored hashed
    assert app.client_id in html and 'data-copy-target="client-id"' in html

    token = access_token(app, secret)
    answer = ping(token)
    assert answer.status_code == 200
    assert answer.json()["client"] == {"type": "oauth_application", "clientId": app.client_id, "name": "Nightly sync"}

    again = client.get(f"{APPS}{app.pk}/")
    assert secret not in again.content.decode() and "new-client-secret" not in again.content.decode()
    assert "Cache-Control" not in again or "no-store" not in again["Cache-Control"]
    assert secret not in client.get(APPS).content.decode()
    entry = AuditEntry.objects.get(action="oauth_application.created")
    assert entry.organization_id == dev_org.pk and entry.changes["mode"] == "test" and secret not in str(entry.changes)


def test_a_confidential_authorization_code_app(client, dev_member, dev_org):
    client.force_login(dev_member(Role.ADMIN))
    response = register(client, **WEB_APP)
    secret = secret_of(response)
    app = Application.objects.get(organization=dev_org)
    assert app.authorization_grant_type == "authorization-code" and app.mode == "live" and app.allowed_scopes == []
    assert app.redirect_uris == "https://planner.example/oauth/callback http://127.0.0.1:8765/callback"
    assert app.redirect_uri_allowed("https://planner.example/oauth/callback")
    assert (app.logo_url, app.homepage_url) == ("https://planner.example/logo.png", "https://planner.example/")
    assert identify_hasher(app.client_secret) and secret
    # The code grant's app cannot use client credentials with its secret.
    assert token_response(app, secret).json()["error"] == "unauthorized_client"


def test_a_public_app_gets_no_secret(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    response = register(client, **{**WEB_APP, "client_type": "public", "name": "Mobile"})
    app = Application.objects.get(organization=dev_org)
    assert response.status_code == 302 and response["Location"] == f"{APPS}{app.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert app.client_type == "public" and "new-client-secret" not in page and "a public client authenticates" in page
    assert "Rotate the client secret" not in page
    refused = client.post(f"{APPS}{app.pk}/rotate-secret/", follow=True)
    assert "A public client has no client secret to rotate." in refused.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"redirect_uris": "http://planner.example/cb"}, "redirect_uris", "redirect URIs use https"),
        ({"redirect_uris": "https://planner.example/cb#fragment"}, "redirect_uris", "fragment not allowed"),
        ({"redirect_uris": "not a uri"}, "redirect_uris", "redirect URIs use https"),
        ({"redirect_uris": ""}, "redirect_uris", "redirect_uris cannot be empty"),
        ({"logo_url": "http://planner.example/logo.png"}, "logo_url", "The logo URL uses https"),
        ({"logo_url": "javascript:alert(1)"}, "logo_url", "Enter a valid URL."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_bad_input_is_refused_inline(client, dev_member, dev_org, data, field, message):
    client.force_login(dev_member(Role.OWNER))
    response = register(client, **{**WEB_APP, **data})
    html = response.content.decode()
    assert response.status_code == 400 and "new-client-secret" not in html
    errors = re.search(rf'id="id_{field}".*?<div class="field-errors">(.*?)</div>', html, re.S)
    assert errors and message in errors.group(1), html
    assert not Application.objects.filter(organization=dev_org).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"client_type": "public"}, "client_type", "Client credentials need a confidential client."),
        ({"allowed_scopes": []}, "allowed_scopes", "Name the scopes a client-credentials application may use."),
        ({"allowed_scopes": ["nope:read"]}, "allowed_scopes", "nope:read is not one of the available choices"),
    ],
)
def test_a_grant_that_does_not_fit_is_refused_inline(client, dev_member, dev_org, data, field, message):
    client.force_login(dev_member(Role.OWNER))
    response = register(client, **data)
    html = response.content.decode()
    assert response.status_code == 400
    errors = re.search(rf'id="id_{field}".*?<div class="field-errors">(.*?)</div>', html, re.S)
    assert errors and message in errors.group(1), html
    assert not Application.objects.filter(organization=dev_org).exists()


def test_a_loopback_http_logo_is_accepted_and_only_a_valid_logo_is_shown(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    register(client, logo_url="http://localhost:3000/logo.svg")
    app = Application.objects.get(organization=dev_org)
    assert app.logo_url == "http://localhost:3000/logo.svg"
    assert '<img class="app-logo" src="http://localhost:3000/logo.svg"' in client.get(APPS).content.decode()
    # A row from before the rule (or changed in the database) is not shown as an image.
    Application.objects.filter(pk=app.pk).update(logo_url="http://tracker.example/pixel.gif")
    for page in (client.get(APPS), client.get(f"{APPS}{app.pk}/")):
        html = page.content.decode()
        assert '<img class="app-logo"' not in html
        assert page["Content-Security-Policy"] == PARTNER_IMAGES_CONTENT_SECURITY_POLICY


def test_the_consent_page_shows_the_apps_details_and_only_a_valid_logo(client, dev_member, dev_org):
    user = dev_member(Role.OWNER)
    client.force_login(user)
    register(client, **{**WEB_APP, "description": "Plans your visits."})
    app = Application.objects.get(organization=dev_org)
    consent = (
        f"/o/authorize/?response_type=code&client_id={app.client_id}&redirect_uri=https://planner.example/oauth/callback"
        f"&scope=events:read&state=s&code_challenge={'a' * 43}&code_challenge_method=S256"
    )
    html = client.get(consent).content.decode()
    assert "Planner" in html and "Plans your visits." in html and "https://planner.example/" in html
    assert '<img src="https://planner.example/logo.png" alt="" referrerpolicy="no-referrer">' in html
    Application.objects.filter(pk=app.pk).update(logo_url="http://tracker.example/pixel.gif")
    assert "tracker.example" not in client.get(consent).content.decode()


def test_client_credentials_scopes_beyond_the_role_are_refused(client, dev_member, dev_org):
    client.force_login(dev_member(Role.ADMIN))  # admins cannot take payments (payments.manage)
    response = register(client, allowed_scopes=["events:read", "payments:write"])
    assert response.status_code == 400 and "Your role cannot grant: payments:write." in response.content.decode()
    assert not Application.objects.filter(organization=dev_org).exists()


# -- list, rotate, edit, delete --------------------------------------------------------------------


def test_the_list_shows_each_app_with_its_active_tokens(client, dev_member, dev_org, server_app):
    app, secret = server_app
    access_token(app, secret)
    access_token(app, secret)
    client.force_login(dev_member(Role.ADMIN))
    html = client.get(APPS).content.decode()
    row = re.search(rf"<tr>(?:(?!</tr>).)*{app.client_id}(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert "Nightly sync" in row and "Test" in row and "Client credentials" in row
    assert f'data-copy-target="client-id-{app.pk}"' in row and app.created.strftime("%Y-%m-%d") in row
    assert "<td>2</td>" in row
    assert 'href="/portal/guide/authentication/#client-credentials"' in row


def test_rotating_the_secret_shows_the_new_one_once_and_the_old_one_stops_working(client, dev_member, server_app):
    app, old = server_app
    client.force_login(dev_member(Role.ADMIN))
    response = client.post(f"{APPS}{app.pk}/rotate-secret/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new = secret_of(response)
    assert new != old and "It will not be shown again" in response.content.decode()
    app.refresh_from_db()
    assert identify_hasher(app.client_secret) and new not in app.client_secret
    assert token_response(app, old).status_code == 401
    assert ping(access_token(app, new)).status_code == 200
    assert AuditEntry.objects.get(action="oauth_application.secret_rotated").changes == {
        "client_id": app.client_id,
        "client_secret": "replaced",
    }
    assert new not in client.get(f"{APPS}{app.pk}/").content.decode()


def test_editing_changes_the_details_but_not_the_mode_client_type_or_grant(client, dev_member, dev_org, server_app):
    app, secret = server_app
    client.force_login(dev_member(Role.OWNER))
    page = client.get(f"{APPS}{app.pk}/").content.decode()
    assert 'value="Nightly sync"' in page and 'name="mode"' not in page and 'name="client_type"' not in page
    assert 'name="redirect_uris"' not in page  # a client-credentials app redirects no one
    response = client.post(
        f"{APPS}{app.pk}/",
        {
            "name": "Hourly sync",
            "description": "Now hourly.",
            "homepage_url": "https://partner.example/",
            "allowed_scopes": ["events:read"],
            "redirect_uris": "",
            # Posted anyway: fixed fields are not on the form, so they are ignored.
            "mode": "live",
            "client_type": "public",
            "authorization_grant_type": "authorization-code",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{APPS}{app.pk}/"
    app.refresh_from_db()
    assert (app.name, app.description, app.homepage_url, app.allowed_scopes) == (
        "Hourly sync",
        "Now hourly.",
        "https://partner.example/",
        ["events:read"],
    )
    assert (app.mode, app.client_type, app.authorization_grant_type) == ("test", "confidential", "client-credentials")
    assert ping(access_token(app, secret)).status_code == 200  # the secret is kept
    entry = AuditEntry.objects.get(action="oauth_application.updated")
    assert entry.changes["name"] == "Hourly sync" and "mode" not in entry.changes

    refused = client.post(f"{APPS}{app.pk}/", {"name": "Hourly sync", "logo_url": "http://cdn.example/x.png"})
    assert refused.status_code == 400 and "The logo URL uses https" in refused.content.decode()
    app.refresh_from_db()
    assert app.logo_url == "" and app.allowed_scopes == ["events:read"]


def test_editing_the_redirect_uris_of_a_code_grant_app(client, dev_member, dev_org):
    client.force_login(dev_member(Role.OWNER))
    secret_of(register(client, **WEB_APP))
    app = Application.objects.get(organization=dev_org)
    page = client.get(f"{APPS}{app.pk}/").content.decode()
    assert "https://planner.example/oauth/callback\nhttp://127.0.0.1:8765/callback</textarea>" in page  # one a line
    edit = {"name": "Planner", "redirect_uris": "https://planner.example/v2/callback", "allowed_scopes": ["openid"]}
    assert client.post(f"{APPS}{app.pk}/", edit).status_code == 302
    app.refresh_from_db()
    assert app.redirect_uris == "https://planner.example/v2/callback" and app.allowed_scopes == ["openid"]
    assert app.logo_url == "" and app.homepage_url == ""  # emptied fields are emptied
    refused = client.post(f"{APPS}{app.pk}/", {**edit, "redirect_uris": "http://planner.example/cb"})
    assert refused.status_code == 400 and "redirect URIs use https" in refused.content.decode()
    app.refresh_from_db()
    assert app.redirect_uris == "https://planner.example/v2/callback"


def test_deleting_asks_for_confirmation_then_revokes_the_apps_tokens(client, dev_member, dev_org, server_app):
    app, secret = server_app
    token = access_token(app, secret)
    assert ping(token).status_code == 200
    client.force_login(dev_member(Role.ADMIN))
    confirm = client.get(f"{APPS}{app.pk}/delete/")
    assert confirm.status_code == 200 and "1 active access token" in confirm.content.decode()
    wrong = client.post(f"{APPS}{app.pk}/delete/", {"confirm_name": "Something else"})
    assert wrong.status_code == 400 and "That is not the app&#x27;s name." in wrong.content.decode()
    assert Application.objects.filter(pk=app.pk).exists() and ping(token).status_code == 200

    response = client.post(f"{APPS}{app.pk}/delete/", {"confirm_name": "Nightly sync"}, follow=True)
    assert response.redirect_chain[-1][0] == APPS and "is deleted and its tokens are revoked" in response.content.decode()
    assert not Application.objects.filter(pk=app.pk).exists() and not AccessToken.objects.exists()
    assert ping(token).status_code == 401
    assert token_response(app, secret).status_code == 401
    entry = AuditEntry.objects.get(action="oauth_application.deleted")
    assert entry.changes == {"client_id": app.client_id, "access_tokens_revoked": 1}


# -- who may do what -------------------------------------------------------------------------------


def test_another_organizations_app_is_a_404(dev_member, dev_org, server_app):
    app, secret = server_app
    other = OrganizationFactory(name="Beta Dev", kind=OrganizationKind.DEVELOPER)
    outsider = Client()
    outsider.force_login(dev_member(Role.OWNER, organization=other))
    assert outsider.get(f"{APPS}{app.pk}/").status_code == 404
    assert outsider.post(f"{APPS}{app.pk}/", {"name": "Taken"}).status_code == 404
    assert outsider.post(f"{APPS}{app.pk}/rotate-secret/").status_code == 404
    assert outsider.get(f"{APPS}{app.pk}/delete/").status_code == 404
    assert outsider.post(f"{APPS}{app.pk}/delete/", {"confirm_name": "Nightly sync"}).status_code == 404
    assert "Nightly sync" not in outsider.get(APPS).content.decode()
    app.refresh_from_db()
    assert app.name == "Nightly sync" and ping(access_token(app, secret)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, server_app):
    app, _ = server_app
    for response in (
        client.get(APPS),
        register(client),
        client.get(f"{APPS}{app.pk}/"),
        client.post(f"{APPS}{app.pk}/", {"name": "x"}),
        client.post(f"{APPS}{app.pk}/rotate-secret/"),
        client.get(f"{APPS}{app.pk}/delete/"),
        client.post(f"{APPS}{app.pk}/delete/", {"confirm_name": "Nightly sync"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/portal/accounts/login/?next=")
    assert Application.objects.count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_a_role_without_the_integrations_permission_gets_a_403(client, dev_member, dev_org, server_app, role):
    app, secret = server_app
    client.force_login(dev_member(role))
    assert client.get(APPS).status_code == 403
    assert register(client, name="Mine").status_code == 403
    assert client.get(f"{APPS}{app.pk}/").status_code == 403
    assert client.post(f"{APPS}{app.pk}/", {"name": "Taken"}).status_code == 403
    assert client.post(f"{APPS}{app.pk}/rotate-secret/").status_code == 403
    assert client.get(f"{APPS}{app.pk}/delete/").status_code == 403
    assert client.post(f"{APPS}{app.pk}/delete/", {"confirm_name": "Nightly sync"}).status_code == 403
    assert list(Application.objects.values_list("name", flat=True)) == ["Nightly sync"]
    assert ping(access_token(app, secret)).status_code == 200
    assert 'href="/portal/apps/"' in client.get("/portal/dashboard/").content.decode()  # the link is there; the page says no


def test_posts_need_the_csrf_token(dev_member, dev_org, server_app):
    app, secret = server_app
    client = Client(enforce_csrf_checks=True)
    client.force_login(dev_member(Role.OWNER))
    assert register(client, name="Forged").status_code == 403
    assert client.post(f"{APPS}{app.pk}/", {"name": "Forged"}).status_code == 403
    assert client.post(f"{APPS}{app.pk}/rotate-secret/").status_code == 403
    assert client.post(f"{APPS}{app.pk}/delete/", {"confirm_name": "Nightly sync"}).status_code == 403
    app.refresh_from_db()
    assert app.name == "Nightly sync" and Application.objects.count() == 1
    assert token_response(app, secret).status_code == 200  # not rotated
    token = CSRF.search(client.get(f"{APPS}{app.pk}/delete/").content.decode()).group(1)
    done = client.post(f"{APPS}{app.pk}/delete/", {"confirm_name": "Nightly sync", "csrfmiddlewaretoken": token})
    assert done.status_code == 302 and not Application.objects.exists()


def test_the_list_page_makes_a_fixed_number_of_queries(client, dev_member, dev_org, django_assert_max_num_queries):
    owner = owner_client(dev_member)
    first = secret_of(register(owner, name="App 0"))
    access_token(Application.objects.get(name="App 0"), first)

    with CaptureQueriesContext(connection) as captured:
        assert owner.get(APPS).status_code == 200
    one = len(captured)  # session, user, membership, the switcher's memberships, the apps with their token counts
    assert one <= 5
    for n in range(1, 8):
        register(owner, **({**WEB_APP, "name": f"App {n}"} if n % 2 else {"name": f"App {n}"}))
    assert Application.objects.filter(organization=dev_org).count() == 8
    with django_assert_max_num_queries(one):
        html = owner.get(APPS).content.decode()
    assert all(f"App {n}" in html for n in range(8))


def test_the_pages_have_no_inline_script_or_style(client, dev_member, server_app):
    app, _ = server_app
    client.force_login(dev_member(Role.OWNER))
    pages = [
        client.get(APPS),
        register(client, **WEB_APP),  # the detail page with a secret
        register(client, name=""),  # the list with errors
        client.get(f"{APPS}{app.pk}/"),
        client.get(f"{APPS}{app.pk}/delete/"),
    ]
    for response in pages:
        html = response.content.decode()
        assert "<main>" in html and not INLINE.findall(html)
        assert response["Content-Security-Policy"] == PARTNER_IMAGES_CONTENT_SECURITY_POLICY
    # Only the Apps pages allow partners' images; every other portal page keeps the strict policy.
    assert client.get("/portal/keys/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in PARTNER_IMAGES_CONTENT_SECURITY_POLICY
    assert "img-src 'self' data: https: http://localhost:* http://127.0.0.1:*;" in PARTNER_IMAGES_CONTENT_SECURITY_POLICY
