"""The guide's authentication examples, taken from the rendered page and run against a live server."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys

import pytest
import requests

from accounts import services as account_services
from accounts.models import Application
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def snippet(base_url: str, block_id: str) -> str:
    page = requests.get(f"{base_url}/portal/guide/authentication/", timeout=10)
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
