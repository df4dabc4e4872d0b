"""The request as a PDF for the family's paper file: every print is on the record.

Answers as they were asked, the files with their SHA-256 (so the paper copy names
exactly the bytes kept), the messages, the history of its status and due date, and
the internal notes only when a manager chooses to include them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from flask_babel import gettext as _

from portal.audit import record
from portal.auth.models import User
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.core.tenancy import registry
from portal.panel import labels
from portal.panel.access import Role, request_events, staff_names
from portal.panel.actions import notes_for
from portal.panel.timefmt import local_date, local_datetime
from portal.referrals.conversation import shown
from portal.referrals.display import answer_rows, attachment_content, attachment_title
from portal.referrals.document import Document, Section, render
from portal.referrals.models import Request

CHANGES = ("status", "withdraw", "due_date", "assign", "interview", "consent")


def may_include_notes(viewer: User) -> bool:
    """Internal notes go on paper only when a manager says so."""
    return viewer.role is Role.MANAGER


def _summary(req: Request, names: dict[int, str]) -> Section:
    centre = registry().get(req.centre_slug)
    status = str(labels.STATUS_LABELS.get(req.status, req.status))
    if req.close_reason:
        status += f" ({labels.CLOSE_REASON_LABELS.get(req.close_reason, req.close_reason)})"
    rows = [
        (_("Numer"), req.reference),
        (_("Ośrodek"), centre.name if centre else req.centre_slug),
        (_("Rodzaj"), str(labels.KIND_LABELS.get(req.kind, req.kind))),
        (_("Status"), status),
        (_("Wpłynęło"), local_datetime(req.created_at)),
        (_("Termin odpowiedzi"), local_date(req.due_date)),
        (_("Prowadzi"), names.get(req.assignee_id, "—") if req.assignee_id else _("nikt")),
        (_("Wywiad środowiskowy"), local_date(req.interview_date) or "—"),
        (_("Pisemna zgoda rodziny"), local_date(req.consent_date) or "—"),
    ]
    return Section(_("Zgłoszenie"), rows=rows)


def _files(req: Request) -> Section:
    lines = []
    for att in req.attachments:
        digest = hashlib.sha256(attachment_content(att)).hexdigest()
        size = f"{att.media_type}, {(att.size + 1023) // 1024} kB"
        # A line of the page's width: the digest is read whole, never split in a cell.
        lines.append(f"{attachment_title(att)} ({size})\nSHA-256: {digest}")
    return Section(_("Pliki"), paragraphs=lines or [_("Brak plików.")])


def _history(req: Request, names: dict[int, str]) -> Section:
    table: list[Sequence[str]] = [[_("Kiedy"), _("Kto"), _("Co")]]
    for event in request_events(req, CHANGES):
        who = names.get(event.actor_id, "—") if event.actor_id else _("osoba zgłaszająca")
        table.append([local_datetime(event.at), who, labels.event_text(event, names)])
    return Section(_("Historia"), table=table, widths=(30, 30, 60))


def _messages(req: Request, names: dict[int, str]) -> Section:
    lines = []
    for m in shown(req):
        who = names.get(m.author_id or 0, "—") if m.sender == "centre" else _("osoba zgłaszająca")
        lines.append(f"{local_datetime(m.created_at)}, {who}:\n{m.text}")
    return Section(_("Wiadomości z osobą zgłaszającą"), paragraphs=lines or [_("Brak wiadomości.")])


def request_document(req: Request, viewer: User, *, with_notes: bool) -> Document:
    """What the printout holds (the notes only if asked and allowed)."""
    names = staff_names(viewer)
    answers = Section(_("Odpowiedzi"), rows=answer_rows(req, "pl"))
    sections = [
        _summary(req, names),
        answers,
        _files(req),
        _messages(req, names),
        _history(req, names),
    ]
    if with_notes and may_include_notes(viewer):
        notes = [
            f"{local_datetime(n.created_at)}, {names.get(n.author_id or 0, '—')}:\n{n.text}"
            for n in notes_for(req)
        ]
        sections.append(Section(_("Notatki wewnętrzne"), paragraphs=notes or [_("Brak notatek.")]))
    footer = _(
        "%(ref)s · wydrukowano %(when)s, %(who)s",
        ref=req.reference,
        when=local_datetime(utcnow()),
        who=viewer.shown_name,
    )
    return Document(
        _("Zgłoszenie %(ref)s", ref=req.reference), _("Wydruk do akt sprawy"), sections, footer
    )


def print_request(req: Request, viewer: User, *, with_notes: bool) -> bytes:
    """The PDF, after recording who printed it and whether with notes."""
    notes = with_notes and may_include_notes(viewer)
    pdf = render(request_document(req, viewer, with_notes=notes))
    record(
        "print",
        centre_slug=req.centre_slug,
        actor_id=viewer.id,
        request_id=req.id,
        detail=f"notes={'yes' if notes else 'no'}",
    )
    db.session.commit()
    return pdf
