"""SSRF: a delivery never reaches the platform's own network, however the address is spelt or resolved."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from core import outbox
from integrations import network, services
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.conftest import error_of
from tests.integrations.helpers import EMBEDDED_IPV4, embedded_refusal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_loopback(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_LOOPBACK = False


def _deliver_to(org: Any, url: str, expect: str = "pending") -> WebhookAttempt:
    from django.db import transaction

    WebhookSubscription.objects.create(organization=org, url=url, event_types=["event.*"], secret=_secret())
    with transaction.atomic():
        outbox.publish("event.created", org.id, {"id": "e1"})
    [delivery_id] = services.outbox_dispatch()
    outcome = services.delivery_attempt(delivery_id=delivery_id)
    assert outcome is not None and outcome.status == expect  # refused attempts are retried like failures
    return WebhookAttempt.objects.get(delivery_id=delivery_id)


def _secret() -> str:
    from core import secrets
    from integrations import signing

    return secrets.encrypt(signing.new_secret())


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("2130706433", "loopback"),  # decimal
        ("0x7f000001", "loopback"),  # hex
        ("127.1", "loopback"),  # short form
        ("0177.0.0.1", "loopback"),  # octal
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),  # IPv4-mapped IPv6
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("[::ffff:10.0.0.1]", "private"),
        ("[fd00::1]", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("[fe80::1]", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not globally routable"),  # carrier-grade NAT
    ],
)
def test_internal_addresses_are_refused_in_every_spelling(org, receiver, host, reason):
    port = receiver.url.split(":")[2].split("/")[0]  # a live receiver: only the refusal can keep it from answering
    attempt = _deliver_to(org, f"http://{host}:{port}/hooks")
    assert attempt.error.startswith("refused:") and f"({reason})" in attempt.error, attempt.error
    assert attempt.response_status is None
    assert receiver.requests == []


def test_a_name_that_resolves_to_a_private_address_is_refused(org, monkeypatch):
    looked_up = []

    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        looked_up.append(host)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(network.socket, "getaddrinfo", fake_getaddrinfo)
    attempt = _deliver_to(org, "https://hooks.partner.example/in")
    assert looked_up == ["hooks.partner.example"]
    assert "resolves to 10.0.0.7 (private)" in attempt.error


def test_the_connection_goes_to_the_address_that_was_checked(org, receiver, settings, monkeypatch):
    """A name is resolved once; the request goes to that address with the name in the Host header."""
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    port = int(receiver.url.split(":")[2].split("/")[0])
    answers = iter([["127.0.0.1"], ["203.0.113.9"]])  # a rebinding resolver would change its answer
    calls = []

    def resolve(host: str, p: int) -> list[str]:
        calls.append(host)
        return next(answers)

    monkeypatch.setattr(network, "resolve", resolve)
    attempt = _deliver_to(org, f"http://hooks.partner.example:{port}/hooks", expect="succeeded")
    assert attempt.response_status == 200
    assert calls == ["hooks.partner.example"]
    [request] = receiver.requests
    assert request.headers["host"] == f"hooks.partner.example:{port}"
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_loopback_is_allowed_only_by_its_setting(org, receiver, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    WebhookSubscription.objects.create(organization=org, url=receiver.url, event_types=["event.*"], secret=_secret())
    from django.db import transaction

    with transaction.atomic():
        outbox.publish("event.created", org.id, {"id": "e1"})
    [delivery_id] = services.outbox_dispatch()
    assert services.delivery_attempt(delivery_id=delivery_id).status == "succeeded"
    assert network.refusal("10.0.0.1", allow_loopback=True) == "private"  # the setting opens loopback only
    assert network.refusal("93.184.216.34", allow_loopback=False) is None


def test_http_is_refused_at_delivery_without_the_setting(org, receiver, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_ALLOW_HTTP = False
    attempt = _deliver_to(org, receiver.url)
    assert attempt.error == "refused: http scheme is not allowed"
    assert receiver.requests == []


# -- IPv6 forms that carry an IPv4 address ---------------------------------------------------------
def _resolving_to(monkeypatch: Any, address: str) -> list[Any]:
    """Every name resolves to ``address``; returns the list of connections opened (address, port)."""
    connections: list[Any] = []

    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]

    def no_connection(target: Any, *args: Any, **kwargs: Any) -> Any:
        connections.append(target)
        raise OSError("no network in tests")

    monkeypatch.setattr(network.socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(network.socket, "create_connection", no_connection)
    return connections


@pytest.mark.parametrize(("address", "form", "ipv4", "reason"), EMBEDDED_IPV4)
def test_a_name_resolving_to_an_embedded_internal_address_is_refused_at_send(org, monkeypatch, address, form, ipv4, reason):
    connections = _resolving_to(monkeypatch, address)
    attempt = _deliver_to(org, "https://hooks.partner.example/in")
    expected = f"refused: hooks.partner.example resolves to {address} ({embedded_refusal(form, ipv4, reason)})"
    assert attempt.error == expected
    assert connections == []


@pytest.mark.parametrize(("address", "form", "ipv4", "reason"), EMBEDDED_IPV4)
def test_an_embedded_internal_address_in_the_url_is_refused_at_send(org, monkeypatch, address, form, ipv4, reason):
    """A subscription saved before the rule (or written past the service) is still refused when sent."""
    connections = _resolving_to(monkeypatch, address)
    monkeypatch.setattr(network.socket, "getaddrinfo", socket.getaddrinfo)  # the literal resolves to itself
    attempt = _deliver_to(org, f"https://[{address}]/in")
    assert attempt.error == f"refused: {address} resolves to {address} ({embedded_refusal(form, ipv4, reason)})"
    assert connections == []


@pytest.mark.parametrize("address", ["2002:5db8:d822::1", "64:ff9b::5db8:d822", "::ffff:93.184.216.34"])
def test_a_form_carrying_a_public_address_is_sent_to(org, receiver, monkeypatch, address):
    """6to4, NAT64 (DNS64 on an IPv6-only network) and IPv4-mapped reach the public IPv4 host they carry."""
    port = int(receiver.url.split(":")[2].split("/")[0])
    opened = []
    connect = socket.create_connection

    def to_the_receiver(target: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(target[0])
        return connect(("127.0.0.1", port), *args, **kwargs)

    monkeypatch.setattr(network, "resolve", lambda host, p: [address])
    monkeypatch.setattr(network.socket, "create_connection", to_the_receiver)
    attempt = _deliver_to(org, f"http://hooks.partner.example:{port}/hooks", expect="succeeded")
    assert attempt.response_status == 200 and opened == [address]


@pytest.mark.parametrize("address", ["2001:0:5db8:d822:8000:f227:a247:27dd", "64:ff9b:1::5db8:d822", "::5db8:d822"])
def test_forms_that_are_never_globally_routed_are_refused_whatever_they_carry(address):
    """Teredo, local-use NAT64 (any RFC 6052 layout may be in use) and IPv4-compatible (deprecated)."""
    assert network.refusal(address, allow_loopback=True) in ("private", "reserved", "not globally routable")


@pytest.mark.parametrize(("address", "form", "ipv4", "reason"), EMBEDDED_IPV4)
def test_an_embedded_internal_address_is_refused_at_save(client_owner, settings, address, form, ipv4, reason):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    response = client_owner.post("/api/v1/webhooks", {"url": f"https://[{address}]/in", "eventTypes": ["event.*"]}, format="json")
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert (error["code"], error["target"]) == ("WEBHOOK_URL_NOT_ALLOWED", "url")
    assert f"{address} is not a public address ({embedded_refusal(form, ipv4, reason)})" in error["message"]
    assert not WebhookSubscription.objects.exists()
