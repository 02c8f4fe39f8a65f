"""HTTPS to a pinned address: the socket goes to the checked IP, while SNI and the certificate check use the name."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.db import transaction

from core import outbox
from core.audit import SYSTEM
from integrations import network, services
from integrations.models import WebhookAttempt
from tests.integrations.conftest import Receiver, serve
from tests.integrations.helpers import verify

pytestmark = pytest.mark.django_db

NAME = "hooks.partner.example"


def _cert(subject: str, issuer_key: Any, issuer: x509.Name | None, ca: bool) -> tuple[Any, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer or name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
    return key, builder.sign(issuer_key or key, hashes.SHA256())


@pytest.fixture
def tls_receiver(tmp_path: Any, monkeypatch: Any, settings: Any) -> Iterator[Receiver]:
    """An HTTPS receiver on 127.0.0.1 with a certificate for NAME from a private CA the client trusts."""
    ca_key, ca_cert = _cert("Test CA", None, None, ca=True)
    key, cert = _cert(NAME, ca_key, ca_cert.subject, ca=False)
    (tmp_path / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    seen_sni: list[str | None] = []
    server_context.sni_callback = lambda sock, name, ctx: seen_sni.append(name)
    original = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda: original(cafile=str(tmp_path / "ca.pem")))  # core.net uses it
    monkeypatch.setattr(network, "resolve", lambda host, port: ["127.0.0.1"])  # NAME "resolves" to the receiver
    settings.WEBHOOK_ALLOW_HTTP = False
    state, server = serve(server_context)
    state.sni = seen_sni  # type: ignore[attr-defined]
    yield state
    server.shutdown()
    server.server_close()


def _send(org: Any, url: str) -> tuple[Any, str]:
    _, secret = services.subscription_create(actor=SYSTEM, organization=org, data={"url": url, "event_types": ["event.*"]})
    with transaction.atomic():
        outbox.publish("event.published", org.id, {"id": "e1"})
    [delivery_id] = services.outbox_dispatch()
    return services.delivery_attempt(delivery_id=delivery_id), secret


def test_https_goes_to_the_checked_address_with_the_name_for_sni_and_the_certificate(org, tls_receiver):
    port = tls_receiver.url.rsplit(":", 1)[1].split("/")[0]
    outcome, secret = _send(org, f"https://{NAME}:{port}/hooks")
    assert outcome.status == "succeeded", WebhookAttempt.objects.get().error
    [request] = tls_receiver.requests
    assert request.headers["host"] == f"{NAME}:{port}"
    assert tls_receiver.sni == [NAME]
    assert verify(secret, request)["event"] == "event.published"


def test_a_certificate_for_another_name_is_refused(org, tls_receiver, monkeypatch):
    port = tls_receiver.url.rsplit(":", 1)[1].split("/")[0]
    outcome, _ = _send(org, f"https://other.partner.example:{port}/hooks")
    assert outcome.status == "pending"
    assert "CERTIFICATE_VERIFY_FAILED" in WebhookAttempt.objects.get().error
    assert tls_receiver.requests == []
