"""The keys that sign access and ID tokens, and the JWK set the platform publishes.

One RSA private key signs (``OAUTH_JWT_PRIVATE_KEY``); the public keys of retired
ones (``OAUTH_JWT_PREVIOUS_PUBLIC_KEYS``) stay published and accepted until the
tokens they signed have expired. A key's ``kid`` is its RFC 7638 thumbprint,
the same one django-oauth-toolkit puts on ID tokens.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.conf import settings
from jwcrypto import jwk


@functools.cache
def _jwk(pem: str) -> jwk.JWK:
    return jwk.JWK.from_pem(pem.encode())


def signing_key() -> jwk.JWK:
    return _jwk(settings.OAUTH_JWT_PRIVATE_KEY)


def verification_keys() -> dict[str, jwk.JWK]:
    """{kid: public key} of the signing key and of the retired keys still accepted."""
    return _verification_keys(settings.OAUTH_JWT_PRIVATE_KEY, tuple(settings.OAUTH_JWT_PREVIOUS_PUBLIC_KEYS))


@functools.cache
def _verification_keys(current: str, previous: tuple[str, ...]) -> dict[str, jwk.JWK]:
    keys = {}
    for pem in (current, *previous):
        public = jwk.JWK(**json.loads(_jwk(pem).export_public()))
        keys[public.thumbprint()] = public
    return keys


def jwks() -> dict[str, Any]:
    """The JWK set (RFC 7517) of ``verification_keys``, as the JWKS endpoint serves it."""
    return {
        "keys": [
            {"alg": "RS256", "use": "sig", "kid": kid, **json.loads(key.export_public())}
            for kid, key in verification_keys().items()
        ]
    }
