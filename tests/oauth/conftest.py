"""Fixtures of the OAuth tests: the live authorization server and a browser signed in to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.api.test_rate_limits import clock, store
from tests.oauth.helpers import form_on

# The API limiter's fixtures, for the rate limits of the token endpoints: a clock moved by hand, and each store.
__all__ = ["clock", "store"]


@pytest.fixture
def server(live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """The live server's base URL, serving as the issuer; authlib may talk plain http to it (loopback only)."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": f"{live_server.url}/o"}
    return str(live_server.url)


@pytest.fixture
def browser(server: str) -> Callable[[str], requests.Session]:
    """browser(email) -> a requests session signed in to the authorization server through its sign-in form."""

    def sign_in(email: str, password: str = "correct-horse-battery") -> requests.Session:
        session = requests.Session()
        page = session.get(f"{server}/o/login/")
        fields = form_on(page.text, "/o/login/")["fields"]
        answer = session.post(
            f"{server}/o/login/", data={**fields, "username": email, "password": password}, allow_redirects=False
        )
        assert answer.status_code == 302, answer.text
        return session

    return sign_in
