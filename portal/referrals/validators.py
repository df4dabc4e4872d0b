"""Pure validators for request forms.

Each function returns the normalised value or raises ``ValueError(code)`` where
``code`` (``args[0]``) is a stable machine code the form layer maps to a
translated message. No Flask here, so everything is testable in isolation.

Digits are matched with ``[0-9]``, never ``str.isdigit()``: the latter accepts
Arabic-Indic, fullwidth and other Unicode digits that look right on screen but
would be stored as something staff systems cannot read.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Literal

__all__ = [
    "check_birth_date",
    "check_due_date",
    "check_pesel_born",
    "check_text",
    "normalize_pesel",
    "normalize_phone",
    "normalize_postal_code",
    "pesel_birth_date",
    "pesel_sex",
]

_PESEL_RE = re.compile(r"[0-9]{11}")
_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
# PESEL adds an offset to the month to encode the century of birth.
_CENTURY_BY_MONTH_OFFSET = {80: 1800, 0: 1900, 20: 2000, 40: 2100, 60: 2200}

_POSTAL_RE = re.compile(r"([0-9]{2})-?([0-9]{3})")

_PHONE_SEPARATORS_RE = re.compile(r"[\s()\-]")
_PL_NATIONAL_RE = re.compile(r"[1-9][0-9]{8}")
# E.164: up to 15 digits including the country code, which never starts with 0.
_INTERNATIONAL_RE = re.compile(r"\+([1-9][0-9]{7,14})")

# Explicit directional embeddings/overrides and isolates: they can make text
# display differently from what it is ("Trojan Source"-style spoofing).
_BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")

DUE_DATE_MAX_DAYS = 304  # about ten months: a pregnancy cannot be further away
BIRTH_DATE_MIN = date(1900, 1, 1)


def normalize_pesel(value: str) -> str:
    """Return the PESEL without spaces if it has 11 ASCII digits, a valid checksum and date.

    Codes: ``pesel_format``, ``pesel_checksum``, ``pesel_date``.
    """
    pesel = re.sub(r"\s+", "", value)
    if not _PESEL_RE.fullmatch(pesel):
        raise ValueError("pesel_format")
    digits = [int(c) for c in pesel]
    checksum = sum(w * d for w, d in zip(_PESEL_WEIGHTS, digits, strict=False)) % 10
    if (10 - checksum) % 10 != digits[10]:
        raise ValueError("pesel_checksum")
    pesel_birth_date(pesel)  # raises pesel_date
    return pesel


def pesel_birth_date(pesel: str) -> date:
    """Return the birth date encoded in an (11 ASCII digit) PESEL; ``pesel_date`` if invalid."""
    if not _PESEL_RE.fullmatch(pesel):
        raise ValueError("pesel_format")
    year, month, day = int(pesel[0:2]), int(pesel[2:4]), int(pesel[4:6])
    offset = (month // 20) * 20
    century = _CENTURY_BY_MONTH_OFFSET.get(offset)
    if century is None:
        raise ValueError("pesel_date")
    try:
        return date(century + year, month - offset, day)
    except ValueError:
        # e.g. month 13 or 30 February: re-raise with our stable code.
        raise ValueError("pesel_date") from None


def check_pesel_born(pesel: str, today: date) -> date:
    """Return the PESEL's birth date if it is not after `today`; ``pesel_future`` if it is.

    `normalize_pesel` accepts every date the number can encode (up to 2299), so a
    well-formed number of someone "born" next year passes it; this is the check
    against the calendar.
    """
    born = pesel_birth_date(pesel)
    if born > today:
        raise ValueError("pesel_future")
    return born


def pesel_sex(pesel: str) -> Literal["F", "M"]:
    """Return ``"M"`` or ``"F"`` from the PESEL's tenth digit (odd means male)."""
    if not _PESEL_RE.fullmatch(pesel):
        raise ValueError("pesel_format")
    return "M" if int(pesel[9]) % 2 else "F"


def normalize_postal_code(value: str) -> str:
    """Return a Polish postal code as ``NN-NNN`` (``NNNNN`` accepted); ``postal_code_format``."""
    match = _POSTAL_RE.fullmatch(value.strip())
    if not match:
        raise ValueError("postal_code_format")
    return f"{match[1]}-{match[2]}"


def normalize_phone(value: str) -> str:
    """Return a phone number as ``+48XXXXXXXXX`` or international ``+digits``; ``phone_format``.

    Polish numbers may be written with ``+48``/``0048`` or without a prefix;
    spaces, dashes and parentheses are ignored.
    """
    compact = _PHONE_SEPARATORS_RE.sub("", value)
    for prefix in ("+48", "0048", ""):
        if compact.startswith(prefix) and _PL_NATIONAL_RE.fullmatch(compact[len(prefix) :]):
            return "+48" + compact[len(prefix) :]
    if compact.startswith("+48"):
        # A Polish country code with the wrong number of digits is a typo, not abroad.
        raise ValueError("phone_format")
    match = _INTERNATIONAL_RE.fullmatch(compact)
    if not match:
        raise ValueError("phone_format")
    return "+" + match[1]


def check_text(value: str, *, max_length: int, multiline: bool = False) -> str:
    """Return NFC-normalised, stripped text; refuse controls, bidi overrides, overlong text.

    Codes: ``text_nul``, ``text_bidi``, ``text_control``, ``text_too_long``.
    Multiline text may contain newlines (``\\r\\n`` becomes ``\\n``) and tabs.
    """
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    if "\0" in text:
        raise ValueError("text_nul")
    if _BIDI_CONTROLS_RE.search(text):
        raise ValueError("text_bidi")
    allowed = "\n\t" if multiline else ""
    for ch in text:
        # Cs: lone surrogates cannot be stored as UTF-8.
        if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed:
            raise ValueError("text_control")
    if len(text) > max_length:
        raise ValueError("text_too_long")
    return text


def check_due_date(d: date, today: date) -> date:
    """Accept a due date from today up to DUE_DATE_MAX_DAYS ahead.

    Codes: ``due_date_past``, ``due_date_too_far``.
    """
    if d < today:
        raise ValueError("due_date_past")
    if d > today + timedelta(days=DUE_DATE_MAX_DAYS):
        raise ValueError("due_date_too_far")
    return d


def check_birth_date(d: date, today: date) -> date:
    """Accept a birth date between 1900-01-01 and today.

    Codes: ``birth_date_future``, ``birth_date_too_old``.
    """
    if d > today:
        raise ValueError("birth_date_future")
    if d < BIRTH_DATE_MIN:
        raise ValueError("birth_date_too_old")
    return d
