"""Secrets encrypted at rest: Fernet under keys from the environment, rotation through a list of keys."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from core import secrets


def test_round_trip_and_no_plaintext_at_rest():
    token = secrets.encrypt("whsec_abc")
    assert "whsec_abc" not in token and token != secrets.encrypt("whsec_abc")
    assert secrets.decrypt(token) == "whsec_abc"


def test_the_default_key_is_derived_from_the_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    token = secrets.encrypt("x")
    settings.SECRET_KEY = "another secret key for another machine"
    with pytest.raises(secrets.InvalidToken):
        secrets.decrypt(token)


def test_key_rotation_with_a_list_of_keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = secrets.encrypt("whsec_rotate")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # the new key encrypts, both decrypt
    assert secrets.decrypt(token) == "whsec_rotate"
    rotated = secrets.reencrypt(token)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert secrets.decrypt(rotated) == "whsec_rotate"
    with pytest.raises(secrets.InvalidToken):
        secrets.decrypt(token)
