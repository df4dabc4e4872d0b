"""The applicant's rights in the panel (managers): find a person, export, erase."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from portal.panel import rights
from portal.panel.access import Role, roles_required, staff
from portal.panel.actions import ActionError
from portal.panel.blueprint import bp
from portal.panel.forms import EraseForm, PersonForm
from portal.panel.labels import ERASE_REASON_LABELS, IDENTIFIER_LABELS
from portal.referrals.identity import KINDS
from portal.referrals.models import Request

Page = BaseResponse | str | tuple[str, int]


def _forms() -> tuple[PersonForm, EraseForm]:
    search, erase = PersonForm(prefix="person"), EraseForm(prefix="erase")
    search.kind.choices = [(k, str(IDENTIFIER_LABELS[k])) for k in KINDS]
    erase.reason.choices = [("", _("— wybierz —"))] + [
        (r, str(ERASE_REASON_LABELS[r])) for r in rights.ERASE_REASONS
    ]
    return search, erase


def _page(
    search: PersonForm, erase: EraseForm, found: list[Request] | None, status: int = 200
) -> tuple[str, int]:
    errors = search.error_list() + erase.error_list()
    body = render_template(
        "panel/person.html", search=search, erase=erase, found=found, errors=errors
    )
    return body, status


@bp.route("/osoba", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def person() -> Page:
    """Find every request of one person by PESEL, e-mail or phone (a recorded search)."""
    search, erase = _forms()
    if not search.validate_on_submit():
        return _page(search, erase, None, 400 if search.errors else 200)
    try:
        found = rights.find(staff(), search.kind.data or "", search.value.data or "")
    except ActionError as exc:
        search.value.errors = [*search.value.errors, str(exc)]
        return _page(search, erase, None, 400)
    return _page(search, erase, found)


@bp.post("/osoba/eksport")
@roles_required(Role.MANAGER)
def person_export() -> Page:
    """Everything held about the person as a ZIP (a recorded export)."""
    search, erase = _forms()
    reqs = rights.chosen(staff(), request.form.getlist("request"))
    if not erase.validate_on_submit() or not reqs:
        flash(_("Nie wybrano żadnego zgłoszenia."), "error")
        return redirect(url_for("panel.person"))
    body = rights.export_zip(staff(), reqs)
    return send_file(
        io.BytesIO(body),
        mimetype="application/zip",
        as_attachment=True,
        download_name="dane-osoby.zip",
        etag=False,
        conditional=False,
        max_age=0,
    )


@bp.post("/osoba/usun")
@roles_required(Role.MANAGER)
def person_erase() -> Page:
    """Erase the person's requests, with a reason and a confirmation (recorded)."""
    search, erase = _forms()
    reqs = rights.chosen(staff(), request.form.getlist("request"))
    if not erase.validate_on_submit() or not reqs:
        flash(_("Nie wybrano żadnego zgłoszenia."), "error")
        return redirect(url_for("panel.person"))
    if not erase.confirm.data:
        erase.confirm.errors = [_("Potwierdź, że dane mają zostać usunięte.")]
        return _page(search, erase, reqs, 400)
    try:
        count = rights.erase(staff(), reqs, erase.reason.data or "")
    except ActionError as exc:
        erase.reason.errors = [str(exc)]
        return _page(search, erase, reqs, 400)
    flash(_("Usunięto zgłoszenia tej osoby: %(n)d.", n=count))
    return redirect(url_for("panel.person"))
