"""How OAuth client secrets are stored and checked: a fast keyed hash, like API keys, not a password hasher.

A client secret is a random value of about 770 bits (``generate_client_secret``:
128 characters), never chosen by a person, so nothing is gained by making each
guess expensive: the 1,000,000 PBKDF2 iterations of Django's password hasher
only made every request with a wrong secret cost about 0.3 s of CPU, enough for
a few dozen requests to slow the whole API. The secret is stored as
``hmac_sha256$<hex>``: HMAC-SHA256 under a key derived from ``SECRET_KEY``
(``core.secrets.keyed_digest``), compared in constant time.

``ClientSecretHasher`` is a Django password hasher only so that
django-oauth-toolkit stores new and rotated secrets with it
(``CLIENT_SECRET_HASHER``) and recognises the stored value as hashed
(``identify_hasher``); it is listed last in ``PASSWORD_HASHERS``, so no user
password is ever made with it. Secrets stored by the toolkit's default
(PBKDF2) keep working and move to this hash at their next successful use
(``check_client_secret``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import BasePasswordHasher, check_password, identify_hasher, mask_hash
from django.utils.crypto import constant_time_compare

from core.secrets import keyed_digest, keyed_digest_match

ALGORITHM = "hmac_sha256"
PURPOSE = "oauth client secret"


class ClientSecretHasher(BasePasswordHasher):
    """``hmac_sha256$<hex>``: HMAC-SHA256 of the secret under a key derived from ``SECRET_KEY``; no salt (the secret is
    random and unique), no iterations (nothing to slow down: guessing 770 random bits is hopeless)."""

    algorithm = ALGORITHM

    def salt(self) -> str:
        return ""

    def encode(self, password: str, salt: str) -> str:
        return f"{self.algorithm}${keyed_digest(password, purpose=PURPOSE)}"

    def decode(self, encoded: str) -> dict[str, str]:
        algorithm, hash_ = encoded.split("$", 1)
        return {"algorithm": algorithm, "hash": hash_, "salt": ""}

    def verify(self, password: str, encoded: str) -> bool:
        return keyed_digest_match(password, self.decode(encoded)["hash"], purpose=PURPOSE)[0]

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        return {"algorithm": self.algorithm, "hash": mask_hash(self.decode(encoded)["hash"])}

    def must_update(self, encoded: str) -> bool:
        return False

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass  # no work factor to even out


_HASHER = ClientSecretHasher()


def make_client_secret_hash(secret: str) -> str:
    return _HASHER.encode(secret, "")


def check_client_secret(presented: str, stored: str) -> tuple[bool, str | None]:
    """Whether ``presented`` is the secret ``stored`` was made from; and, when it is but ``stored`` is not this hash
    under the current ``SECRET_KEY``, the value to store instead.

    - ``hmac_sha256$...``: one HMAC (two or three during a ``SECRET_KEY`` rotation), compared in constant time.
    - another Django hash (the toolkit's PBKDF2 before this hasher): Django's check, as slow as it always was,
      then the secret moves to the fast hash so that it is the last time.
    - anything else is a secret stored in clear (``hash_client_secret`` off): compared in constant time and left
      as it is, as the toolkit does.
    """
    if stored.startswith(ALGORITHM + "$"):
        matched, stale = keyed_digest_match(presented, _HASHER.decode(stored)["hash"], purpose=PURPOSE)
        return matched, (make_client_secret_hash(presented) if matched and stale else None)
    try:
        identify_hasher(stored)
    except ValueError:
        return constant_time_compare(presented, stored), None
    if check_password(presented, stored):
        return True, make_client_secret_hash(presented)
    return False, None
