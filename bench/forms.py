"""Valid answers of the two public forms for a generated centre (as tests/referrals/helpers)."""

from __future__ import annotations

from datetime import date, timedelta

from bench.content import GenCentre

PESEL = "94031512841"  # valid check digit, born 15.03.1994


def parent_fields(centre: GenCentre) -> list[tuple[str, str]]:
    """The parent's request, every question answered (without csrf_token/form_key/step)."""
    return [
        ("child_in_danger", "no"),
        ("full_name", "Zofia Wiśniewska-Testowa"),
        ("phone", "600 123 456"),
        ("email", "zofia@example.org"),
        ("best_time", "any"),
        ("street", "ul. Polna 5"),
        ("postal_code", centre.postal_code),
        ("city", "Benchowo"),
        ("children_count", "2"),
        ("children_ages", "3 i 7"),
        ("difficulties", "care"),
        ("difficulties", "money"),
        ("description", "Potrzebuję pomocy w organizacji dnia i w sprawach szkoły dzieci."),
    ]


def za_zyciem_fields(centre: GenCentre) -> list[tuple[str, str]]:
    """A pregnant applicant's "Za życiem" application (the certificate goes as a file)."""
    return [
        ("applicant", "pregnant"),
        ("full_name", "Zofia Wiśniewska-Testowa"),
        ("has_pesel", "yes"),
        ("pesel", PESEL),
        ("phone", "+48 600 123 456"),
        ("street", "ul. Parkowa 1"),
        ("postal_code", centre.postal_code),
        ("city", "Benchowo"),
        ("due_date", (date.today() + timedelta(days=120)).isoformat()),
        ("truthful", "y"),
    ]
