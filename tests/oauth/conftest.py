"""Fixtures of the OAuth tests: the live authorization server and a browser signed in to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from accounts.models import User
from tests.api.test_rate_limits import clock, store
from tests.factories import verified
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


SIGN_IN = "/portal/accounts/login/"


@pytest.fixture
def browser(server: str) -> Callable[[str], requests.Session]:
    """browser(email) -> a requests session signed in through the platform's sign-in form (the user's address verified)."""

    def sign_in(email: str, password: str = "correct-horse-battery") -> requests.Session:
        verified(User.objects.get(email=email))
        session = requests.Session()
        page = session.get(f"{server}{SIGN_IN}")
        fields = form_on(page.text, SIGN_IN)["fields"]
        answer = session.post(f"{server}{SIGN_IN}", data={**fields, "login": email, "password": password}, allow_redirects=False)
        assert answer.status_code == 302, answer.text
        return session

    return sign_in
