"""Login, second factor, enrolment, logout and set-password views (thin: see `login.py`).

They sit under /panel/ but need no logged-in account, so each is marked `public`
(the URL-map test asks every /panel/ route for a role marker).
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from portal.auth import login as service
from portal.auth import sessions, totp
from portal.auth.current import current_user, load_staff, staff_context
from portal.auth.forms import CodeForm, LoginForm, SetPasswordForm
from portal.auth.roles import public
from portal.auth.tokens import TokenError, user_for_token
from portal.core.extensions import limiter

bp = Blueprint("auth", __name__, url_prefix="/panel")
bp.before_request(load_staff)
bp.context_processor(staff_context)
# Per address, on top of the lockout in the database: a script gets nowhere fast.
LOGIN_LIMIT = "20 per minute"

Page = Response | str | tuple[str, int]


def _page(template: str, failed: bool, **context: object) -> Page:
    body = render_template(template, failed=failed, **context)
    return (body, 400) if failed else body


def _home() -> str:
    return url_for("panel.queue")


@bp.route("/logowanie", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> Page:
    """E-mail and password; on success, on to the second factor."""
    if current_user() is not None:
        return redirect(sessions.safe_next(request.args.get("next")) or _home())
    form = LoginForm(next=request.args.get("next", ""))
    failed = False
    if form.validate_on_submit():
        outcome = service.check_password(
            form.email.data or "", form.password.data or "", request.remote_addr, form.next.data
        )
        if outcome.ok:
            return redirect(url_for("auth.second_factor"))
        failed = True
    notice = g.get("session_ended") or request.args.get("koniec")
    return _page(
        "auth/login.html", failed or bool(form.errors), form=form, wrong=failed, notice=notice
    )


@bp.route("/dwuetapowe", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def second_factor() -> Page:
    """A TOTP or recovery code; on success, the panel (or `next`)."""
    user = sessions.pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if not user.totp_enabled:
        return redirect(url_for("auth.enrol"))
    target = sessions.pending_next() or _home()
    form = CodeForm()
    failed = False
    if form.validate_on_submit():
        if service.check_code(user, form.code.data or "", request.remote_addr).ok:
            return redirect(target)
        failed = True
    return _page("auth/second_factor.html", failed or bool(form.errors), form=form, wrong=failed)


@bp.route("/dwuetapowe/konfiguracja", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def enrol() -> Page:
    """First login: show the QR code and secret, confirm a code, show recovery codes."""
    user = sessions.pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.totp_enabled:
        return redirect(url_for("auth.second_factor"))
    target = sessions.pending_next() or _home()
    form = CodeForm()
    failed = False
    if form.validate_on_submit():
        codes = service.confirm_enrolment(user, form.code.data or "", request.remote_addr)
        if codes is not None:
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
        failed = True
    secret = totp.enrolment_secret(user)
    qr = totp.qr_svg(totp.provisioning_uri(user, secret), label=_qr_label())
    return _page(
        "auth/enrol.html",
        failed or bool(form.errors),
        form=form,
        wrong=failed,
        qr=qr,
        secret=totp.format_secret(secret),
    )


def _qr_label() -> str:
    return str(gettext("Kod QR do zeskanowania aplikacją uwierzytelniającą"))


@bp.post("/wyloguj")
@public
def logout() -> Response:
    """End the session and every copy of its cookie."""
    service.log_out(current_user())
    return redirect(url_for("auth.login", koniec="logout"))


@bp.route("/haslo/<token>", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def set_password(token: str) -> Page:
    """Set a password through a one-time link."""
    try:
        user = user_for_token(token)
    except TokenError as exc:
        return render_template("auth/token_error.html", expired=exc.expired), 404
    form = SetPasswordForm(email=user.email)
    if form.validate_on_submit():
        if service.set_password(user, form.password.data or ""):
            return render_template("auth/password_set.html")
        return render_template("auth/token_error.html", expired=False), 404
    return _page("auth/set_password.html", bool(form.errors), form=form, token=token)
