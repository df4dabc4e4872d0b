"""Plaintext answers like the forms store them, a few variants per kind (no real person)."""

from __future__ import annotations

import json
from datetime import date, timedelta

NAMES = (
    "Anna Kowalska",
    "Katarzyna Nowak",
    "Marta Wiśniewska-Zielińska",
    "Olena Shevchenko",
    "Joanna Wójcik",
    "Piotr Kamiński",
    "Agnieszka Lewandowska",
    "Tetiana Bondarenko",
)
DESCRIPTIONS = (
    "Od kilku miesięcy nie radzę sobie z organizacją dnia. Starszy syn opuszcza lekcje, młodsza "
    "córka często choruje, a ja pracuję na zmiany i nie mam nikogo do pomocy.",
    "Po rozstaniu z partnerem zostałam sama z trójką dzieci. Mamy zaległości w opłatach i boję "
    "się, że stracimy mieszkanie. Potrzebuję kogoś, kto pomoże mi to wszystko poukładać.",
    "Szkoła zasugerowała, żebyśmy poprosili o asystenta. Dzieci mają trudności w nauce, a my "
    "nie wiemy, jak z nimi rozmawiać. Chcemy spróbować, zanim będzie gorzej.",
    "Przyjechaliśmy z Ukrainy dwa lata temu. Nie wszystko rozumiem w urzędach i szkole, "
    "potrzebuję pomocy w sprawach dzieci i w szukaniu pracy.",
)


def _parent(variant: int) -> dict[str, object]:
    return {
        "child_in_danger": "no",
        "full_name": NAMES[variant % len(NAMES)],
        "phone": f"600 {variant:03d} 456",
        "email": f"osoba{variant}@example.org",
        "best_time": ("morning", "afternoon", "any")[variant % 3],
        "street": f"ul. Polna {variant + 1}",
        "postal_code": "10-000",
        "city": "Benchowo",
        "children_count": 1 + variant % 4,
        "children_ages": "3, 7 i 12"[: 4 + variant % 6],
        "difficulties": ["care", "money", "institutions"][: 1 + variant % 3],
        "description": DESCRIPTIONS[variant % len(DESCRIPTIONS)],
    }


def _za_zyciem(variant: int) -> dict[str, object]:
    due = date(2025, 1, 1) + timedelta(days=37 * variant)
    return {
        "applicant": "pregnant",
        "full_name": NAMES[variant % len(NAMES)],
        "has_pesel": "yes",
        "pesel": "94031512841",
        "phone": f"+48 600 {variant:03d} 456",
        "street": f"ul. Parkowa {variant + 1}",
        "postal_code": "10-000",
        "city": "Benchowo",
        "due_date": due.isoformat(),
        "truthful": True,
    }


def plaintexts(kind: str, count: int = 8) -> list[bytes]:
    """`count` UTF-8 JSON payloads as `encrypt_json` writes them ({"fields": …})."""
    make = _parent if kind == "zgloszenie" else _za_zyciem
    return [
        json.dumps({"fields": make(v)}, ensure_ascii=False, separators=(",", ":")).encode()
        for v in range(count)
    ]
