"""What the page of one request shows, and its forms, built without touching the view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g
from flask_babel import gettext as _

from portal.auth.forms import PanelForm
from portal.auth.models import User
from portal.panel.access import request_history, staff_names
from portal.panel.actions import assignable, next_statuses, notes_for
from portal.panel.forms import AssignForm, DateForm, NoteForm, StatusForm
from portal.panel.labels import CLOSE_REASON_LABELS, STATUS_LABELS
from portal.referrals.display import answer_rows, attachment_name
from portal.referrals.lifecycle import CLOSE_REASONS
from portal.referrals.models import Request

# Each form of the page has a prefix, so field ids stay unique on the page.
FORM_PREFIXES = ("status", "assign", "note", "interview", "consent")


@dataclass(frozen=True)
class FileRow:
    """A file as listed on the page (the name is decrypted display text)."""

    id: int
    name: str
    media_type: str
    size: int


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
        (str(u.id), u.email) for u in assignable(req, user)
    ]
    if not posted:
        form.assignee.data = str(req.assignee_id or "")
    return form


def date_form(req: Request, which: str, posted: bool = False) -> DateForm:
    """The interview or consent date form, filled with the stored date."""
    form = DateForm(prefix=which, **_data(posted))
    # Two date fields on one page: each needs its own label.
    form.day.label.text = (_("Data wywiadu środowiskowego") if which == "interview"
                           else _("Data otrzymania pisemnej zgody"))  # fmt: skip
    if not posted:
        form.day.data = req.interview_date if which == "interview" else req.consent_date
    return form


def forms_for(req: Request, user: User, given: dict[str, PanelForm]) -> dict[str, PanelForm]:
    """Every form of the page; `given` holds one just posted (with its errors)."""
    forms: dict[str, PanelForm] = {
        "status": status_form(req), "assign": assign_form(req, user),
        "note": NoteForm(prefix="note", formdata=None), "interview": date_form(req, "interview"),
        "consent": date_form(req, "consent"),
    }  # fmt: skip
    forms.update(given)
    return forms


def page_context(req: Request, user: User, given: dict[str, PanelForm]) -> dict[str, Any]:
    """Everything the request page shows."""
    lang = str(g.get("panel_lang", "pl"))
    forms = forms_for(req, user, given)
    errors = [e for form in given.values() for e in form.error_list()]
    files = [FileRow(a.id, attachment_name(a), a.media_type, a.size) for a in req.attachments]
    return {
        "req": req, "rows": answer_rows(req, lang), "files": files, "notes": notes_for(req),
        "names": staff_names(user), "forms": forms, "errors": errors,
        "can_change_status": bool(next_statuses(req)), "history": request_history(req),
    }  # fmt: skip
