"""The guide's authentication examples, taken from the rendered page and run against a live server."""

from __future__ import annotations

import ast
import html
import os
import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from accounts import services as account_services
from accounts.models import Application
from accounts.roles import Role
from tests.factories import EventFactory
from tests.oauth import conftest as oauth_fixtures
from tests.oauth.helpers import LOOPBACK_REDIRECT, form_on, make_app

pytestmark = pytest.mark.django_db(transaction=True)

# The OAuth tests' fixtures: the live server as the issuer, and a person signed in to it through its sign-in form.
server = oauth_fixtures.server
browser = oauth_fixtures.browser


def snippet(base_url: str, block_id: str, section: str = "authentication") -> str:
    """The text of the code block ``block_id`` of a guide section as the live server renders it."""
    page = requests.get(f"{base_url}/portal/guide/{section}/", timeout=30)
    assert page.status_code == 200
    found = re.search(rf'<pre class="code" id="{block_id}">(.*?)</pre>', page.text, re.S)
    assert found, block_id
    return html.unescape(found.group(1))


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ, **env})


@pytest.fixture
def api_key(org, owner):
    event = EventFactory(organization=org, title="Guide Example Conference")
    _, raw = account_services.api_key_create(
        actor=owner, organization=org, data={"name": "guide", "scopes": ["events:read"]}, creator_role="owner"
    )
    return event, raw


def test_the_api_key_curl_example_lists_the_events(live_server, api_key):
    event, raw = api_key
    curl = snippet(live_server.url, "api-key-curl")
    assert curl.startswith("curl ") and live_server.url in curl
    answer = run(["bash", "-c", curl], EMP_API_KEY=raw)
    assert answer.returncode == 0, answer.stderr
    assert str(event.pk) in answer.stdout and "Guide Example Conference" in answer.stdout
    refused = run(["bash", "-c", curl], EMP_API_KEY=raw[:-2] + "xx")
    assert refused.returncode == 22  # curl -f: HTTP 401


def test_the_api_key_python_example_lists_the_events(live_server, api_key):
    event, raw = api_key
    code = snippet(live_server.url, "api-key-python")
    answer = run([sys.executable, "-c", code], EMP_API_KEY=raw)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == f"{event.pk} Guide Example Conference"
    refused = run([sys.executable, "-c", code], EMP_API_KEY="emp_live_wrong")
    assert refused.returncode != 0 and "401" in refused.stderr


@pytest.fixture
def client_app(org):
    app = Application(
        name="Guide example",
        organization=org,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        allowed_scopes=["events:read"],
    )
    secret = app.client_secret
    app.full_clean()
    app.save()
    EventFactory(organization=org, title="Client Credentials Summit")
    return app, secret


def test_the_client_credentials_examples_get_a_token_that_reads_events(live_server, client_app):
    app, secret = client_app
    env = {"EMP_CLIENT_ID": app.client_id, "EMP_CLIENT_SECRET": secret}
    curl = run(["bash", "-c", snippet(live_server.url, "client-credentials-curl")], **env)
    assert curl.returncode == 0 and '"access_token"' in curl.stdout, curl.stdout + curl.stderr
    python = run([sys.executable, "-c", snippet(live_server.url, "client-credentials-python")], **env)
    assert python.returncode == 0, python.stderr
    assert "Client Credentials Summit" in python.stdout


def test_the_authorization_code_and_refresh_examples_run_through_consent(server, browser, org, member):
    """The Python example prints the authorization URL and reads the code; a signed-in member consents in between.
    Then the refresh example, run after it, swaps the tokens for new ones that work too."""
    user = member(Role.EDITOR, email="guide-reader@acme.example")
    app, secret = make_app(organization=org, scopes=["openid", "events:read"], name="Guide planner")
    code = "\n".join(
        [
            snippet(server, "authorization-code-python"),
            snippet(server, "refresh-python"),
            'print(requests.get(f"{BASE_URL}/api/v1/ping", headers={"Authorization": "Bearer " + token["access_token"]}, '
            "timeout=10).json())",
        ]
    )
    script = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "EMP_CLIENT_ID": app.client_id, "EMP_CLIENT_SECRET": secret},
    )
    assert script.stdout is not None and script.stdin is not None
    authorize_url = script.stdout.readline().strip()
    assert authorize_url.startswith(f"{server}/o/authorize/?"), authorize_url

    person = browser(user.email)  # signed in to the authorization server
    form = form_on(person.get(authorize_url).text, "/o/authorize/")
    answer = person.post(
        f"{server}/o/authorize/", data={**form["fields"], "organization": str(org.pk), "allow": "on"}, allow_redirects=False
    )
    assert answer.status_code == 302 and answer.headers["Location"].startswith(LOOPBACK_REDIRECT)
    [authorization_code] = parse_qs(urlsplit(answer.headers["Location"]).query)["code"]

    out, err = script.communicate(authorization_code + "\n", timeout=60)
    assert script.returncode == 0, err
    pings = [ast.literal_eval(line.removeprefix("code: ")) for line in out.strip().splitlines()]
    assert len(pings) == 2  # with the first access token, then with the refreshed one
    for ping in pings:
        assert ping["kind"] == "oauth" and ping["client"]["clientId"] == app.client_id
        assert ping["organization"]["id"] == str(org.pk) and ping["user"]["email"] == user.email
