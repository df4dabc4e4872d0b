"""Turning what was typed into a clean value, or a message in the visitor's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext, lazy_gettext, ngettext

from portal.core.i18n import text_in
from portal.referrals import validators as v
from portal.referrals.definitions import FieldSpec

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y")

# Machine codes from portal.referrals.validators, in words a person can act on.
MESSAGES = {
    "pesel_format": lazy_gettext("Numer PESEL ma 11 cyfr. Sprawdź, czy wpisano wszystkie."),
    "pesel_checksum": lazy_gettext(
        "Ten numer PESEL zawiera błąd. Sprawdź każdą cyfrę z dowodem lub aplikacją mObywatel."
    ),
    "pesel_date": lazy_gettext("Ten numer PESEL zawiera błąd w dacie urodzenia. Sprawdź go."),
    "pesel_future": lazy_gettext(
        "Ten numer PESEL zawiera datę urodzenia z przyszłości. Sprawdź każdą cyfrę."
    ),
    "postal_code_format": lazy_gettext("Wpisz kod pocztowy w formacie 00-000, np. 09-500."),
    "phone_format": lazy_gettext(
        "Wpisz numer telefonu, np. 600 123 456, a numer zagraniczny z +, np. +380 44 123 4567."
    ),
    "text_nul": lazy_gettext("Tekst zawiera niedozwolone znaki sterujące. Usuń je."),
    "text_control": lazy_gettext("Tekst zawiera niedozwolone znaki sterujące. Usuń je."),
    "text_bidi": lazy_gettext("Tekst zawiera niewidoczne znaki zmiany kierunku pisma. Usuń je."),
    "due_date_past": lazy_gettext("Przewidywana data porodu nie może być w przeszłości."),
    "due_date_too_far": lazy_gettext(
        "Przewidywana data porodu może być najwyżej 10 miesięcy od dziś."
    ),
    "birth_date_future": lazy_gettext("Data urodzenia nie może być w przyszłości."),
    "birth_date_too_old": lazy_gettext("Sprawdź rok urodzenia."),
}


class FieldError(ValueError):
    """A value that cannot be accepted; `str()` is the message for the visitor."""


def _text(spec: FieldSpec, raw: Any, multiline: bool = False) -> str:
    if raw is not None and not isinstance(raw, str):  # e.g. a file posted under a text name
        raise FieldError(gettext("Tu wpisz tekst. Pliki dodaje się tylko w polu na zaświadczenie."))
    try:
        return v.check_text(str(raw or ""), max_length=spec.max_length, multiline=multiline)
    except ValueError as exc:
        if exc.args[0] == "text_too_long":
            raise FieldError(
                ngettext(
                    "Tekst może mieć najwyżej %(num)d znak.",
                    "Tekst może mieć najwyżej %(num)d znaków.",
                    spec.max_length,
                )
            ) from None
        raise FieldError(str(MESSAGES[exc.args[0]])) from None


def _coded(func: Callable[[str], str]) -> Callable[[FieldSpec, str, date], str]:
    def clean(spec: FieldSpec, text: str, today: date) -> str:
        try:
            return func(text)
        except ValueError as exc:
            raise FieldError(str(MESSAGES[exc.args[0]])) from None

    return clean


def _pesel(spec: FieldSpec, text: str, today: date) -> str:
    try:
        pesel = v.normalize_pesel(text)
        v.check_pesel_born(pesel, today)
    except ValueError as exc:
        raise FieldError(str(MESSAGES[exc.args[0]])) from None
    return pesel


def check_pesel_matches(pesel: str, born: str) -> None:
    """Refuse a birth date (ISO) that is not the one the PESEL encodes (both already clean)."""
    if v.pesel_birth_date(pesel).isoformat() != born:
        raise FieldError(
            gettext("Data urodzenia różni się od daty zapisanej w numerze PESEL. Sprawdź oba pola.")
        )


def _email(spec: FieldSpec, text: str, today: date) -> str:
    if len(text) > 254 or not EMAIL_RE.match(text):
        raise FieldError(gettext("Wpisz adres e-mail w formacie nazwa@domena.pl."))
    return text


def parse_date(text: str) -> date:
    """A date typed as 2026-05-31 or 31.05.2026 (ASCII digits only)."""
    if not text.isascii():
        raise FieldError(gettext("Wpisz datę cyframi, np. 31.05.2027."))
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise FieldError(gettext("Wpisz prawdziwą datę, np. 31.05.2027."))


def _date(spec: FieldSpec, text: str, today: date) -> str:
    value = parse_date(text)
    try:
        if spec.date_rule == "due_date":
            v.check_due_date(value, today)
        elif spec.date_rule == "birth_date":
            v.check_birth_date(value, today)
    except ValueError as exc:
        raise FieldError(str(MESSAGES[exc.args[0]])) from None
    return value.isoformat()


def _number(spec: FieldSpec, text: str, today: date) -> int:
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise FieldError(gettext("Wpisz liczbę cyframi, np. 2."))
    number = int(text)
    low, high = spec.min if spec.min is not None else 0, spec.max if spec.max is not None else 9999
    if not low <= number <= high:
        raise FieldError(gettext("Wpisz liczbę od %(low)d do %(high)d.", low=low, high=high))
    return number


SCALAR_CLEANERS: dict[str, Callable[[FieldSpec, str, date], Any]] = {
    "pesel": _pesel,
    "postal_code": _coded(v.normalize_postal_code),
    "phone": _coded(v.normalize_phone),
    "email": _email,
    "date": _date,
    "number": _number,
}


def clean_scalar(spec: FieldSpec, raw: Any, today: date) -> Any:
    """Clean a one-value answer; '' means not answered."""
    text = _text(spec, raw, multiline=spec.type == "textarea")
    if not text or spec.type in ("text", "textarea"):
        return text
    if spec.type == "choice":
        if text not in {c.value for c in spec.choices}:
            raise FieldError(gettext("Wybierz jedną z odpowiedzi."))
        return text
    return SCALAR_CLEANERS[spec.type](spec, text, today)


def clean_many(spec: FieldSpec, raw: list[str]) -> list[str]:
    """Clean a multiple choice: known values only, each once, in the definition's order."""
    allowed = [c.value for c in spec.choices]
    if any(value not in allowed for value in raw):
        raise FieldError(gettext("Wybierz odpowiedzi z listy."))
    return [value for value in allowed if value in raw]


def required_message(spec: FieldSpec) -> str:
    """What to say when a required question has no answer: the definition's own words
    for it, else a message for its type."""
    if spec.required_message:
        return text_in(spec.required_message)
    if spec.type in ("choice", "multichoice"):
        return str(gettext("Wybierz odpowiedź."))
    if spec.type == "checkbox":
        return str(gettext("Zaznacz to pole, aby przejść dalej."))
    if spec.type == "file":
        return str(gettext("Dodaj plik zaświadczenia."))
    return str(gettext("To pole jest wymagane."))
