"""The keys that sign and verify access tokens.

One RSA private key signs (``OAUTH_JWT_PRIVATE_KEY``); the public keys of retired
ones (``OAUTH_JWT_PREVIOUS_PUBLIC_KEYS``) stay accepted until the tokens they
signed have expired. The toolkit's JWKS endpoint publishes the same keys (the
settings hand them to it as ``OIDC_RSA_PRIVATE_KEY`` and
``OIDC_RSA_PRIVATE_KEYS_INACTIVE``). A key's ``kid`` is its RFC 7638
thumbprint, the one the toolkit puts on ID tokens and JWKS entries.
"""

from __future__ import annotations

import functools
import json

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
