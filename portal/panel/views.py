"""Request views of the panel: the queue, one request, its actions, files and export.

Thin: each validates a form, calls one function of `actions` and redirects.
Every route carries its role marker, and every route with a request id takes it
through `with_request` (see `access`): an admin passes the marker and finds no request.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse
from wtforms import Field

from portal.auth.forms import PanelForm
from portal.core.clock import local_today
from portal.core.extensions import db
from portal.panel import actions, detail, export, messages, printout, queue, saved
from portal.panel.access import (
    STAFF,
    Role,
    get_attachment_or_404,
    roles_required,
    staff,
    staff_names,
    with_request,
)
from portal.panel.blueprint import bp
from portal.panel.forms import ConfirmForm, MessageForm, NoteForm, SaveViewForm
from portal.panel.triage import triage_rows
from portal.referrals.display import attachment_content, attachment_name
from portal.referrals.document import DocumentError
from portal.referrals.models import Request

Page = BaseResponse | str | tuple[str, int]
# Downloads are never rendered inline: no script, no plugin, no same-origin access.
DOWNLOAD_CSP = "sandbox; default-src 'none'"


@bp.get("/", endpoint="queue")
@roles_required(*STAFF)
def queue_page() -> Page:
    """The centre's queue, filtered and paged by cursor; admins go to accounts."""
    user = staff()
    if not user.can_read_requests:
        return redirect(url_for("panel.accounts"))
    f = queue.QueueFilter.from_args(request.args)
    page = queue.page(
        user,
        f,
        after=request.args.get("po"),
        before=request.args.get("przed"),
        size=int(current_app.config["PORTAL_QUEUE_PAGE_SIZE"]),
    )
    return render_template(
        "panel/queue.html",
        f=f,
        page=page,
        counts=queue.status_counts(user, f),
        overdue=queue.overdue_count(user, f),
        triage=triage_rows(page.rows, local_today()),
        replies=queue.replies_for(user),
        views=saved.views_of(user),
        view_form=SaveViewForm(),
        names=staff_names(user),
    )


@bp.post("/widoki")
@roles_required(*STAFF)
def save_view() -> BaseResponse:
    """Keep the queue's current filters as a named view of one's own."""
    form = SaveViewForm()
    f = queue.QueueFilter.from_args(request.form)
    if form.validate_on_submit():
        try:
            saved.save_view(staff(), form.name.data or "", f)
        except saved.ViewError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Widok zapisany."))
    else:
        flash(_("Wpisz nazwę widoku."), "error")
    back: dict[str, Any] = f.query_args()
    return redirect(url_for("panel.queue", **back))


@bp.post("/widoki/<int:view_id>/usun")
@roles_required(*STAFF)
def delete_view(view_id: int) -> BaseResponse:
    """Remove one of one's own views (another account's view is simply not found)."""
    if ConfirmForm().validate_on_submit() and saved.delete_view(staff(), view_id):
        flash(_("Widok usunięty."))
    return redirect(url_for("panel.queue"))


@bp.get("/eksport.csv")
@roles_required(Role.MANAGER)
def export_csv() -> Response:
    """The filtered queue as CSV (managers)."""
    f = queue.QueueFilter.from_args(request.args)
    body = stream_with_context(export.export(staff(), f))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=zgloszenia.csv"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/eksport.xlsx")
@roles_required(Role.MANAGER)
def export_xlsx() -> BaseResponse:
    """The filtered queue as XLSX (managers)."""
    f = queue.QueueFilter.from_args(request.args)
    return send_file(
        io.BytesIO(export.export_xlsx(staff(), f)),
        mimetype=XLSX,
        as_attachment=True,
        download_name="zgloszenia.xlsx",
        etag=False,
        conditional=False,
        max_age=0,
    )


def _show(req: Request, given: dict[str, PanelForm] | None = None) -> str:
    return render_template("panel/request.html", **detail.page_context(req, staff(), given or {}))


@bp.get("/zgloszenia/<int:request_id>")
@roles_required(*STAFF)
@with_request
def show(req: Request) -> Page:
    """One request: answers, files, actions, notes and history (a recorded view)."""
    actions.record_view(req, staff())
    return _show(req)


def _act(req: Request, name: str, form: PanelForm, step: Callable[[], None], done: str) -> Page:
    """Validate, take the step, redirect back; or the page again with the errors."""
    if form.validate_on_submit():
        try:
            step()
        except actions.ActionError as exc:
            field = form[exc.field] if exc.field and exc.field in form else _first_visible(form)
            field.errors = [*field.errors, str(exc)]
        else:
            flash(done)
            # No anchor: the page opens at its top, where the confirmation takes focus.
            return redirect(url_for("panel.show", request_id=req.id))
    return _show(req, {name: form}), 400


def _first_visible(form: PanelForm) -> Field:
    """Where a message about the whole form goes: its first field a person can see."""
    return next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField"))


@bp.post("/zgloszenia/<int:request_id>/status")
@roles_required(*STAFF)
@with_request
def change_status(req: Request) -> Page:
    """Move the request along its path."""
    form = detail.status_form(req, posted=True)

    def step() -> None:
        actions.change_status(
            req,
            form.status.data or "",
            staff(),
            expected=form.expected.data or None,
            reason=form.reason.data or None,
            note=form.note.data or "",
        )
        if form.tell.data and messages.tell_status(req, staff()) is not None:
            db.session.commit()

    return _act(req, "status", form, step, _("Status zmieniony."))


@bp.post("/zgloszenia/<int:request_id>/prowadzacy")
@roles_required(*STAFF)
@with_request
def assign(req: Request) -> Page:
    """Say who takes the request forward."""
    form = detail.assign_form(req, staff(), posted=True)

    def step() -> None:
        chosen = form.assignee.data or ""
        actions.assign(req, int(chosen) if chosen.isdigit() else None, staff())

    return _act(req, "assign", form, step, _("Zapisano, kto prowadzi zgłoszenie."))


@bp.post("/zgloszenia/<int:request_id>/notatki")
@roles_required(*STAFF)
@with_request
def add_note(req: Request) -> Page:
    """Add an internal note."""
    form = NoteForm(prefix="note")

    def step() -> None:
        actions.add_note(req, form.text.data or "", staff())

    return _act(req, "note", form, step, _("Notatka dodana."))


@bp.post("/zgloszenia/<int:request_id>/wywiad")
@roles_required(*STAFF)
@with_request
def interview(req: Request) -> Page:
    """Record the date of the social worker's interview."""
    form = detail.date_form(req, "interview", posted=True)

    def step() -> None:
        actions.set_interview_date(req, form.day.data, staff())
        if form.tell.data and form.day.data is not None:
            messages.tell_interview(req, form.day.data, staff())
            db.session.commit()

    return _act(req, "interview", form, step, _("Zapisano datę wywiadu środowiskowego."))


@bp.post("/zgloszenia/<int:request_id>/zgoda")
@roles_required(*STAFF)
@with_request
def consent(req: Request) -> Page:
    """Record the date of the family's written consent."""
    form = detail.date_form(req, "consent", posted=True)

    def step() -> None:
        actions.set_consent_date(req, form.day.data, staff())

    return _act(req, "consent", form, step, _("Zapisano datę pisemnej zgody rodziny."))


@bp.post("/zgloszenia/<int:request_id>/wiadomosci")
@roles_required(*STAFF)
@with_request
def send_message(req: Request) -> Page:
    """Ask the applicant a question; it appears on their status page."""
    form = MessageForm(prefix="message")

    def step() -> None:
        messages.ask(req, form.text.data or "", staff())

    return _act(
        req,
        "message",
        form,
        step,
        _("Wiadomość wysłana. Osoba zgłaszająca zobaczy ją na stronie swojej sprawy."),
    )


@bp.post("/zgloszenia/<int:request_id>/termin")
@roles_required(*STAFF)
@with_request
def move_due(req: Request) -> Page:
    """Move the day the centre answers by, with a reason."""
    form = detail.due_form(req, posted=True)

    def step() -> None:
        actions.move_due_date(
            req, form.day.data, staff(), reason=form.reason.data or None, note=form.note.data or ""
        )

    return _act(req, "due", form, step, _("Termin odpowiedzi zmieniony."))


def _pdf_download(body: io.BytesIO, name: str) -> Response:
    """A PDF as a download only, like every file the panel gives out."""
    response = send_file(
        body,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=name,
        etag=False,
        conditional=False,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


def _no_pdf(req: Request, message: str) -> BaseResponse:
    """A PDF the fonts were missing for: logged, said on the request page it came from."""
    current_app.logger.exception("PDF not made")
    flash(message, "error")
    return redirect(url_for("panel.show", request_id=req.id))


@bp.get("/zgloszenia/<int:request_id>/wydruk.pdf")
@roles_required(*STAFF)
@with_request
def print_request(req: Request) -> BaseResponse:
    """The request as a PDF for the paper file (recorded); notes at a manager's choice."""
    try:
        pdf = printout.print_request(req, staff(), with_notes=request.args.get("notatki") == "1")
    except DocumentError:
        return _no_pdf(
            req,
            _(
                "Nie udało się przygotować wydruku. Administrator musi zainstalować czcionki "
                "DejaVu (pakiet fonts-dejavu-core)."
            ),
        )
    return _pdf_download(io.BytesIO(pdf), f"{req.reference}.pdf")


@bp.get("/zgloszenia/<int:request_id>/pliki.pdf")
@roles_required(*STAFF)
@with_request
def download_all(req: Request) -> BaseResponse:
    """Every file of the request as one PDF, each under its label (a recorded step)."""
    # Imported here: pikepdf costs every worker memory, and few pages ever need it.
    from portal.panel import files_pdf

    if not req.attachments:
        abort(404)
    try:
        body, count = files_pdf.all_files_pdf(req, str(g.get("panel_lang", "pl")))
    except DocumentError:
        return _no_pdf(
            req,
            _(
                "Nie udało się przygotować pliku PDF. Administrator musi zainstalować czcionki "
                "DejaVu (pakiet fonts-dejavu-core)."
            ),
        )
    actions.record_download_all(req, count, staff())
    return _pdf_download(body, f"{req.reference}-pliki.pdf")


@bp.get("/zgloszenia/<int:request_id>/pliki/<int:attachment_id>")
@roles_required(*STAFF)
@with_request
def download(req: Request, attachment_id: int) -> Response:
    """A file of the request, as a download only (a recorded step)."""
    att = get_attachment_or_404(req, attachment_id)
    actions.record_download(req, att, staff())
    response = send_file(
        io.BytesIO(attachment_content(att)),
        mimetype=att.media_type,
        as_attachment=True,
        download_name=attachment_name(att),
        etag=False,
        conditional=False,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
