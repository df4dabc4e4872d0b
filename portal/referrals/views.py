"""Public request views: the two forms, the confirmation and the status page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from portal.core.centres import Centre
from portal.core.clock import local_day, utcnow
from portal.core.extensions import db, limiter
from portal.core.i18n import current_lang, localized_route
from portal.core.links import external_url
from portal.core.tenancy import registry
from portal.referrals import conversation
from portal.referrals.builder import BuiltForm, FileState, FormRegistry
from portal.referrals.cleaning import FieldError, clean_scalar, required_message
from portal.referrals.copy import may_download, remember_sent, render_copy
from portal.referrals.definitions import FieldSpec
from portal.referrals.display import stored_answers
from portal.referrals.drafts import DraftNotFound, find_draft, held_of, restore_draft
from portal.referrals.flow import Outcome, Posted, handle_post
from portal.referrals.held import (
    LABEL_MAX,
    MAX_HELD,
    FileChanges,
    as_held_file,
    questions_of,
    receive_uploads,
)
from portal.referrals.lifecycle import STATUS_TEXT, STEPS, can_withdraw
from portal.referrals.models import Request
from portal.referrals.notify import reply_notice
from portal.referrals.precheck import Answer, judge
from portal.referrals.presenter import check_rows, hidden_values
from portal.referrals.service import new_form_key, valid_form_key
from portal.referrals.status import StatusLinkError, make_token, request_for_token
from portal.referrals.withdraw import withdraw

bp = Blueprint("referrals", __name__)
# Generous for a shared library computer, tight for a script.
POST_LIMIT = "30 per hour"


@bp.after_request
def _never_cache(response: BaseResponse) -> BaseResponse:
    # Forms carry a CSRF token, the check page carries the applicant's answers.
    response.headers["Cache-Control"] = "no-store"
    return response


def _built(centre: Centre, name: str) -> BuiltForm:
    forms: FormRegistry = current_app.extensions["portal.forms"]
    built = forms.get(centre.slug, name)
    if built is None:
        abort(404)
    return built


def _posted() -> Posted:
    return Posted(
        step=request.form.get("step", "check")[:60],  # "remove:<held id>" is the longest
        held=request.form.getlist("held")[:MAX_HELD],
        remove=request.form.getlist("remove")[:MAX_HELD],
        files={name: request.files.getlist(name) for name in request.files},
        lang=current_lang(),
        changes=FileChanges(labels=_labels("label:"), new_labels=_labels("new-label:")),
    )


def _labels(prefix: str) -> dict[str, str]:
    """Labels typed for files, by what follows `prefix` in the field's name."""
    found = {
        name.removeprefix(prefix): value[: LABEL_MAX * 2]
        for name, value in request.form.items()
        if name.startswith(prefix)
    }
    return dict(list(found.items())[:MAX_HELD])


def form_page(centre: Centre, name: str) -> BaseResponse | tuple[str, int] | str:
    """GET shows the form; POST checks it, shows the answers, or stores the request."""
    built = _built(centre, name)
    form = built.form_class()
    if request.method == "GET":
        form.form_key.data = new_form_key()
        return render_template(
            "referrals/form.html",
            centre=centre,
            form=form,
            spec=built.spec,
            show_errors=False,
            files={},
            endpoint=request.endpoint,
        )
    return _respond(centre, built, handle_post(centre, built, form, _posted()))


def _respond(
    centre: Centre, built: BuiltForm, out: Outcome
) -> BaseResponse | tuple[str, int] | str:
    if out.step == "done" and out.request is not None:
        remember_sent(session, out.request)  # this browser may download its copy, for an hour
        token = make_token(out.request)
        db.session.commit()
        return redirect(url_for("referrals.sent", centre=centre, token=token))
    if out.step == "rejected":
        return render_template("errors/400.html", code=400), 400
    if out.step == "saved" and out.draft_token:
        # Shown for copying: built on the site's address, never on the Host header.
        draft_url = external_url("referrals.resume", token=out.draft_token)
        page = render_template(
            "referrals/saved.html", centre=centre, draft_url=draft_url, mailed=out.draft_mailed
        )
        return page
    context = {
        "centre": centre,
        "form": out.form,
        "spec": built.spec,
        "outcome": out,
        "endpoint": request.endpoint,
        "show_errors": out.show_errors,
        "files": out.checked.files,
    }
    if out.step == "check":
        page = render_template(
            "referrals/check.html",
            rows=check_rows(built.spec, out.checked),
            hidden=hidden_values(out.form, out.checked),
            **context,
        )
        return page, 503 if out.not_stored else 200
    status = 200 if not out.show_errors else 400
    return render_template("referrals/form.html", **context), status


@localized_route(bp, "/<centre:centre>/zgloszenie", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def zgloszenie(centre: Centre) -> BaseResponse | tuple[str, int] | str:
    return form_page(centre, "zgloszenie")


@localized_route(bp, "/<centre:centre>/za-zyciem/wniosek", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def za_zyciem(centre: Centre) -> BaseResponse | tuple[str, int] | str:
    return form_page(centre, "za-zyciem")


FORM_ENDPOINTS = {"zgloszenie": "referrals.zgloszenie", "za-zyciem": "referrals.za_zyciem"}


def precheck_clean(spec: FieldSpec, raw: str) -> str:
    """One pre-check answer, cleaned like the form's; FieldError (a ValueError) with the
    message when it is missing or wrong."""
    if not raw:
        raise FieldError(required_message(spec))
    cleaned: str = clean_scalar(spec, raw, local_day(utcnow()))
    return cleaned


def precheck_page(centre: Centre, name: str) -> BaseResponse | tuple[Response, int]:
    """The "is this for me?" questions; answers that fit lead on to the form, others to
    a page that says where to go instead. Nothing of the answers is kept."""
    spec = _built(centre, name).spec
    if not spec.precheck:
        abort(404)
    answers = {q.spec.name: Answer() for q in spec.precheck}
    found = None
    if request.method == "POST":
        answers, found = judge(spec.precheck, request.form, centre, registry(), precheck_clean)
        if found is None and not any(a.errors for a in answers.values()):
            return redirect(url_for(FORM_ENDPOINTS[name], centre=centre), code=303)
    context = {"centre": centre, "spec": spec, "form_endpoints": FORM_ENDPOINTS}
    if found is not None:
        return _private(render_template("referrals/precheck_exit.html", exit=found, **context)), 200
    errors = [(f"f-{n}", a.errors[0]) for n, a in answers.items() if a.errors]
    page = render_template("referrals/precheck.html", answers=answers, errors=errors, **context)
    return _private(page), 400 if errors else 200


@localized_route(bp, "/<centre:centre>/zgloszenie/czy-to-dla-mnie", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def zgloszenie_precheck(centre: Centre) -> BaseResponse | tuple[Response, int]:
    return precheck_page(centre, "zgloszenie")


@localized_route(bp, "/<centre:centre>/za-zyciem/czy-to-dla-mnie", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def za_zyciem_precheck(centre: Centre) -> BaseResponse | tuple[Response, int]:
    return precheck_page(centre, "za-zyciem")


@localized_route(bp, "/wznow/<token>", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def resume(token: str) -> BaseResponse | tuple[Response, int] | str:
    """A saved draft: GET shows one button and reveals nothing; its POST opens the form."""
    try:
        draft = find_draft(token)
        centre = registry().get(draft.centre_slug)
        if centre is None:
            raise DraftNotFound(token)
    except DraftNotFound:
        return _private(render_template("referrals/resume.html", found=False, token=token)), 404
    if request.method == "GET":
        return _private(render_template("referrals/resume.html", found=True, token=token))
    return _restored(centre, draft.form, token)


def _restored(centre: Centre, name: str, token: str) -> str:
    built = _built(centre, name)
    form_key, typed = restore_draft(token, centre.slug, name)
    data = MultiDict([(k, v) for k, values in typed.items() for v in values])
    form = built.form_class(formdata=data)
    form.form_key.data = form_key
    grouped = questions_of(built.spec, held_of(form_key))
    files = {name: FileState([as_held_file(h) for h in rows]) for name, rows in grouped.items()}
    return render_template(
        "referrals/form.html",
        centre=centre,
        form=form,
        spec=built.spec,
        show_errors=False,
        files=files,
        endpoint=FORM_ENDPOINTS[name],
    )


@localized_route(bp, "/<centre:centre>/wyslano/<token>")
def sent(centre: Centre, token: str) -> Response | tuple[str, int]:
    try:
        req = request_for_token(token)
    except StatusLinkError as exc:
        return render_template("referrals/status_error.html", expired=exc.expired), 404
    if req.centre_slug != centre.slug:
        abort(404)
    # Shown for copying: built on the site's address, never on the Host header.
    status_url = external_url("referrals.status", token=token)
    body = render_template(
        "referrals/sent.html",
        centre=centre,
        req=req,
        status_url=status_url,
        # Only whether an address was given: the address itself is never shown here.
        email_given=bool(stored_answers(req).get("email")),
        copy_url=url_for("referrals.sent_copy", centre=centre, token=token)
        if may_download(session, req)
        else None,
    )
    return _private(body)


@localized_route(bp, "/<centre:centre>/wyslano/<token>/potwierdzenie.pdf")
def sent_copy(centre: Centre, token: str) -> Response:
    """The applicant's PDF copy: only for the session that sent it, for an hour; 404 else."""
    try:
        req = request_for_token(token)
    except StatusLinkError:
        abort(404)
    if req.centre_slug != centre.slug or not may_download(session, req):
        abort(404)
    response = Response(render_copy(req, centre, current_lang()), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{req.reference}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _status_request(token: str) -> tuple[Request, Centre]:
    """The request and centre a status link names; raises `StatusLinkError` or 404."""
    req = request_for_token(token)
    centre = registry().get(req.centre_slug)
    if centre is None:
        abort(404)
    return req, centre


def _status_page(
    req: Request,
    centre: Centre,
    token: str,
    *,
    form: conversation.ReplyForm | None = None,
    files: FileState | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> str:
    """The status page: where the request stands, the centre's messages, the reply form."""
    messages = conversation.shown(req)
    if form is None:
        form = conversation.ReplyForm(formdata=None)
        form.form_key.data = new_form_key()
    return render_template(
        "referrals/status.html",
        centre=centre,
        req=req,
        steps=STEPS,
        status_text=STATUS_TEXT,
        token=token,
        can_withdraw=can_withdraw(req.status),
        messages=messages,
        can_reply=conversation.can_reply(req, messages),
        reply_form=form,
        files=files or FileState(),
        errors=errors or [],
        replied=request.args.get("odpowiedz") == "wyslana",
    )


@localized_route(bp, "/status/<token>")
def status(token: str) -> Response | tuple[str, int]:
    try:
        req, centre = _status_request(token)
    except StatusLinkError as exc:
        return render_template("referrals/status_error.html", expired=exc.expired), 404
    return _private(_status_page(req, centre, token))


@localized_route(bp, "/status/<token>/odpowiedz", methods=["POST"])
@limiter.limit(POST_LIMIT)
def reply(token: str) -> BaseResponse | tuple[Response, int]:
    """The applicant's reply: words and files (checked like a certificate), stored once."""
    try:
        req, centre = _status_request(token)
    except StatusLinkError as exc:
        page = render_template("referrals/status_error.html", expired=exc.expired)
        return _private(page), 404
    if not conversation.can_reply(req, conversation.thread(req)):
        return redirect(url_for("referrals.status", token=token), code=303)
    form = conversation.ReplyForm()
    form.validate_on_submit()  # checks the CSRF token: a wrong one never gets here
    key = valid_form_key(form.form_key.data) or new_form_key()
    form.form_key.data = key
    removed = request.form.getlist("remove")
    kept = [h for h in request.form.getlist("held")[:MAX_HELD] if h not in removed]
    files = receive_uploads(key, kept, request.files.getlist("files"), centre.slug)
    errors = [("reply-files", e) for e in files.errors]
    if not errors:
        try:
            conversation.store_reply(
                req,
                form.text.data or "",
                key,
                [held.id for held in files.held],
                notice=reply_notice(req, centre),
            )
        except conversation.ReplyError as exc:
            errors.append(("reply-text", str(exc)))
    if errors:
        body = _status_page(req, centre, token, form=form, files=files, errors=errors)
        return _private(body), 400
    return redirect(url_for("referrals.status", token=token, odpowiedz="wyslana"), code=303)


@localized_route(bp, "/status/<token>/wycofaj", methods=["POST"])
@limiter.limit(POST_LIMIT)
def withdraw_request(token: str) -> BaseResponse | tuple[str, int]:
    """The status page's "withdraw" button asks first; only the confirmation withdraws."""
    try:
        req, centre = _status_request(token)
    except StatusLinkError as exc:
        return render_template("referrals/status_error.html", expired=exc.expired), 404
    if request.form.get("step") == "confirm":
        withdraw(req)  # already withdrawn or closed: the status page says what it is now
        return redirect(url_for("referrals.status", token=token), code=303)
    if not can_withdraw(req.status):
        return redirect(url_for("referrals.status", token=token), code=303)
    return _private(render_template("referrals/withdraw.html", centre=centre, req=req, token=token))


def _private(body: str) -> Response:
    """Pages behind a private link: never cached, never indexed."""
    response = Response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
