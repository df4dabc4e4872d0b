"""The forms of logging in and setting up an account (flask-wtf: CSRF included)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.auth.passwords import MAX_LENGTH, password_problems


class PanelForm(FlaskForm):
    """A form whose errors feed the error summary: (field id, message) pairs."""

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, first message) of every field with an error, in the form's order."""
        return [(field.id, str(field.errors[0])) for field in self if field.errors]


class LoginForm(PanelForm):
    """E-mail and password; `next` says where to go afterwards."""

    email = StringField(
        _l("Adres e-mail"), validators=[DataRequired(_l("Wpisz adres e-mail.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Hasło"), validators=[DataRequired(_l("Wpisz hasło.")), Length(max=MAX_LENGTH)]
    )
    next = HiddenField()


class CodeForm(PanelForm):
    """A code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Kod"),
        validators=[
            DataRequired(_l("Wpisz kod.")),
            Length(max=20, message=_l("Ten kod jest za długi.")),
        ],
    )


class SetPasswordForm(PanelForm):
    """A new password, typed twice, checked against the rules."""

    password = PasswordField(_l("Nowe hasło"), validators=[DataRequired(_l("Wpisz nowe hasło."))])
    confirm = PasswordField(
        _l("Powtórz nowe hasło"),
        validators=[
            DataRequired(_l("Powtórz nowe hasło.")),
            EqualTo("password", _l("Hasła nie są takie same.")),
        ],
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field: PasswordField) -> None:
        """Length, the list of common passwords, not the e-mail address."""
        problems = password_problems(field.data or "", self._email)
        if problems:
            raise ValidationError(problems[0])
