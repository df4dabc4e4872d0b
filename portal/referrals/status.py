"""The applicant's private status link and what each status means in plain words."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy import select

from portal.core.extensions import db
from portal.core.signing import LinkError, load, serializer
from portal.referrals.models import Request

SALT = "portal-status-link"
# Long enough to outlive any request; purge deletes the request itself earlier.
MAX_AGE = 400 * 24 * 3600

STATUS_TEXT = {
    "new": lazy_gettext("Otrzymaliśmy Twoją prośbę. Pracownik ośrodka wkrótce ją przeczyta."),
    "in_review": lazy_gettext("Pracownik ośrodka zapoznaje się z prośbą i skontaktuje się z Tobą."),
    "interview_scheduled": lazy_gettext(
        "Pracownik socjalny umówi się z Tobą na rozmowę (wywiad środowiskowy)."
    ),
    "assistant_assigned": lazy_gettext(
        "Rodzina ma przydzielonego asystenta. Asystent skontaktuje się z Tobą."
    ),
    "referred_elsewhere": lazy_gettext(
        "Sprawę przekazaliśmy do instytucji, która lepiej pomoże. Szczegóły przekaże pracownik."
    ),
    "closed": lazy_gettext(
        "Sprawa jest zamknięta. Możesz w każdej chwili poprosić o pomoc ponownie."
    ),
}
STEPS = ("new", "in_review", "interview_scheduled", "assistant_assigned")


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
