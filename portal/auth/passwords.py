"""Passwords: argon2id hashes, a length rule and a list of common passwords.

The cost of the hash comes from `PORTAL_ARGON2_MEMORY_KIB` (the tests lower it);
a hash made with other parameters is upgraded at the next successful login.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext

MIN_LENGTH = 12
MAX_LENGTH = 200  # argon2 takes any length; this only bounds the work per request
COMMON_FILE = Path(__file__).with_name("common-passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=4)
def _hasher(memory_kib: int) -> PasswordHasher:
    # RFC 9106's second recommended profile (64 MiB, 3 passes), argon2id.
    return PasswordHasher(time_cost=3, memory_cost=memory_kib, parallelism=4, type=Type.ID)


def hasher() -> PasswordHasher:
    """The argon2id hasher with the configured cost."""
    return _hasher(int(current_app.config["PORTAL_ARGON2_MEMORY_KIB"]))


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when `password` matches the stored hash; a missing hash still costs a check."""
    if not stored:
        _dummy_check(password)
        return False
    try:
        return hasher().verify(stored, password[:MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    return hasher().check_needs_rehash(stored)


def _dummy_check(password: str) -> None:
    dummy = _dummy_hash(int(current_app.config["PORTAL_ARGON2_MEMORY_KIB"]))
    try:
        hasher().verify(dummy, password[:MAX_LENGTH])
    except VerificationError:
        pass


@lru_cache(maxsize=4)
def _dummy_hash(memory_kib: int) -> str:
    # A real hash of a random password: an unknown address or an account without a
    # password takes as long to refuse as a wrong password.
    return _hasher(memory_kib).hash(secrets.token_urlsafe(24))


def password_problems(password: str, email: str = "") -> list[str]:
    """What is wrong with a new password (Polish messages); empty when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return [gettext("Hasło musi mieć co najmniej %(n)d znaków.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [gettext("Hasło może mieć najwyżej %(n)d znaków.", n=MAX_LENGTH)]
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        return [gettext("To hasło jest zbyt popularne lub łatwe do odgadnięcia. Wybierz inne.")]
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered:
        return [gettext("Hasło nie może zawierać adresu e-mail.")]
    return []
