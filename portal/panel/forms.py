"""The panel's forms (flask-wtf, so every POST carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.auth.forms import PanelForm
from portal.panel.actions import NOTE_MAX


class StatusForm(PanelForm):
    """Move a request on; a reason (and for "other", a note) when closing."""

    status = SelectField(
        _l("Nowy status"), choices=[], validators=[DataRequired(_l("Wybierz nowy status."))]
    )
    expected = HiddenField()
    reason = SelectField(
        _l("Powód zamknięcia (tylko przy zamykaniu)"), choices=[], validators=[Optional()]
    )
    note = TextAreaField(
        _l("Notatka wewnętrzna (przy powodzie „Inny” wymagana)"),
        validators=[Optional(), Length(max=NOTE_MAX)],
    )
    tell = BooleanField(
        _l(
            "Powiadom osobę zgłaszającą (status na stronie sprawy, e-mail tylko "
            "z informacją, że jest wiadomość)"
        )
    )


class AssignForm(PanelForm):
    """Give the request to someone, or to nobody."""

    assignee = SelectField(_l("Prowadzi"), choices=[], validators=[Optional()])


class NoteForm(PanelForm):
    """An internal note."""

    text = TextAreaField(
        _l("Treść notatki"),
        validators=[
            DataRequired(_l("Wpisz treść notatki.")),
            Length(max=NOTE_MAX, message=_l("Notatka jest za długa.")),
        ],
    )


class DateForm(PanelForm):
    """One date (interview, consent); empty clears it."""

    day = DateField(_l("Data"), validators=[Optional()], render_kw={"autocomplete": "off"})
    tell = BooleanField(_l("Powiadom osobę zgłaszającą o terminie rozmowy"))


class DueForm(PanelForm):
    """Move the request's due date, with a reason."""

    day = DateField(_l("Nowy termin"), validators=[Optional()], render_kw={"autocomplete": "off"})
    reason = SelectField(_l("Powód zmiany"), choices=[], validators=[Optional()])
    note = TextAreaField(
        _l("Notatka wewnętrzna (przy powodzie „Inny” wymagana)"),
        validators=[Optional(), Length(max=NOTE_MAX)],
    )


class InviteForm(PanelForm):
    """A new staff account."""

    email = StringField(
        _l("Adres e-mail"), validators=[DataRequired(_l("Wpisz adres e-mail.")), Length(max=254)]
    )
    name = StringField(
        _l("Imię i nazwisko (widoczne w panelu)"),
        validators=[
            DataRequired(_l("Wpisz imię i nazwisko.")),
            Length(max=80, message=_l("Najwyżej 80 znaków.")),
        ],
    )
    role = SelectField(_l("Rola"), choices=[], validators=[DataRequired(_l("Wybierz rolę."))])
    centre = SelectField(_l("Ośrodek"), choices=[], validators=[Optional()])


class NameForm(PanelForm):
    """The name the panel shows for an account."""

    name = StringField(
        _l("Imię i nazwisko (widoczne w panelu)"),
        validators=[
            DataRequired(_l("Wpisz imię i nazwisko.")),
            Length(max=80, message=_l("Najwyżej 80 znaków.")),
        ],
    )


class RoleForm(PanelForm):
    """Another role for an account."""

    role = SelectField(_l("Rola"), choices=[], validators=[DataRequired(_l("Wybierz rolę."))])


class ConfirmForm(PanelForm):
    """A button that changes something: only the CSRF token travels."""


class SaveViewForm(PanelForm):
    """A name for the queue's current filters."""

    name = StringField(
        _l("Nazwa widoku"), validators=[DataRequired(_l("Wpisz nazwę widoku.")), Length(max=60)]
    )


class MessageForm(PanelForm):
    """A question to the applicant, shown on their status page."""

    text = TextAreaField(
        _l("Treść wiadomości"),
        validators=[
            DataRequired(_l("Wpisz treść wiadomości.")),
            Length(max=2000, message=_l("Wiadomość jest za długa.")),
        ],
    )


class PersonForm(PanelForm):
    """Find one person's requests by an identifier (sent by POST only, never in a URL)."""

    kind = SelectField(_l("Szukaj według"), choices=[], validators=[DataRequired()])
    value = StringField(
        _l("Wartość"),
        validators=[
            DataRequired(_l("Wpisz numer PESEL, adres e-mail albo numer telefonu.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class EraseForm(PanelForm):
    """Erase the requests found, with a reason and a confirmation."""

    reason = SelectField(_l("Powód usunięcia"), choices=[], validators=[Optional()])
    confirm = BooleanField(
        _l("Rozumiem, że zgłoszenia, ich pliki, wiadomości i notatki zostaną usunięte na zawsze.")
    )
