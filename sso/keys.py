"""The platform's SAML key pairs (one active per identity provider, ADR 0021): made here, stored encrypted."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def new_key_pair(common_name: str, *, days: int = 3650) -> tuple[str, str]:
    """(certificate PEM, private key PEM): RSA 2048 with a self-signed certificate, as SAML metadata carries keys."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return cert_pem, key_pem


def pem_body(pem: str) -> str:
    """A certificate's base64 body, as SAML metadata and python3-saml's settings take it."""
    return "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
