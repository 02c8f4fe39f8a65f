"""The authorization server's sign-in page: refused passwords are audited, attempts are rate limited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(client: Client, email: str, password: str) -> object:
    return client.post(reverse("oauth2_provider:login"), {"username": email, "password": password})


def test_a_refused_password_is_audited_and_a_good_one_signs_in():
    user = UserFactory(email="ada@example.com")
    user.set_password("correct-horse-battery")
    user.save()
    client = Client(REMOTE_ADDR="198.51.100.7")
    response = attempt(client, "ada@example.com", "tr0ub4dor-3")
    assert response.status_code == 200 and "Please enter a correct" in response.content.decode()
    entry = AuditEntry.objects.get(action="auth.failed")
    assert entry.changes == {
        "method": "password",
        "reason": "wrong email or password",
        "email": "ada@example.com",
        "ip": "198.51.100.7",
    }
    assert "tr0ub4dor" not in str(entry.changes)
    assert attempt(client, "ada@example.com", "correct-horse-battery").status_code == 302


def test_sign_in_attempts_are_rate_limited_per_address(settings, clock):
    # The clock stands still (tests.oauth.conftest): on a busy machine ten attempts may take long enough to refill one.
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_STORE, settings.RATE_LIMIT_REDIS_URL = "database", ""
    guesser = Client(REMOTE_ADDR="203.0.113.50")
    for _ in range(settings.RATE_LIMIT_TIERS["anonymous"]["burst"]):
        assert attempt(guesser, "ada@example.com", "guess").status_code == 200
    refused = attempt(guesser, "ada@example.com", "guess")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Too many sign-in attempts" in refused.content.decode()
    assert attempt(Client(REMOTE_ADDR="203.0.113.51"), "ada@example.com", "guess").status_code == 200
