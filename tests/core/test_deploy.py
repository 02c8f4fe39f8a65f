"""Transport security: ``manage.py check --deploy`` is clean under production settings, HSTS (preload off unless
asked), the https redirect, and a TLS-terminating proxy's header, all from the environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from config.settings import _proxy_ssl_header

# Variables a developer's shell or .env may set that would change what is measured here.
_OURS = (
    # The live-server tests of this process set it; a deployment never would (async.E001).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SITE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
)
PRODUCTION = {
    "DEBUG": "false",
    "SITE_URL": "https://events.example.com",
    "ALLOWED_HOSTS": "events.example.com",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in _OURS}
    return subprocess.run(
        [sys.executable, *args], cwd=django_settings.BASE_DIR, env={**base, **env}, capture_output=True, text=True
    )


def _settings(**env: str) -> dict[str, Any]:
    code = (
        "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup();"
        "from django.conf import settings as s; print(json.dumps({n: getattr(s, n) for n in ("
        "'SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        "'SECURE_HSTS_PRELOAD', 'SILENCED_SYSTEM_CHECKS', 'SECURE_REDIRECT_EXEMPT')}))"
    )
    out = _run(["-c", code], **env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_deploy_check_is_clean_under_production_settings():
    out = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], **PRODUCTION)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout, out.stdout
    assert "WARNINGS" not in out.stdout + out.stderr


def test_the_deploy_check_names_what_a_development_setup_lacks():
    """The check above can fail: over http and in debug, the same command lists what production needs."""
    out = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DEBUG="true")
    assert out.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016", "security.W018"):
        assert warning in out.stderr, out.stderr


def test_an_https_site_gets_https_redirect_and_hsts_without_preload():
    assert _settings(**PRODUCTION) == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SILENCED_SYSTEM_CHECKS": ["security.W021"],
        "SECURE_REDIRECT_EXEMPT": ["^health/"],  # a load balancer's health checks over http
    }


def test_each_transport_setting_comes_from_the_environment():
    assert _settings(SITE_URL="http://127.0.0.1:8000") | {"SILENCED_SYSTEM_CHECKS": None} == {
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SILENCED_SYSTEM_CHECKS": None,
        "SECURE_REDIRECT_EXEMPT": ["^health/"],  # a load balancer's health checks over http
    }
    chosen = _settings(
        **{
            **PRODUCTION,
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Scheme,on",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "600",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "false",
            "SECURE_HSTS_PRELOAD": "true",
            "SECURE_REDIRECT_EXEMPT": r"^api/v1/ping$",
        }
    )
    assert chosen == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_SCHEME", "on"],
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": True,
        "SILENCED_SYSTEM_CHECKS": [],  # preload on: nothing to silence
        "SECURE_REDIRECT_EXEMPT": [r"^api/v1/ping$"],
    }


def test_the_proxy_header_is_read_as_a_header_name_or_as_django_spells_it():
    assert _proxy_ssl_header("X-Forwarded-Proto") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert _proxy_ssl_header(" x-forwarded-proto , https ") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert _proxy_ssl_header("HTTP_X_FORWARDED_PROTO,https") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert _proxy_ssl_header("Front-End-Https,on") == ("HTTP_FRONT_END_HTTPS", "on")
    assert _proxy_ssl_header("") is None and _proxy_ssl_header(",https") is None


@pytest.fixture
def production(settings: Any) -> Client:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/v1/ping$"]
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False
    return Client()  # a new handler: the security middleware reads its settings when it is built


@pytest.mark.django_db
def test_behind_the_proxy_https_requests_get_hsts_and_http_ones_are_redirected(production):
    secure = production.get("/api/errors/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = production.get("/api/errors/?x=1")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/api/errors/?x=1"
    assert "Strict-Transport-Security" not in plain
    # The proxy's header is believed only with the value it is configured for.
    assert production.get("/api/errors/", headers={"X-Forwarded-Proto": "http"}).status_code == 301
    # A load balancer's health check over http is answered where it is exempt.
    assert production.get("/api/v1/ping").status_code != 301
