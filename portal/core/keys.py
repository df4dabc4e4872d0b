"""The app's data keyring, parsed once per configuration value."""

from __future__ import annotations

from functools import lru_cache

from flask import current_app

from portal.core.crypto import Keyring


@lru_cache(maxsize=4)
def _parse(value: str) -> Keyring:
    return Keyring.parse(value)


def keyring() -> Keyring:
    """The keyring of PORTAL_DATA_KEY: the first key encrypts, all of them decrypt."""
    return _parse(current_app.config["PORTAL_DATA_KEY"])
