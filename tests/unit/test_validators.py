"""Form validators: PESEL, postal code, phone, free text, dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.referrals.validators import (
    check_birth_date,
    check_due_date,
    check_text,
    normalize_pesel,
    normalize_phone,
    normalize_postal_code,
    pesel_birth_date,
    pesel_sex,
)

WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def with_checksum(first_ten: str) -> str:
    """Append the correct PESEL control digit (independent of the code under test)."""
    total = sum(w * int(d) for w, d in zip(WEIGHTS, first_ten, strict=True))
    return first_ten + str((10 - total % 10) % 10)


def code_of(func: object, *args: object, **kwargs: object) -> str:
    assert callable(func)
    with pytest.raises(ValueError) as info:
        func(*args, **kwargs)
    return str(info.value.args[0])


# --- PESEL ------------------------------------------------------------------


def test_known_valid_pesel() -> None:
    assert normalize_pesel("44051401359") == "44051401359"
    assert pesel_birth_date("44051401359") == date(1944, 5, 14)
    assert pesel_sex("44051401359") == "M"


@pytest.mark.parametrize(
    ("first_ten", "born"),
    [
        ("0281010123", date(1802, 1, 1)),  # month + 80
        ("9992310123", date(1899, 12, 31)),
        ("0001010123", date(1900, 1, 1)),  # month + 0
        ("9912310123", date(1999, 12, 31)),
        ("0021010123", date(2000, 1, 1)),  # month + 20
        ("0022290123", date(2000, 2, 29)),  # 2000 is a leap year
        ("2432290123", date(2024, 12, 29)),
        ("0241010123", date(2102, 1, 1)),  # month + 40
        ("9952310123", date(2199, 12, 31)),
        ("0461010123", date(2204, 1, 1)),  # month + 60
        ("0462290123", date(2204, 2, 29)),
        ("9972310123", date(2299, 12, 31)),
    ],
)
def test_pesel_all_centuries(first_ten: str, born: date) -> None:
    pesel = with_checksum(first_ten)
    assert normalize_pesel(pesel) == pesel
    assert pesel_birth_date(pesel) == born


@pytest.mark.parametrize(
    "first_ten",
    [
        "0002290123",  # 1900-02-29: 1900 was not a leap year
        "0042290123",  # 2100-02-29
        "2302290123",  # 1923-02-29
        "0000010123",  # month 0
        "0013010123",  # month 13
        "0033010123",  # month 33 (2000s, 13)
        "0093010123",  # month 93 (1800s, 13)
        "0001000123",  # day 0
        "0001320123",  # day 32
        "0004310123",  # 31 April
        "0080010123",  # month offset 80 with month 0
    ],
)
def test_pesel_with_impossible_date(first_ten: str) -> None:
    pesel = with_checksum(first_ten)
    assert code_of(normalize_pesel, pesel) == "pesel_date"
    assert code_of(pesel_birth_date, pesel) == "pesel_date"


@pytest.mark.parametrize("wrong", range(10))
def test_pesel_checksum(wrong: int) -> None:
    valid = "44051401359"
    candidate = valid[:10] + str(wrong)
    if candidate == valid:
        assert normalize_pesel(candidate) == valid
    else:
        assert code_of(normalize_pesel, candidate) == "pesel_checksum"


def test_pesel_swapped_digits_fail_checksum() -> None:
    assert code_of(normalize_pesel, "40451401359") == "pesel_checksum"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 44051401359 ", "44051401359"),
        ("440 514 013 59", "44051401359"),
        ("44051\t401359", "44051401359"),
        ("44051\u00a0401359", "44051401359"),  # no-break space from copy-paste
    ],
)
def test_pesel_spaces_are_removed(raw: str, expected: str) -> None:
    assert normalize_pesel(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "4405140135",  # 10 digits
        "440514013590",  # 12 digits
        "4405140135X",
        "44051-401359",
        "٤٤٠٥١٤٠١٣٥٩",  # Arabic-Indic digits
        "۴۴۰۵۱۴۰۱۳۵۹",  # Extended Arabic-Indic (Persian)
        "４４０５１４０１３５９",  # fullwidth
        "4405140135\uff19",  # one fullwidth digit at the end
        "44051401３59",
        "4405140135\u00b9",  # superscript one: isdigit() is True
        "४४०५१४०१३५९",  # Devanagari
    ],
)
def test_pesel_format(raw: str) -> None:
    assert code_of(normalize_pesel, raw) == "pesel_format"


def test_unicode_digits_really_are_digits_to_python() -> None:
    # Guards the premise of the tests above: these would fool str.isdigit().
    assert "٤٤٠٥١٤٠١٣٥٩".isdigit() and "４４０５１４０１３５９".isdigit()


def test_pesel_sex() -> None:
    assert pesel_sex(with_checksum("0221310124")) == "F"
    assert pesel_sex(with_checksum("0221310125")) == "M"
    assert pesel_sex(with_checksum("0221310120")) == "F"
    assert code_of(pesel_sex, "abc") == "pesel_format"
    assert code_of(pesel_birth_date, "١٢٣") == "pesel_format"


# --- postal code ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("00-950", "00-950"), ("00950", "00-950"), (" 31-462 ", "31-462"), ("99999", "99-999")],
)
def test_postal_code_valid(raw: str, expected: str) -> None:
    assert normalize_postal_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "00-95",
        "009500",
        "0-0950",
        "00 950",
        "00–950",
        "ab-cde",
        "٠٠-٩٥٠",
        "００-９５０",
        "00--950",
    ],
)
def test_postal_code_invalid(raw: str) -> None:
    assert code_of(normalize_postal_code, raw) == "postal_code_format"


# --- phone ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("600700800", "+48600700800"),
        ("600 700 800", "+48600700800"),
        ("600-700-800", "+48600700800"),
        ("+48 600 700 800", "+48600700800"),
        ("+48600700800", "+48600700800"),
        ("0048 600 700 800", "+48600700800"),
        ("(+48) 600-700-800", "+48600700800"),
        ("(22) 123 45 67", "+48221234567"),
        (" 22 123-45-67 ", "+48221234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("+380 44 123 4567", "+380441234567"),
        ("+12345678", "+12345678"),  # 8 digits: the E.164 lower bound we allow
        ("+123456789012345", "+123456789012345"),  # 15 digits: the E.164 maximum
    ],
)
def test_phone_valid(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "60070080",  # 8 digits
        "6007008001",  # 10 digits
        "0600700800",  # old trunk prefix
        "060070080",  # Polish numbers never start with 0
        "+48 60070080",
        "+48 6007008001",
        "0048 6007008",
        "+1234567",  # 7 digits
        "+1234567890123456",  # 16 digits
        "+0123456789",  # no country code starts with 0
        "++48600700800",
        "+48+600700800",
        "600 700 80a",
        "600.700.800",
        "600/700/800",
        "tel. 600700800",
        "٦٠٠٧٠٠٨٠٠",
        "６００７００８００",
        "+４８６００７００８００",
        "0049 30 1234567",  # international numbers must use +
        "600700800\x00",
    ],
)
def test_phone_invalid(raw: str) -> None:
    assert code_of(normalize_phone, raw) == "phone_format"


# --- free text --------------------------------------------------------------


def test_text_is_nfc_normalised_and_stripped() -> None:
    assert check_text("  Zaz\u0307o\u0301ł\u0107  ", max_length=20) == "Zażółć"


def test_text_length_is_counted_after_normalisation() -> None:
    decomposed = "z\u0307" * 10  # 20 code points, 10 after NFC
    assert check_text(decomposed, max_length=10) == "ż" * 10
    assert code_of(check_text, "ż" * 11, max_length=10) == "text_too_long"
    assert check_text("   abc   ", max_length=3) == "abc"


@pytest.mark.parametrize("multiline", [False, True])
def test_text_refuses_nul(multiline: bool) -> None:
    assert code_of(check_text, "a\x00b", max_length=10, multiline=multiline) == "text_nul"


@pytest.mark.parametrize(
    "char",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
@pytest.mark.parametrize("multiline", [False, True])
def test_text_refuses_bidi_overrides(char: str, multiline: bool) -> None:
    assert (
        code_of(check_text, f"Jan{char}Kowalski", max_length=50, multiline=multiline) == "text_bidi"
    )


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x7f", "\x85", "\x9b", "\ud800"])
@pytest.mark.parametrize("multiline", [False, True])
def test_text_refuses_control_characters(char: str, multiline: bool) -> None:
    assert code_of(check_text, f"a{char}b", max_length=10, multiline=multiline) == "text_control"


def test_single_line_refuses_newlines_and_tabs() -> None:
    for text in ("a\nb", "a\tb", "a\r\nb", "a\rb"):
        assert code_of(check_text, text, max_length=10) == "text_control"


def test_multiline_keeps_newlines_and_tabs() -> None:
    assert check_text("a\r\nb\rc\n\td\r\n", max_length=20, multiline=True) == "a\nb\nc\n\td"
    assert check_text("linia 1\r\nlinia 2", max_length=15, multiline=True) == "linia 1\nlinia 2"


def test_text_allows_ordinary_unicode() -> None:
    text = "Олена Шевченко – ul. Żwirki i Wigury 5/7, „Za życiem” 😊"
    assert check_text(text, max_length=100) == text
    assert check_text("", max_length=5) == ""


# --- dates ------------------------------------------------------------------

TODAY = date(2025, 3, 15)


def test_due_date_range() -> None:
    assert check_due_date(TODAY, TODAY) == TODAY
    assert check_due_date(TODAY + timedelta(days=304), TODAY) == TODAY + timedelta(days=304)
    assert code_of(check_due_date, TODAY - timedelta(days=1), TODAY) == "due_date_past"
    assert code_of(check_due_date, TODAY + timedelta(days=305), TODAY) == "due_date_too_far"
    assert code_of(check_due_date, date(2027, 1, 1), TODAY) == "due_date_too_far"


def test_birth_date_range() -> None:
    assert check_birth_date(TODAY, TODAY) == TODAY
    assert check_birth_date(date(1900, 1, 1), TODAY) == date(1900, 1, 1)
    assert code_of(check_birth_date, TODAY + timedelta(days=1), TODAY) == "birth_date_future"
    assert code_of(check_birth_date, date(1899, 12, 31), TODAY) == "birth_date_too_old"
