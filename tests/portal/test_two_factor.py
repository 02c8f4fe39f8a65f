"""Optional TOTP two-factor authentication: enrolment with the QR code and secret, then a sign-in that asks for the code."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.portal.helpers import INLINE, PASSWORD, registered, sign_in

pytestmark = pytest.mark.django_db


def totp(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


@pytest.fixture(autouse=True)
def _tolerance(settings):
    # One step either side, so the sign-in can use the next code: a code is accepted once only.
    settings.MFA_TOTP_TOLERANCE = 1


def enrol(client) -> str:
    # Turning on two-factor asks for the password again first.
    page = client.get("/portal/accounts/2fa/totp/activate/")
    assert page.status_code == 302 and page["Location"].startswith("/portal/accounts/reauthenticate/")
    response = client.post(page["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/portal/accounts/2fa/totp/activate/"
    page = client.get("/portal/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code
    assert not INLINE.search(html) and "<main>" in html
    assert 'data-copy-target="authenticator_secret"' in html and "/static/portal/accounts.js" in html
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)
    assert (
        client.post(
            "/portal/accounts/2fa/totp/activate/", {"code": "000000" if totp(secret) != "000000" else "111111"}
        ).status_code
        == 200
    )
    response = client.post("/portal/accounts/2fa/totp/activate/", {"code": totp(secret, -1)})
    assert response.status_code == 302, response.content.decode()
    return secret


def test_enrol_totp_then_sign_in_needs_the_code(client):
    user = registered(client, "mfa@partner.example")
    secret = enrol(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes_page = client.get("/portal/accounts/2fa/recovery-codes/")
    assert codes_page.status_code == 200 and not INLINE.search(codes_page.content.decode())
    client.post("/portal/accounts/logout/")

    response = sign_in(client, "mfa@partner.example")
    assert response.status_code == 302 and response["Location"] == "/portal/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/portal/dashboard/").status_code == 302

    assert not INLINE.search(client.get("/portal/accounts/2fa/authenticate/").content.decode())
    refused = client.post("/portal/accounts/2fa/authenticate/", {"code": "12345"})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert "field-invalid" in refused.content.decode()

    response = client.post("/portal/accounts/2fa/authenticate/", {"code": totp(secret, 1)})
    assert response.status_code == 302 and response["Location"] == "/portal/dashboard/"
    assert client.get("/portal/dashboard/").status_code == 200


def test_a_recovery_code_signs_in_once(client):
    user = registered(client, "recover@partner.example")
    enrol(client)
    client.get("/portal/accounts/2fa/recovery-codes/")
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()
    client.post("/portal/accounts/logout/")

    sign_in(client, "recover@partner.example")
    response = client.post("/portal/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response["Location"] == "/portal/dashboard/"
    client.post("/portal/accounts/logout/")

    sign_in(client, "recover@partner.example")
    assert client.post("/portal/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in client.session
