"""Account management, for managers (own centre) and admins (all).

Every route with an account id takes it through `with_account` (see `access`), so
a manager asking for another centre's account gets a 404.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from portal.auth import accounts, recovery
from portal.auth.models import User
from portal.core.extensions import db
from portal.core.tenancy import registry
from portal.panel.access import (
    MANAGERS,
    accounts_for,
    roles_required,
    staff,
    with_account,
)
from portal.panel.blueprint import bp
from portal.panel.forms import ConfirmForm, InviteForm, NameForm, RoleForm
from portal.panel.labels import ROLE_LABELS

Page = BaseResponse | str | tuple[str, int]


def _invite_form() -> InviteForm:
    user = staff()
    form = InviteForm()
    form.role.choices = [(r, str(ROLE_LABELS[r])) for r in accounts.grantable_roles(user)]
    form.centre.choices = [(c.slug, c.name) for c in registry()]
    if not form.is_submitted():
        form.centre.data = user.centre_slug
    return form


@bp.get("/konta", endpoint="accounts")
@roles_required(*MANAGERS)
def accounts_list() -> str:
    """The accounts the current user manages."""
    users = list(db.session.scalars(accounts_for(staff())))
    return render_template("panel/accounts.html", users=users)


@bp.route("/konta/nowe", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def invite() -> Page:
    """Create an account and show its set-password link once."""
    form = _invite_form()
    if form.validate_on_submit():
        centre = form.centre.data if staff().role.every_centre else staff().centre_slug
        try:
            user, link = accounts.create_account(
                form.email.data or "",
                centre or "",
                form.role.data or "",
                staff(),
                name=form.name.data or "",
            )
        except accounts.AccountError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            return render_template("panel/account_link.html", account=user, link=link)
    return render_template("panel/invite.html", form=form), 400 if form.errors else 200


@bp.get("/konta/<int:user_id>")
@roles_required(*MANAGERS)
@with_account
def account(account: User) -> str:
    """One account and the changes that can be made to it."""
    form = RoleForm()
    form.role.choices = [(r, str(ROLE_LABELS[r])) for r in accounts.grantable_roles(staff())]
    form.role.data = account.role
    name_form = NameForm(formdata=None, data={"name": account.display_name})
    return render_template(
        "panel/account.html",
        account=account,
        role_form=form,
        name_form=name_form,
        recovery_left=recovery.remaining(account),
    )


def _done(account: User, message: str) -> BaseResponse:
    flash(message)
    return redirect(url_for("panel.account", user_id=account.id))


def _refused(account: User, exc: Exception) -> BaseResponse:
    flash(str(exc), "error")
    return redirect(url_for("panel.account", user_id=account.id))


@bp.post("/konta/<int:user_id>/wylacz")
@roles_required(*MANAGERS)
@with_account
def deactivate(account: User) -> BaseResponse:
    """Switch an account off; its sessions end at once."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("panel.account", user_id=account.id))
    try:
        accounts.set_active(account, False, staff())
    except accounts.AccountError as exc:
        return _refused(account, exc)
    return _done(account, _("Konto wyłączone. Jego sesje zostały zakończone."))


@bp.post("/konta/<int:user_id>/wlacz")
@roles_required(*MANAGERS)
@with_account
def activate(account: User) -> BaseResponse:
    """Switch an account on again."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("panel.account", user_id=account.id))
    try:
        accounts.set_active(account, True, staff())
    except accounts.AccountError as exc:
        return _refused(account, exc)
    return _done(account, _("Konto włączone."))


@bp.post("/konta/<int:user_id>/link")
@roles_required(*MANAGERS)
@with_account
def password_link(account: User) -> Page:
    """Show a new set-password link; older links stop working."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("panel.account", user_id=account.id))
    link = accounts.new_password_link(account, staff())
    return render_template("panel/account_link.html", account=account, link=link)


@bp.post("/konta/<int:user_id>/dwuetapowe")
@roles_required(*MANAGERS)
@with_account
def reset_second_factor(account: User) -> BaseResponse:
    """Forget the account's TOTP and recovery codes."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("panel.account", user_id=account.id))
    accounts.reset_second_factor(account, staff())
    return _done(
        account,
        _("Weryfikacja dwuetapowa wyzerowana: przy logowaniu trzeba ją skonfigurować od nowa."),
    )


@bp.post("/konta/<int:user_id>/nazwa")
@roles_required(*MANAGERS)
@with_account
def rename(account: User) -> BaseResponse:
    """The name the panel shows for the account, instead of its e-mail."""
    form = NameForm()
    if not form.validate_on_submit():
        message = next((e for _f, e in form.error_list()), _("Wpisz imię i nazwisko."))
        return _refused(account, accounts.AccountError(message))
    try:
        accounts.rename(account, form.name.data or "", staff())
    except accounts.AccountError as exc:
        return _refused(account, exc)
    return _done(account, _("Nazwa zmieniona."))


@bp.post("/konta/<int:user_id>/rola")
@roles_required(*MANAGERS)
@with_account
def change_role(account: User) -> BaseResponse:
    """Give the account another role."""
    role = request.form.get("role", "")
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("panel.account", user_id=account.id))
    try:
        accounts.change_role(account, role, staff())
    except accounts.AccountError as exc:
        return _refused(account, exc)
    return _done(account, _("Rola zmieniona."))
