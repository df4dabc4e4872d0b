"""Set-password links: signed (itsdangerous), valid 72 hours, usable once.

A link carries the account id and its `token_version`. Issuing a new link or
using one bumps the version, so every earlier link stops working.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import update

from portal.auth.models import User
from portal.core.extensions import db
from portal.core.signing import LinkError, load, serializer

SALT = "portal-set-password"


class TokenError(LinkError):
    """The link is tampered with, expired or already used."""


def issue_token(user: User) -> str:
    """A fresh link token for `user`; older links of the account stop working."""
    user.token_version += 1
    return str(serializer(SALT).dumps({"u": user.id, "v": user.token_version}))


def user_for_token(token: str) -> User:
    """The active account a valid, unused token names, or `TokenError`."""
    max_age = int(current_app.config["PORTAL_SET_PASSWORD_HOURS"]) * 3600
    try:
        data = load(token, SALT, max_age)
    except LinkError as exc:
        raise TokenError(expired=exc.expired) from None
    if not isinstance(data, dict):
        raise TokenError()
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or user.token_version != data.get("v"):
        raise TokenError()
    return user


def spend_token(user: User) -> bool:
    """Mark the account's current link as used; False when another request used it first."""
    # A conditional update, so two posts of one link cannot both set a password.
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, User.token_version == user.token_version)
        .values(token_version=User.token_version + 1)
    )
    return bool(getattr(result, "rowcount", 0))
