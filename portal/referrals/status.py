"""The applicant's private status link (what each status means lives in `lifecycle`).

A link is a random token; the database keeps only its SHA-256 (`StatusLink`), so the
token carries nothing (no reference to read out of it) and a copy of the database
cannot give it back. Links handed out before that were signed, not random: they
keep working, until they expire, through the signed path.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.signing import MAX_TOKEN_LENGTH, LinkError, load
from portal.referrals.models import Request, StatusLink

# Signed links given out before they became opaque; accepted until MAX_AGE runs out.
SALT = "portal-status-link"
# Long enough to outlive any request; purge deletes the request itself earlier.
MAX_AGE = 400 * 24 * 3600
TOKEN_BYTES = 32  # 256 random bits, 43 URL-safe characters


class StatusLinkError(LinkError):
    """The link is tampered with, expired, or its request is gone."""


def token_hash(token: str) -> str:
    """What is stored of a token: a random 256-bit value needs no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def make_token(req: Request) -> str:
    """A new status link for `req` (an inserted row); added to the session, the caller commits."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(StatusLink(token_hash=token_hash(token), request_id=req.id))
    return token


def request_for_token(token: str) -> Request:
    """The request a status token names, or `StatusLinkError`."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise StatusLinkError()
    # itsdangerous separates its parts with dots; a random token never has one.
    reference = _signed_reference(token) if "." in token else None
    if reference is not None:
        req = db.session.scalar(select(Request).where(Request.reference == reference))
    else:
        req = _linked_request(token)
    if req is None:
        raise StatusLinkError()
    return req


def _linked_request(token: str) -> Request | None:
    link = db.session.get(StatusLink, token_hash(token))
    if link is None:
        return None
    if link.created_at < utcnow() - timedelta(seconds=MAX_AGE):
        raise StatusLinkError(expired=True)
    return db.session.get(Request, link.request_id)


def _signed_reference(token: str) -> str:
    try:
        return str(load(token, SALT, MAX_AGE))
    except LinkError as exc:
        raise StatusLinkError(expired=exc.expired) from None
