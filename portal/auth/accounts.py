"""Staff accounts as plain functions: create, deactivate, links, second-factor resets.

Who may do what: a manager manages its own centre's workers and managers; an
admin manages every account (the roles are in `roles.py`; which accounts a
viewer may open is decided by `portal.panel.access`). Every change is an audit
event with no personal data (ids and roles, never an address).
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from portal.audit import record
from portal.auth import sessions, throttle, totp
from portal.auth.login import find_user
from portal.auth.models import User
from portal.auth.roles import Role
from portal.auth.tokens import issue_token
from portal.core.extensions import db
from portal.core.links import external_url

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")
NAME_MAX = 80


class AccountError(ValueError):
    """An account change that cannot be made; the message is for the person asking."""


def grantable_roles(actor: User | None) -> tuple[Role, ...]:
    """Roles `actor` may give (None: the command line, which may give any)."""
    return tuple(Role) if actor is None else actor.role.grantable


def _grantable(role: Role | str, actor: User | None) -> Role:
    """The role named, if `actor` may give it; else the refusal the person reads."""
    parsed = Role.parse(role)
    if parsed is None or parsed not in grantable_roles(actor):
        raise AccountError(_("Tej roli nie możesz nadać."))
    return parsed


def password_link(token: str) -> str:
    """The absolute set-password address on the site's own address (panel and CLI alike)."""
    return external_url("auth.set_password", token=token)


def clean_name(name: str) -> str:
    """A display name as stored: spaces folded, no control characters, at most NAME_MAX."""
    text = " ".join("".join(ch for ch in name if ch.isprintable()).split())
    if len(text) > NAME_MAX:
        raise AccountError(_("Nazwa może mieć najwyżej %(n)d znaków.", n=NAME_MAX))
    return text


def create_account(
    email: str, centre_slug: str, role: Role | str, actor: User | None, name: str = ""
) -> tuple[User, str]:
    """A new account without a password; returns it and its set-password link."""
    from portal.core.tenancy import registry

    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise AccountError(_("Niepoprawny adres e-mail."))
    display_name = clean_name(name)
    role = _grantable(role, actor)
    # Only a role that may grant something gets here: a manager, or an admin.
    if actor is not None and not actor.role.every_centre and centre_slug != actor.centre_slug:
        raise AccountError(_("Możesz zakładać konta tylko w swoim ośrodku."))
    if registry().get(centre_slug) is None:
        raise AccountError(_("Nie ma takiego ośrodka."))
    if find_user(email) is not None:
        raise AccountError(_("Konto z tym adresem już istnieje."))
    user = User(email=email, centre_slug=centre_slug, role=role, display_name=display_name)
    db.session.add(user)
    db.session.flush()
    link = password_link(issue_token(user))
    _audit("account_create", user, actor, f"role={role}")
    db.session.commit()
    return user, link


def rename(user: User, name: str, actor: User) -> None:
    """Give the account another display name (empty: the panel shows its e-mail)."""
    user.display_name = clean_name(name)
    _audit("account_rename", user, actor)
    db.session.commit()


def new_password_link(user: User, actor: User | None) -> str:
    """A fresh set-password link; earlier links stop working."""
    link = password_link(issue_token(user))
    _audit("account_password_link", user, actor)
    db.session.commit()
    return link


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (every session ends at once) or reactivate an account."""
    if user.id == actor.id:
        raise AccountError(_("Nie możesz wyłączyć własnego konta."))
    user.active = active
    sessions.end_all_sessions(user)
    if active:
        throttle.clear_failures(user)
    _audit("account_activate" if active else "account_deactivate", user, actor)
    db.session.commit()


def reset_second_factor(user: User, actor: User) -> None:
    """Forget the account's TOTP and recovery codes; it enrols again at the next login."""
    totp.reset_second_factor(user)
    sessions.end_all_sessions(user)
    _audit("account_reset_2fa", user, actor)
    db.session.commit()


def change_role(user: User, role: Role | str, actor: User) -> None:
    """Give the account another role."""
    if user.id == actor.id:
        raise AccountError(_("Tej roli nie możesz nadać."))
    role = _grantable(role, actor)
    old, user.role = user.role, role
    sessions.end_all_sessions(user)
    _audit("account_role", user, actor, f"{old}->{role}")
    db.session.commit()


def _audit(action: str, user: User, actor: User | None, detail: str = "") -> None:
    via = "" if actor is not None else "via=cli"
    text = " ".join(part for part in (f"user={user.id}", detail, via) if part)
    record(action, centre_slug=user.centre_slug, actor_id=actor.id if actor else None, detail=text)
