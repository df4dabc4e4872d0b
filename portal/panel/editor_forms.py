"""The editor's forms: a page, a centre's details, a new page, the review rule.

A centre's details are read into the mapping of its centre.yml by `centre_update`,
which also returns every problem as (field id, message) pairs for the error summary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from portal.auth.accounts import EMAIL_RE
from portal.auth.forms import PanelForm
from portal.core.centres import POSTAL_RE, SLUG_RE
from portal.core.settings import LANGUAGES
from portal.pages.editing import PageFields

# Under the panel's 64 KB form limit, with room for the other fields.
BODY_MAX = 50_000
ROWS_MAX = 8
URL_RE = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
Errors = list[tuple[str, str]]


class PageForm(PanelForm):
    """A page in one language: its front matter as fields, and its Markdown body."""

    title = StringField(
        _l("Tytuł strony"),
        validators=[
            DataRequired(_l("Wpisz tytuł strony.")),
            Length(max=200, message=_l("Tytuł może mieć najwyżej 200 znaków.")),
        ],
    )
    summary = TextAreaField(
        _l("Krótki opis (dla wyszukiwarek i list stron)"),
        validators=[Optional(), Length(max=300, message=_l("Opis może mieć najwyżej 300 znaków."))],
    )
    order = StringField(
        _l("Miejsce w menu (liczba; mniejsza wcześniej)"),
        validators=[Optional(), Length(max=3, message=_l("Wpisz liczbę od 0 do 999."))],
    )
    nav = BooleanField(_l("Pokazuj stronę w menu ośrodka"))
    body = TextAreaField(
        _l("Treść strony (Markdown)"),
        validators=[Length(max=BODY_MAX, message=_l("Treść może mieć najwyżej %(max)d znaków."))],
    )

    def fill(self, fields: PageFields) -> None:
        """Put a page's fields into the form (a GET)."""
        self.title.data = fields.title
        self.summary.data = fields.summary
        self.order.data = "" if fields.order is None else str(fields.order)
        self.nav.data = fields.nav
        self.body.data = fields.body

    def order_value(self) -> int | None:
        """The order typed, None when left empty; an error on the field when not a number."""
        text = (self.order.data or "").strip()
        if not text:
            return None
        if not text.isascii() or not text.isdigit():
            self.order.errors = [*self.order.errors, _("Wpisz liczbę od 0 do 999.")]
            return None
        return int(text)


class NewPageForm(PanelForm):
    """The address of a page the centre does not have yet."""

    slug = StringField(
        _l(
            "Adres nowej strony (małe litery bez polskich znaków, cyfry i "
            "łączniki, np. grupy-wsparcia)"
        ),
        validators=[
            DataRequired(_l("Wpisz adres strony.")),
            Length(max=63, message=_l("Adres może mieć najwyżej 63 znaki.")),
        ],
    )

    def slug_value(self) -> str | None:
        """The address, if it can be one."""
        slug = (self.slug.data or "").strip()
        if not SLUG_RE.match(slug) or slug == "index":
            self.slug.errors = [
                *self.slug.errors,
                _("Użyj tylko małych liter bez polskich znaków, cyfr i łączników."),
            ]
            return None
        return slug


class ReviewForm(PanelForm):
    """The centre's rule: a second person publishes."""

    required = BooleanField(
        _l("Wersję publikuje druga osoba (kierownik lub administrator), nie autor")
    )


class PhoneEntry(Form):
    """One phone: its number and what it is for, in each language."""

    number = StringField(_l("Numer"), validators=[Length(max=40)])
    label_pl = StringField(_l("Opis po polsku (np. Sekretariat)"), validators=[Length(max=80)])
    label_en = StringField(_l("Opis po angielsku"), validators=[Length(max=80)])
    label_uk = StringField(_l("Opis po ukraińsku"), validators=[Length(max=80)])


class HoursEntry(Form):
    """Opening hours on some days."""

    days_pl = StringField(
        _l("Dni po polsku (np. poniedziałek–piątek)"), validators=[Length(max=80)]
    )
    days_en = StringField(_l("Dni po angielsku"), validators=[Length(max=80)])
    days_uk = StringField(_l("Dni po ukraińsku"), validators=[Length(max=80)])
    time = StringField(_l("Godziny (np. 7:30–15:30)"), validators=[Length(max=40)])


class CentreForm(PanelForm):
    """The centre's details that its pages and notices name."""

    name = StringField(_l("Pełna nazwa ośrodka"), validators=[Length(max=200)])
    street = StringField(_l("Ulica i numer"), validators=[Length(max=120)])
    postal_code = StringField(_l("Kod pocztowy"), validators=[Length(max=6)])
    city = StringField(_l("Miejscowość"), validators=[Length(max=80)])
    phones = FieldList(FormField(PhoneEntry), min_entries=1, max_entries=ROWS_MAX)
    email = StringField(_l("E-mail ośrodka"), validators=[Length(max=254)])
    hours = FieldList(FormField(HoursEntry), min_entries=1, max_entries=ROWS_MAX)
    bip = StringField(_l("Adres Biuletynu Informacji Publicznej"), validators=[Length(max=300)])
    inbox = StringField(
        _l("Skrzynka na powiadomienia o nowych zgłoszeniach"), validators=[Length(max=254)]
    )
    dpo_email = StringField(_l("E-mail inspektora ochrony danych"), validators=[Length(max=254)])
    answer_days = StringField(
        _l("W ile dni roboczych ośrodek odpowiada (1–60)"), validators=[Length(max=2)]
    )
    postal_codes = TextAreaField(
        _l("Kody pocztowe, które ośrodek obsługuje"), validators=[Length(max=2000)]
    )

    def leaves(self) -> Iterator[Field]:
        """Every field a person types into, those of the phone and hours rows included."""
        for field in self:
            if isinstance(field, FieldList):
                for entry in field:
                    yield from entry
            else:
                yield field

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, first message) of every field with an error, in the form's order."""
        return [(f.id, str(f.errors[0])) for f in self.leaves() if f.errors]

    def mark(self, errors: Errors) -> None:
        """Put each (field id, message) at its field, for the field to show it."""
        fields = {f.id: f for f in self.leaves()}
        for field_id, message in errors:
            field = fields[field_id]
            field.errors = [*field.errors, message]

    def fill(self, data: dict[str, Any]) -> None:
        """Put a centre.yml's mapping into the form (a GET), with one empty row to add."""
        address = data.get("address") or {}
        for key in ("name", "email", "bip", "inbox", "dpo_email", "answer_days"):
            self[key].data = str(data.get(key, ""))
        self.street.data, self.city.data = address.get("street", ""), address.get("city", "")
        self.postal_code.data = address.get("postal_code", "")
        self.postal_codes.data = ", ".join(str(c) for c in data.get("postal_codes") or [])
        _rows(self.phones, [_phone_row(p) for p in data.get("phones") or []])
        _rows(self.hours, [_hours_row(h) for h in data.get("hours") or []])


def _labels(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {"pl": str(value)} if value else {}


def _phone_row(phone: dict[str, Any]) -> dict[str, str]:
    labels = _labels(phone.get("label"))
    return {
        "number": str(phone.get("number", "")),
        **{f"label_{lang}": labels.get(lang, "") for lang in LANGUAGES},
    }


def _hours_row(hours: dict[str, Any]) -> dict[str, str]:
    days = _labels(hours.get("days"))
    return {
        "time": str(hours.get("time", "")),
        **{f"days_{lang}": days.get(lang, "") for lang in LANGUAGES},
    }


def _rows(field: FieldList, rows: list[dict[str, str]]) -> None:
    while len(field.entries):
        field.pop_entry()
    for row in [*rows, {}][:ROWS_MAX]:
        field.append_entry(row)


def _required(form: CentreForm, errors: Errors, name: str, message: str) -> str:
    value = (form[name].data or "").strip()
    if not value:
        errors.append((form[name].id, message))
    return value


def _email(form: CentreForm, errors: Errors, name: str) -> str:
    value = (form[name].data or "").strip()
    if not EMAIL_RE.match(value):
        errors.append((form[name].id, _("Wpisz adres e-mail w formacie nazwa@domena.pl.")))
    return value


def _phones(form: CentreForm, errors: Errors) -> list[dict[str, Any]]:
    phones = []
    for entry in form.phones:
        row = {k: (v or "").strip() for k, v in entry.data.items()}
        if not any(row.values()):
            continue
        if not row["number"]:
            errors.append((entry["number"].id, _("Wpisz numer telefonu albo usuń jego opis.")))
        labels = {lang: row[f"label_{lang}"] for lang in LANGUAGES if row[f"label_{lang}"]}
        phones.append({"number": row["number"], **({"label": labels} if labels else {})})
    if not phones:
        errors.append((form.phones[0]["number"].id, _("Podaj co najmniej jeden telefon.")))
    return phones


def _hours(form: CentreForm, errors: Errors) -> list[dict[str, Any]]:
    hours = []
    for entry in form.hours:
        row = {k: (v or "").strip() for k, v in entry.data.items()}
        if not any(row.values()):
            continue
        if not row["days_pl"] or not row["time"]:
            errors.append(
                (
                    entry["days_pl"].id,
                    _("Wpisz dni (po polsku) i godziny albo zostaw cały wiersz pusty."),
                )
            )
        days = {lang: row[f"days_{lang}"] for lang in LANGUAGES if row[f"days_{lang}"]}
        hours.append({"days": days, "time": row["time"]})
    return hours


def postal_codes(form: CentreForm, errors: Errors) -> list[str]:
    """The codes typed (commas, spaces or lines between them), each NN-NNN, at least one."""
    typed = re.split(r"[\s,;]+", form.postal_codes.data or "")
    codes = list(dict.fromkeys(code for code in typed if code))
    wrong = [c for c in codes if not POSTAL_RE.match(c)]
    if wrong:
        errors.append(
            (
                form.postal_codes.id,
                _(
                    "Kody pocztowe wpisz w formacie 00-000 (błędny: %(codes)s).",
                    codes=", ".join(wrong),
                ),
            )
        )
    elif not codes:
        errors.append((form.postal_codes.id, _("Podaj co najmniej jeden kod pocztowy.")))
    return codes


def centre_update(form: CentreForm, base: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """The centre.yml mapping with the form's values in place of `base`'s, and the problems
    found, in the order of the form."""
    errors: Errors = []
    data = dict(base)
    data["name"] = _required(form, errors, "name", _("Wpisz pełną nazwę ośrodka."))
    street = _required(form, errors, "street", _("Wpisz ulicę i numer."))
    code = (form.postal_code.data or "").strip()
    if not POSTAL_RE.match(code):
        errors.append((form.postal_code.id, _("Wpisz kod pocztowy w formacie 00-000.")))
    city = _required(form, errors, "city", _("Wpisz miejscowość."))
    data["address"] = {"street": street, "postal_code": code, "city": city}
    data["phones"] = _phones(form, errors)
    data["email"] = _email(form, errors, "email")
    data["hours"] = _hours(form, errors)
    data["postal_codes"] = postal_codes(form, errors)
    bip = (form.bip.data or "").strip()
    if not URL_RE.match(bip):
        errors.append((form.bip.id, _("Wpisz pełny adres strony BIP, od https://.")))
    data["bip"] = bip
    data["inbox"] = _email(form, errors, "inbox")
    data["dpo_email"] = _email(form, errors, "dpo_email")
    days = (form.answer_days.data or "").strip()
    if not (days.isascii() and days.isdigit() and 0 < int(days) < 61):
        errors.append((form.answer_days.id, _("Wpisz liczbę dni roboczych od 1 do 60.")))
    data["answer_days"] = int(days) if days.isascii() and days.isdigit() else 0
    return data, errors
