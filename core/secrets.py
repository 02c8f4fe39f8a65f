"""Encryption at rest of secrets the platform must read back (webhook signing secrets, connector credentials).

Fernet (AES-128-CBC with HMAC-SHA256) under keys from ``FIELD_ENCRYPTION_KEY``: a
comma-separated list, the first key encrypts and every key decrypts, so a key is
rotated by putting the new one first and re-encrypting (``reencrypt``) before the
old one is dropped. Without the variable, one key is derived from ``SECRET_KEY``:
enough for a single machine, and what changing ``SECRET_KEY`` would lock out.
"""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

__all__ = ["InvalidToken", "decrypt", "encrypt", "keyed_digest", "keyed_digest_match", "reencrypt"]


def digest(raw: str) -> str:
    """The SHA-256 (hex) a random credential is stored and looked up by: API keys, OAuth token checksums, invitation tokens.

    These are 256-bit random strings, so a fast hash cannot be searched; passwords use Django's hashers instead.
    """
    return hashlib.sha256(raw.encode()).hexdigest()


def keyed_digest(raw: str, *, purpose: str, secret: str | None = None) -> str:
    """HMAC-SHA256 (hex) of a random credential under a key derived from ``SECRET_KEY`` (or ``secret``) for ``purpose``.

    For credentials checked against a stored value rather than looked up by it (OAuth client secrets):
    as fast as ``digest``, and a copy of the database alone cannot even confirm a guess.
    """
    return salted_hmac(f"platform {purpose}", raw, secret=secret, algorithm="sha256").hexdigest()


def keyed_digest_match(raw: str, stored: str, *, purpose: str) -> tuple[bool, bool]:
    """Whether ``raw`` matches ``stored`` under ``SECRET_KEY`` or one of ``SECRET_KEY_FALLBACKS``, in constant time;
    and whether it matched under a fallback (the stored value should then be made again under the current key)."""
    if constant_time_compare(keyed_digest(raw, purpose=purpose), stored):
        return True, False
    for old in getattr(settings, "SECRET_KEY_FALLBACKS", []):
        if constant_time_compare(keyed_digest(raw, purpose=purpose, secret=old), stored):
            return True, True
    return False, False


def _keys() -> tuple[str, ...]:
    configured = [k.strip() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if k.strip()]
    if configured:
        return tuple(configured)
    digest = hashlib.sha256(b"platform field encryption\x00" + settings.SECRET_KEY.encode()).digest()
    return (base64.urlsafe_b64encode(digest).decode(),)


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plaintext: str) -> str:
    """``plaintext`` encrypted under the first key (a Fernet token, ASCII)."""
    return _fernet(_keys()).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """The plaintext of ``token``, under whichever configured key made it; raises InvalidToken otherwise."""
    return _fernet(_keys()).decrypt(token.encode()).decode()


def reencrypt(token: str) -> str:
    """``token`` encrypted again under the first key (after a key rotation)."""
    return _fernet(_keys()).rotate(token.encode()).decode()
