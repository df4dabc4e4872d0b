"""Messages between the centre and the applicant, on the applicant's status page.

The centre asks a question or tells news; the applicant replies with words and
files. Every message is stored encrypted (`Message.body`); news is kept as codes
and worded when shown, in the reader's language. Anyone holding the status link
can read the centre's messages, so the panel warns staff to write nothing about
health; the applicant's own replies are not shown back on the status page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, TextAreaField

from portal.audit import record
from portal.core.encryption import json_bytes
from portal.core.extensions import db
from portal.notifications.mail import Mail, queue
from portal.referrals import lifecycle
from portal.referrals.held import held_files
from portal.referrals.models import Attachment, Message, Request

CENTRE, APPLICANT = "centre", "applicant"
QUESTION, NEWS, REPLY = "question", "news", "reply"
REPLY_MAX = 4000
REPLY_FILES_MAX = 3


def thread(req: Request) -> list[Message]:
    """Every message of the request, oldest first."""
    query = select(Message).where(Message.request_id == req.id).order_by(Message.id)
    return list(db.session.scalars(query))


def from_centre(req: Request, kind: str, payload: dict[str, Any], author_id: int) -> Message:
    """A question or news of the centre, added to the session (the caller audits, commits)."""
    message = Message(request_id=req.id, sender=CENTRE, kind=kind, author_id=author_id)
    message.seal(body=json_bytes(payload))
    db.session.add(message)
    db.session.flush()
    return message


def news_words(payload: dict[str, Any]) -> str:
    """News in the current language: the status's own words, a close reason, a date."""
    if payload.get("news") == "interview":
        day = date.fromisoformat(str(payload["date"]))
        return str(
            gettext(
                "Wyznaczyliśmy termin rozmowy (wywiadu środowiskowego): %(date)s. Pracownik "
                "ośrodka potwierdzi z Tobą godzinę.",
                date=format_date(day, "long"),
            )
        )
    status = str(payload.get("status", ""))
    words = str(lifecycle.STATUS_TEXT[status]) if status in lifecycle.STATUS_TEXT else ""
    reason = payload.get("reason")
    if reason in lifecycle.CLOSE_REASON_TEXT:
        words += " " + str(lifecycle.CLOSE_REASON_TEXT[reason])
    return words


def message_text(message: Message) -> str:
    """What a message says: the words written, or the news worded now."""
    payload: dict[str, Any] = message.unseal_json("body")
    if message.kind == NEWS:
        return news_words(payload)
    return str(payload.get("text", ""))


@dataclass(frozen=True)
class Shown:
    """A message as a page shows it."""

    id: int
    sender: str
    kind: str
    author_id: int | None
    created_at: datetime
    text: str
    files: int


def shown(req: Request) -> list[Shown]:
    """The thread, decrypted and worded, with how many files came with each reply."""
    counts: dict[int, int] = {}
    for att in req.attachments:
        if att.message_id is not None:
            counts[att.message_id] = counts.get(att.message_id, 0) + 1
    return [
        Shown(
            m.id, m.sender, m.kind, m.author_id, m.created_at, message_text(m), counts.get(m.id, 0)
        )
        for m in thread(req)
    ]


def can_reply(req: Request, messages: list[Message] | list[Shown]) -> bool:
    """A reply form while the request is open and the centre has written."""
    return not lifecycle.is_final(req.status) and any(m.sender == CENTRE for m in messages)


class ReplyForm(FlaskForm):
    """The applicant's reply on the status page (files come as `files`, checked apart)."""

    text = TextAreaField(_l("Twoja odpowiedź"))
    form_key = HiddenField()


class ReplyError(ValueError):
    """A reply that cannot be stored; the message is for the applicant."""


def _reply_problem(text: str, files: int) -> str | None:
    if not text.strip() and not files:
        return str(gettext("Wpisz odpowiedź albo dodaj plik."))
    if len(text) > REPLY_MAX:
        return str(gettext("Odpowiedź może mieć najwyżej %(n)d znaków.", n=REPLY_MAX))
    if files > REPLY_FILES_MAX:
        return str(gettext("Możesz dodać najwyżej %(n)d pliki.", n=REPLY_FILES_MAX))
    return None


def store_reply(
    req: Request, text: str, form_key: str, held_ids: list[str], notice: Mail | None = None
) -> Message:
    """The applicant's reply with the files held for it (and `notice` for the centre's
    inbox, into the outbox), all in one transaction.

    The same form posted twice stores one reply. The request is marked as having a
    reply waiting, so the queue shows it to the person who takes it forward.
    """
    held = held_files(form_key, held_ids, req.centre_slug)
    problem = _reply_problem(text, len(held))
    if problem:
        raise ReplyError(problem)
    message = Message(request_id=req.id, sender=APPLICANT, kind=REPLY, form_key=form_key)
    message.seal(body=json_bytes({"text": text.strip()}))
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        found = db.session.scalar(
            select(Message).where(Message.request_id == req.id, Message.form_key == form_key)
        )
        if found is None:
            raise
        return found
    for row in held:
        att = Attachment(
            request=req, media_type=row.media_type, size=row.size, message_id=message.id
        )
        att.seal(content=row.unseal("content"), name=row.unseal("name"))
        db.session.add(att)
        db.session.delete(row)
    req.reply_waiting = True
    if notice is not None:
        queue(notice, req.centre_slug)
    record(
        "reply",
        centre_slug=req.centre_slug,
        request_id=req.id,
        detail=f"message={message.id} files={len(held)}",
    )
    db.session.commit()
    return message
