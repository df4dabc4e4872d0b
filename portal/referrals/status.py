"""The applicant's private status link and what each status means in plain words."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from portal.extensions import db
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


class StatusLinkError(Exception):
    """The link is tampered with, expired, or its request is gone."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    # itsdangerous signs with the last key and accepts all: old links outlive a key rotation.
    keys = [*current_app.config.get("SECRET_KEY_FALLBACKS", []), current_app.config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=SALT)


def make_token(req: Request) -> str:
    """A signed token naming the request; it carries no personal data."""
    return str(_serializer().dumps(req.reference))


def request_for_token(token: str) -> Request:
    """The request a status token names, or `StatusLinkError`."""
    try:
        reference = _serializer().loads(token[:200], max_age=MAX_AGE)
    except SignatureExpired:
        raise StatusLinkError(expired=True) from None
    except BadSignature:
        raise StatusLinkError() from None
    req = db.session.scalar(select(Request).where(Request.reference == str(reference)))
    if req is None:
        raise StatusLinkError()
    return req
