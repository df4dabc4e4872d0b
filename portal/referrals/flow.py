"""One post of a request form: files, validation, the check page, the final submit.

Kept apart from the views so each step can be tested and read on its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import FileStorage

from portal.core.centres import Centre
from portal.core.extensions import db
from portal.core.links import external_url
from portal.core.tenancy import registry
from portal.referrals.builder import BuiltForm, Checked, RequestForm
from portal.referrals.definitions import FormSpec
from portal.referrals.drafts import discard_drafts, save_draft
from portal.referrals.held import FileChanges, receive_files
from portal.referrals.models import Request
from portal.referrals.notify import notices_for, queue_draft_link
from portal.referrals.service import (
    NotStored,
    Submission,
    find_submitted,
    new_form_key,
    submit,
    valid_form_key,
)

log = logging.getLogger(__name__)

Step = Literal["form", "check", "done", "rejected", "saved"]


@dataclass(frozen=True)
class Outcome:
    """What one post comes to: the next step and what the view needs to show it."""

    step: Step
    form: RequestForm  # what was typed, with the messages at its fields
    checked: Checked = field(default_factory=Checked)
    request: Request | None = None
    other_centre: Centre | None = None
    urgent: bool = False
    show_errors: bool = True
    draft_token: str | None = None  # step "saved": the token of the link to come back
    draft_mailed: bool = False
    not_stored: bool = False  # step "check": sending failed, nothing was kept; try again


@dataclass(frozen=True)
class Posted:
    """The parts of a POST the flow needs, taken out of the Flask request by the view."""

    step: str
    held: list[str]
    remove: list[str]
    files: dict[str, list[FileStorage]]
    lang: str
    changes: FileChanges = field(default_factory=FileChanges)  # labels typed for files

    @property
    def removed(self) -> list[str]:
        """Held files to let go: ticked, or the one whose "Usuń" button was pressed."""
        pressed = self.step.removeprefix("remove:") if self.step.startswith("remove:") else None
        return [*self.remove, pressed] if pressed else self.remove

    @property
    def stays_on_form(self) -> bool:
        """A step that only changes the files or goes back: the form again, no errors yet."""
        return self.step in ("edit", "add") or self.step.startswith("remove:")


def is_urgent(spec: FormSpec, answers: dict[str, Any]) -> bool:
    """An answer the definition marks as urgent (e.g. a child in danger now)."""
    return any(
        q.urgent_when is not None and answers.get(q.name) == q.urgent_when for q in spec.fields
    )


def area_check(centre: Centre, answers: dict[str, Any]) -> tuple[bool, Centre | None]:
    """(outside the centre's area, the portal's centre that serves the code if another)."""
    code = answers.get("postal_code")
    if not code:
        return False, None
    other = registry().by_postal_code(code)
    outside = code not in centre.postal_codes
    return outside, other if other is not None and other.slug != centre.slug else None


def _form_key(form: RequestForm) -> str:
    key = valid_form_key(form.form_key.data)
    if key is None:  # missing or tampered: start a fresh filling, keep what was typed
        key = new_form_key()
        form.form_key.data = key
    return key


def handle_post(centre: Centre, built: BuiltForm, form: RequestForm, posted: Posted) -> Outcome:
    """Take one POST of a request form forward: check it, then show it or store it."""
    key = _form_key(form)
    existing = find_submitted(centre, key)
    if existing is not None:  # the same form sent again: show the first confirmation
        return Outcome("done", form, request=existing)
    if form.website.data:
        return Outcome("rejected", form)
    kept = [h for h in posted.held if h not in posted.removed]
    files = receive_files(built.spec, centre.slug, key, kept, posted.files, posted.changes)
    checked = form.check(files)
    if posted.stays_on_form:
        return Outcome("form", form, checked, show_errors=False)
    if posted.step == "save":
        return _save(centre, built, form, key, checked, posted.lang)
    if not checked.ok:
        return Outcome("form", form, checked)
    outside, other = area_check(centre, checked.answers)
    urgent = is_urgent(built.spec, checked.answers)
    if posted.step != "submit":
        return Outcome("check", form, checked, other_centre=other, urgent=urgent)
    sub = Submission(
        centre=centre,
        spec=built.spec,
        form_key=key,
        answers=checked.answers,
        held_ids=checked.held_ids,  # only this form's unexpired held files
        lang=posted.lang,
        urgent=urgent,
        outside_area=outside,
    )
    try:
        # The notices go into the outbox with the request; the mail worker sends them.
        stored = submit(sub, notices_for(centre, sub.answers.get("email")))
    except (NotStored, SQLAlchemyError) as exc:
        db.session.rollback()
        # The type only: a database error's text may quote the values it refused.
        log.error("request not stored: centre=%s error=%s", centre.slug, type(exc).__name__)
        return Outcome("check", form, checked, other_centre=other, urgent=urgent, not_stored=True)
    discard_drafts(key)  # after the request is stored: a draft is never worth more than it
    db.session.commit()
    return Outcome("done", form, checked, request=stored.request)


def _save(
    centre: Centre, built: BuiltForm, form: RequestForm, key: str, checked: Checked, lang: str
) -> Outcome:
    """Keep the answers as typed (errors and all) and the held files; mail the link to a
    valid address given in the form."""
    typed = {
        q.name: [str(v) for v in form[q.name].raw_data]
        for q in built.spec.fields
        if q.type != "file" and form[q.name].raw_data
    }
    token = save_draft(centre.slug, built.spec.name, key, typed, checked.held_ids)
    email = checked.answers.get("email")
    if email:
        link = external_url("referrals.resume", token=token, lang=lang)
        queue_draft_link(email, centre, link, lang)  # the mail worker sends it
        db.session.commit()
    return Outcome("saved", form, checked, draft_token=token, draft_mailed=bool(email))
