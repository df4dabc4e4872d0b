"""The panel's forms (flask-wtf, so every POST carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.auth.forms import PanelForm
from portal.panel.actions import NOTE_MAX


class StatusForm(PanelForm):
    """Move a request on; a reason (and for "other", a note) when closing."""

    status = SelectField(_l("Nowy status"), choices=[],
                         validators=[DataRequired(_l("Wybierz nowy status."))])  # fmt: skip
    expected = HiddenField()
    reason = SelectField(_l("Powód zamknięcia (tylko przy zamykaniu)"), choices=[],
                         validators=[Optional()])  # fmt: skip
    note = TextAreaField(_l("Notatka wewnętrzna (przy powodzie „Inny” wymagana)"),
                         validators=[Optional(), Length(max=NOTE_MAX)])  # fmt: skip


class AssignForm(PanelForm):
    """Give the request to someone, or to nobody."""

    assignee = SelectField(_l("Prowadzi"), choices=[], validators=[Optional()])


class NoteForm(PanelForm):
    """An internal note."""

    text = TextAreaField(_l("Treść notatki"), validators=[
        DataRequired(_l("Wpisz treść notatki.")),
        Length(max=NOTE_MAX, message=_l("Notatka jest za długa."))])  # fmt: skip


class DateForm(PanelForm):
    """One date (interview, consent); empty clears it."""

    day = DateField(_l("Data"), validators=[Optional()],
                    render_kw={"autocomplete": "off"})  # fmt: skip


class InviteForm(PanelForm):
    """A new staff account."""

    email = StringField(_l("Adres e-mail"), validators=[
        DataRequired(_l("Wpisz adres e-mail.")), Length(max=254)])  # fmt: skip
    role = SelectField(_l("Rola"), choices=[], validators=[DataRequired(_l("Wybierz rolę."))])
    centre = SelectField(_l("Ośrodek"), choices=[], validators=[Optional()])


class RoleForm(PanelForm):
    """Another role for an account."""

    role = SelectField(_l("Rola"), choices=[], validators=[DataRequired(_l("Wybierz rolę."))])


class ConfirmForm(PanelForm):
    """A button that changes something: only the CSRF token travels."""
