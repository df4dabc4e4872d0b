"""Signed links (set-password, status): one serializer and one error for both.

Links are signed with SECRET_KEY and still accepted under SECRET_KEY_FALLBACKS,
so rotating the secret key does not break links already sent.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# Longer input is not a token of ours; refuse it before doing any work on it.
MAX_TOKEN_LENGTH = 300


class LinkError(Exception):
    """The link is tampered with, expired, or what it names is gone."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def serializer(salt: str) -> URLSafeTimedSerializer:
    """A serializer that signs with the current key and accepts the retired ones."""
    keys = [*current_app.config.get("SECRET_KEY_FALLBACKS", []), current_app.config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=salt)


def load(token: str, salt: str, max_age: int) -> Any:
    """The payload of a valid token, or `LinkError` saying whether it expired."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise LinkError()
    try:
        return serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkError(expired=True) from None
    except BadSignature:
        raise LinkError() from None
