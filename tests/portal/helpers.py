"""What the portal tests share: reading links out of the sent emails, signing up and in through the real pages."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from accounts.models import User

PASSWORD = "a-long-portal-passphrase-2026"

# An inline script (no src, and not a JSON data block), an inline style element or attribute, an event handler attribute.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=", re.IGNORECASE
)


def shown_secret(response: object, field_id: str) -> str:
    """The secret a page shows once, in the read-only field ``field_id`` (templates/portal/includes/secret_once.html)."""
    html = response.content.decode()  # type: ignore[attr-defined]
    match = re.search(rf'id="{field_id}"[^>]*value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def link_in_last_email(to: str, pattern: str = r"https?://\S+") -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    match = re.search(pattern, message.body)
    assert match, message.body
    return re.sub(r"^https?://[^/]+", "", match.group(0))


def sign_up(client: Client, email: str, organization: str = "") -> None:
    response = client.post(
        "/portal/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "organization_name": organization},
    )
    assert response.status_code == 302, response.content.decode()


def verify(client: Client, email: str) -> None:
    confirm = link_in_last_email(email, r"https?://\S+/portal/accounts/confirm-email/\S+")
    assert client.get(confirm).status_code == 200
    assert client.post(confirm).status_code == 302


def sign_in(client: Client, email: str, password: str = PASSWORD, next_url: str = "") -> object:
    url = "/portal/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password})


def registered(client: Client, email: str, organization: str = "") -> User:
    """A user signed up, verified and signed in through the portal's pages."""
    sign_up(client, email, organization)
    verify(client, email)
    response = sign_in(client, email)
    assert response.status_code == 302 and response["Location"] == "/portal/dashboard/"  # type: ignore[attr-defined]
    return User.objects.get(email=email)
