"""Taking a request forward, as plain functions: status, assignee, notes, dates.

Each function checks the step is allowed, changes the request, records an audit
event (ids and codes only: notes and dates never go into the audit detail) and
commits. Callers pass a request already scoped by `portal.panel.access`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from portal.audit import record
from portal.auth.models import User
from portal.core.centres import DEFAULT_CLOSING
from portal.core.clock import is_working_day, local_today, utcnow
from portal.core.extensions import db
from portal.core.tenancy import registry
from portal.panel.access import Role, accounts_for
from portal.panel.models import Note
from portal.referrals import lifecycle
from portal.referrals.models import Attachment, Request

NOTE_MAX = 4000


class ActionError(ValueError):
    """A step that cannot be taken; the message is shown at `field` of the form, if named."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _audit(action: str, req: Request, actor: User, detail: str = "") -> None:
    record(action, centre_slug=req.centre_slug, actor_id=actor.id, request_id=req.id, detail=detail)


def record_view(req: Request, actor: User) -> None:
    """Opening a request is on the record; its assignee (anyone, if it has none) opening
    it has read the applicant's reply."""
    _audit("view", req, actor)
    if req.reply_waiting and req.assignee_id in (None, actor.id):
        req.reply_waiting = False
    db.session.commit()


def record_download(req: Request, att: Attachment, actor: User) -> None:
    """Downloading a file is on the record."""
    _audit("download", req, actor, f"file={att.id}")
    db.session.commit()


def record_download_all(req: Request, count: int, actor: User) -> None:
    """Downloading every file as one PDF is on the record: how many, never their names."""
    _audit("download_all", req, actor, f"files={count}")
    db.session.commit()


def reached(req: Request, now: datetime, *, decided: bool = False) -> dict[str, object]:
    """The first answer (if this is it) and the decision (if `decided`), for the figures."""
    centre = registry().get(req.centre_slug)
    closes = centre.closes_at if centre else DEFAULT_CLOSING
    return lifecycle.milestones(
        req.created_at,
        closes,
        now,
        contacted=req.first_contact_on is None,
        decided=decided and req.decided_on is None,
    )


def next_statuses(req: Request) -> tuple[str, ...]:
    """The statuses the request may move to now."""
    return lifecycle.next_statuses(req.status)


def _stale() -> ActionError:
    return ActionError(_("Ktoś właśnie zmienił status tego zgłoszenia. Sprawdź go jeszcze raz."))


def _check_change(
    req: Request, new: str, expected: str | None, reason: str | None, note: str
) -> None:
    if expected is not None and expected != req.status:
        raise _stale()
    if new not in next_statuses(req):
        raise ActionError(_("Tej zmiany statusu nie można wykonać."))
    if new == "closed" and reason not in lifecycle.CLOSE_REASONS:
        raise ActionError(_("Wybierz powód zamknięcia."), "reason")
    if new == "closed" and reason == "other" and not note.strip():
        raise ActionError(_("Opisz krótko powód zamknięcia."), "note")
    if len(note) > NOTE_MAX:
        raise ActionError(_("Notatka może mieć najwyżej %(n)d znaków.", n=NOTE_MAX), "note")


def change_status(
    req: Request,
    new: str,
    actor: User,
    *,
    expected: str | None = None,
    reason: str | None = None,
    note: str = "",
) -> None:
    """Move the request on; closing needs a reason, and "other" a note explaining it.

    The note is kept as an internal (encrypted) note, never in the audit detail.
    """
    _check_change(req, new, expected, reason, note)
    old, now = req.status, utcnow()
    values: dict[str, object] = {
        "status": new,
        "status_changed_at": now,
        "close_reason": reason if new == "closed" else None,
    }
    if lifecycle.is_final(new):
        months = int(current_app.config["PORTAL_RETENTION_MONTHS"])
        values["retention_until"] = lifecycle.retention_until(now.date(), months)
    values.update(reached(req, now, decided=lifecycle.is_final(new)))
    # Conditional on the old status: of two people changing it at once, one wins.
    result = db.session.execute(
        update(Request).where(Request.id == req.id, Request.status == old).values(**values)
    )
    if not getattr(result, "rowcount", 0):
        db.session.rollback()
        raise _stale()
    _audit("status", req, actor, f"{old}->{new}" + (f" reason={reason}" if new == "closed" else ""))
    if note.strip():
        _add_note(req, note, actor)
    db.session.commit()
    db.session.refresh(req)


def assignable(req: Request, actor: User) -> list[User]:
    """Who `actor` may give the request to: anyone active in the centre for a manager,
    only themselves for a worker."""
    if actor.role is Role.WORKER:
        return [actor]
    readers = [role for role in Role if role.reads_requests]
    query = (
        accounts_for(actor)
        .where(User.centre_slug == req.centre_slug, User.active.is_(True))
        .where(User.role.in_(readers))
    )
    return list(db.session.scalars(query))


def assign(req: Request, assignee_id: int | None, actor: User) -> None:
    """Give the request to someone (None: to nobody)."""
    if actor.role is Role.WORKER and req.assignee_id not in (None, actor.id):
        raise ActionError(_("To zgłoszenie prowadzi już ktoś inny. Przydzielić je może kierownik."))
    allowed = {u.id for u in assignable(req, actor)}
    if assignee_id is not None and assignee_id not in allowed:
        raise ActionError(_("Tej osobie nie można przydzielić zgłoszenia."))
    req.assignee_id = assignee_id
    _audit("assign", req, actor, f"user={assignee_id if assignee_id is not None else 'none'}")
    db.session.commit()


def _add_note(req: Request, text: str, actor: User) -> Note:
    note = Note(request_id=req.id, author_id=actor.id)
    note.seal(text=text.strip().encode())
    db.session.add(note)
    db.session.flush()
    _audit("note", req, actor, f"note={note.id}")
    return note


def add_note(req: Request, text: str, actor: User) -> Note:
    """An internal note (encrypted: it may hold health data)."""
    if not text.strip():
        raise ActionError(_("Wpisz treść notatki."))
    if len(text) > NOTE_MAX:
        raise ActionError(_("Notatka może mieć najwyżej %(n)d znaków.", n=NOTE_MAX))
    note = _add_note(req, text, actor)
    db.session.commit()
    return note


@dataclass(frozen=True)
class ShownNote:
    """A note as the panel shows it."""

    author_id: int | None
    created_at: datetime
    text: str


def notes_for(req: Request) -> list[ShownNote]:
    """The request's notes, oldest first, decrypted."""
    rows = db.session.scalars(select(Note).where(Note.request_id == req.id).order_by(Note.id))
    return [ShownNote(n.author_id, n.created_at, n.unseal_text("text")) for n in rows]


def set_interview_date(req: Request, day: date | None, actor: User) -> None:
    """The date of the social worker's interview (wywiad środowiskowy), or none."""
    req.interview_date = day
    _audit("interview", req, actor, "set" if day else "cleared")
    db.session.commit()


def set_consent_date(req: Request, day: date | None, actor: User) -> None:
    """The date the family's written consent was obtained, or none."""
    if day is not None and day > utcnow().date():
        raise ActionError(_("Data zgody nie może być z przyszłości."))
    req.consent_date = day
    _audit("consent", req, actor, "set" if day else "cleared")
    db.session.commit()


def move_due_date(
    req: Request, day: date | None, actor: User, *, reason: str | None, note: str = ""
) -> None:
    """Move the day the centre answers by, for a reason (recorded; words go into a note)."""
    if day is None:
        raise ActionError(_("Podaj nowy termin."), "day")
    if day < local_today():
        raise ActionError(_("Nowy termin nie może być w przeszłości."), "day")
    if not is_working_day(day):
        raise ActionError(_("Ten dzień nie jest dniem roboczym. Wybierz inny."), "day")
    if reason not in lifecycle.DUE_MOVE_REASONS:
        raise ActionError(_("Wybierz powód zmiany terminu."), "reason")
    if reason == "other" and not note.strip():
        raise ActionError(_("Opisz krótko powód zmiany terminu."), "note")
    if len(note) > NOTE_MAX:
        raise ActionError(_("Notatka może mieć najwyżej %(n)d znaków.", n=NOTE_MAX), "note")
    old, req.due_date = req.due_date, day
    # Dates of the office's own deadline, and a code: nothing about the family.
    _audit("due_date", req, actor, f"{old.isoformat()}->{day.isoformat()} reason={reason}")
    if note.strip():
        _add_note(req, note, actor)
    db.session.commit()
