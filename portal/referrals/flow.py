"""One post of a request form: files, validation, the check page, the final submit.

Kept apart from the views so each step can be tested and read on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from werkzeug.datastructures import FileStorage

from portal.core.centres import Centre
from portal.core.tenancy import registry
from portal.referrals.builder import BuiltForm, RequestForm
from portal.referrals.held import receive_files
from portal.referrals.models import Request
from portal.referrals.notify import draft_notices, send_notices
from portal.referrals.service import (
    Submission,
    find_submitted,
    new_form_key,
    submit,
    valid_form_key,
)

Step = Literal["form", "check", "done", "rejected"]


@dataclass
class Outcome:
    """What the view should show next."""

    step: Step
    form: RequestForm
    request: Request | None = None
    other_centre: Centre | None = None
    urgent: bool = False
    show_errors: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Posted:
    """The parts of a POST the flow needs, taken out of the Flask request by the view."""

    step: str
    held: list[str]
    remove: list[str]
    files: dict[str, list[FileStorage]]
    lang: str


def is_urgent(form: RequestForm) -> bool:
    """An answer the definition marks as urgent (e.g. a child in danger now)."""
    return any(
        spec.urgent_when is not None and form[spec.name].data == spec.urgent_when
        for spec in form.spec.fields
    )


def area_check(centre: Centre, form: RequestForm) -> tuple[bool, Centre | None]:
    """(outside the centre's area, the portal's centre that serves the code if another)."""
    code = form.answers().get("postal_code")
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
    """Take one POST of a request form forward."""
    key = _form_key(form)
    existing = find_submitted(centre, key)
    if existing is not None:  # the same form sent again: show the first confirmation
        return Outcome("done", form, request=existing)
    if form.website.data:
        return Outcome("rejected", form)
    kept = [h for h in posted.held if h not in posted.remove]
    receive_files(form, key, kept, posted.files)
    if posted.step == "edit":
        form.validate()
        return Outcome("form", form, show_errors=False)
    if not form.validate():
        return Outcome("form", form)
    outside, other = area_check(centre, form)
    urgent = is_urgent(form)
    if posted.step != "submit":
        return Outcome("check", form, other_centre=other, urgent=urgent)
    # receive_files already kept only this form's unexpired held files.
    held_ids = [i for state in form.file_states.values() for i, _n in state.held]
    sub = Submission(
        centre=centre,
        spec=built.spec,
        form_key=key,
        answers=form.answers(),
        held_ids=held_ids,
        lang=posted.lang,
        urgent=urgent,
        outside_area=outside,
    )
    email = sub.answers.get("email")
    req, _created, notices = submit(sub, lambda req: draft_notices(req, centre, email))
    send_notices(notices)
    return Outcome("done", form, request=req)
