"""Staff write to the applicant: a question, or news of a step they should know of.

The words go onto the status page (encrypted at rest); the e-mail, if the applicant
gave an address, says only that there is something to read, with the status link.
The mail waits in the outbox for the mail worker; each message is audited (ids and
codes only, never its words).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from portal.audit import record
from portal.auth.models import User
from portal.core.clock import utcnow
from portal.core.encryption import DecryptionError
from portal.core.extensions import db
from portal.core.tenancy import registry
from portal.notifications.mail import queue
from portal.panel.actions import ActionError, reached
from portal.referrals import conversation
from portal.referrals.display import stored_answers
from portal.referrals.models import Message, Request
from portal.referrals.notify import applicant_notice

QUESTION_MAX = 2000
# The statuses whose news an applicant should get if staff choose to tell them.
NEWS_STATUSES = (
    "in_review",
    "interview_scheduled",
    "assistant_assigned",
    "referred_elsewhere",
    "closed",
)


def applicant_email(req: Request) -> str | None:
    """The address the applicant gave, if any (decrypted from the answers)."""
    try:
        email = stored_answers(req).get("email")
    except DecryptionError:
        return None
    return str(email) if email else None


def _send(req: Request, kind: str, payload: dict[str, Any], actor: User) -> Message:
    message = conversation.from_centre(req, kind, payload, actor.id)
    for column, value in reached(req, utcnow()).items():  # writing is an answer too
        setattr(req, column, value)
    email = applicant_email(req)
    centre = registry().get(req.centre_slug)
    if email and centre is not None:
        queue(applicant_notice(req, centre, kind, email), req.centre_slug)
    detail = f"message={message.id} mail={'yes' if email else 'no'}"
    record(
        f"message_{kind}",
        centre_slug=req.centre_slug,
        actor_id=actor.id,
        request_id=req.id,
        detail=detail,
    )
    return message


def ask(req: Request, text: str, actor: User) -> Message:
    """Ask the applicant for more information or a missing document."""
    text = text.strip()
    if not text:
        raise ActionError(_("Wpisz treść wiadomości."), "text")
    if len(text) > QUESTION_MAX:
        raise ActionError(_("Wiadomość może mieć najwyżej %(n)d znaków.", n=QUESTION_MAX), "text")
    message = _send(req, conversation.QUESTION, {"text": text}, actor)
    db.session.commit()
    return message


def tell_status(req: Request, actor: User) -> Message | None:
    """News of the request's (new) status, with the close reason; None for other statuses.

    Called inside the status change's transaction (the caller commits).
    """
    if req.status not in NEWS_STATUSES:
        return None
    payload = {"news": "status", "status": req.status, "reason": req.close_reason}
    return _send(req, conversation.NEWS, payload, actor)


def tell_interview(req: Request, day: date, actor: User) -> Message:
    """News of the interview's date (the caller commits)."""
    return _send(req, conversation.NEWS, {"news": "interview", "date": day.isoformat()}, actor)
