"""The applicant's private status link (what each status means lives in `lifecycle`)."""

from __future__ import annotations

from sqlalchemy import select

from portal.core.extensions import db
from portal.core.signing import LinkError, load, serializer
from portal.referrals.models import Request

SALT = "portal-status-link"
# Long enough to outlive any request; purge deletes the request itself earlier.
MAX_AGE = 400 * 24 * 3600


class StatusLinkError(LinkError):
    """The link is tampered with, expired, or its request is gone."""


def make_token(req: Request) -> str:
    """A signed token naming the request; it carries no personal data."""
    return str(serializer(SALT).dumps(req.reference))


def request_for_token(token: str) -> Request:
    """The request a status token names, or `StatusLinkError`."""
    try:
        reference = load(token, SALT, MAX_AGE)
    except LinkError as exc:
        raise StatusLinkError(expired=exc.expired) from None
    req = db.session.scalar(select(Request).where(Request.reference == str(reference)))
    if req is None:
        raise StatusLinkError()
    return req
