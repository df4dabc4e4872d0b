"""What the page of one request shows, and its forms, built without touching the view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g
from flask_babel import gettext as _

from portal.auth.forms import PanelForm
from portal.auth.models import User
from portal.core.clock import local_today
from portal.panel.access import request_history, request_views, staff_names
from portal.panel.actions import assignable, next_statuses, notes_for
from portal.panel.forms import AssignForm, DateForm, DueForm, MessageForm, NoteForm, StatusForm
from portal.panel.labels import CLOSE_REASON_LABELS, DUE_REASON_LABELS, STATUS_LABELS
from portal.panel.messages import applicant_email
from portal.panel.printout import may_include_notes
from portal.referrals.conversation import shown
from portal.referrals.display import answer_rows, attachment_name, files_in_order
from portal.referrals.lifecycle import CLOSE_REASONS, DUE_MOVE_REASONS, is_overdue
from portal.referrals.models import Request

# Each form of the page has a prefix, so field ids stay unique on the page.
FORM_PREFIXES = ("status", "assign", "note", "interview", "consent", "due", "message")


@dataclass(frozen=True)
class FileRow:
    """A file as listed on the page (the name is decrypted display text)."""

    id: int
    name: str
    media_type: str
    size: int
    message_id: int | None = None  # sent with a reply of the applicant
    label: str = ""  # the applicant's own ("strona 1"), if any


def _data(posted: bool) -> dict[str, Any]:
    # Forms not posted now show stored values, never the body of another form's POST.
    return {} if posted else {"formdata": None}


def status_form(req: Request, posted: bool = False) -> StatusForm:
    """The status form with the statuses this request may move to."""
    form = StatusForm(prefix="status", **_data(posted))
    form.status.choices = [(s, str(STATUS_LABELS[s])) for s in next_statuses(req)]
    form.reason.choices = [("", _("— nie dotyczy —"))] + [
        (r, str(CLOSE_REASON_LABELS[r])) for r in CLOSE_REASONS
    ]
    if not form.expected.data:
        form.expected.data = req.status
    return form


def assign_form(req: Request, user: User, posted: bool = False) -> AssignForm:
    """The assignee form: the people `user` may give the request to."""
    form = AssignForm(prefix="assign", **_data(posted))
    form.assignee.choices = [("", _("— nikt —"))] + [
        (str(u.id), u.shown_name) for u in assignable(req, user)
    ]
    if not posted:
        form.assignee.data = str(req.assignee_id or "")
    return form


def date_form(req: Request, which: str, posted: bool = False) -> DateForm:
    """The interview or consent date form, filled with the stored date."""
    form = DateForm(prefix=which, **_data(posted))
    # Two date fields on one page: each needs its own label.
    form.day.label.text = (
        _("Data wywiadu środowiskowego")
        if which == "interview"
        else _("Data otrzymania pisemnej zgody")
    )
    if not posted:
        form.day.data = req.interview_date if which == "interview" else req.consent_date
    return form


def due_form(req: Request, posted: bool = False) -> DueForm:
    """The form that moves the due date, with the reasons to choose from."""
    form = DueForm(prefix="due", **_data(posted))
    form.reason.choices = [("", _("— wybierz —"))] + [
        (r, str(DUE_REASON_LABELS[r])) for r in DUE_MOVE_REASONS
    ]
    if not posted:
        form.day.data = req.due_date
    return form


def forms_for(req: Request, user: User, given: dict[str, PanelForm]) -> dict[str, PanelForm]:
    """Every form of the page; `given` holds one just posted (with its errors)."""
    forms: dict[str, PanelForm] = {
        "status": status_form(req),
        "assign": assign_form(req, user),
        "note": NoteForm(prefix="note", formdata=None),
        "interview": date_form(req, "interview"),
        "consent": date_form(req, "consent"),
        "due": due_form(req),
        "message": MessageForm(prefix="message", formdata=None),
    }
    forms.update(given)
    return forms


def page_context(req: Request, user: User, given: dict[str, PanelForm]) -> dict[str, Any]:
    """Everything the request page shows."""
    lang = str(g.get("panel_lang", "pl"))
    forms = forms_for(req, user, given)
    errors = [e for form in given.values() for e in form.error_list()]
    files = [
        FileRow(a.id, attachment_name(a), a.media_type, a.size, a.message_id, a.label_text())
        for a in files_in_order(req)
    ]
    return {
        "req": req,
        "rows": answer_rows(req, lang),
        "files": files,
        "notes": notes_for(req),
        "names": staff_names(user),
        "forms": forms,
        "errors": errors,
        "can_change_status": bool(next_statuses(req)),
        "history": request_history(req),
        "views": request_views(req),
        "may_print_notes": may_include_notes(user),
        "overdue": is_overdue(req.due_date, req.status, local_today()),
        "messages": shown(req),
        "has_email": applicant_email(req) is not None,
    }
