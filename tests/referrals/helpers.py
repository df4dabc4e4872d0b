"""Building valid answers and files for request tests."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfWriter

PARENT = "/tomice/zgloszenie"
ZZ = "/gostynin/za-zyciem/wniosek"
NAME = "Zofia Wiśniewska-Testowa"


def form_key(client: FlaskClient, path: str) -> str:
    html = client.get(path).text
    match = re.search(r'name="form_key" value="([^"]+)"', html)
    assert match, "the form has a form_key"
    return match.group(1)


def parent_answers(key: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form_key": key,
        "child_in_danger": "no",
        "full_name": NAME,
        "phone": "600 123 456",
        "email": "zofia@example.org",
        "street": "ul. Polna 5",
        "postal_code": "34-100",
        "city": "Tomice",
        "children_count": "2",
        "children_ages": "3 i 7",
        "difficulties": ["care", "money"],
        "description": "Potrzebuję pomocy w organizacji dnia.",
        "step": "check",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def pesel_for(born: date, serial: str = "0123") -> str:
    """A valid PESEL for a birth date (serial's last digit decides the sex)."""
    offset = {1800: 80, 1900: 0, 2000: 20}[born.year // 100 * 100]
    digits = f"{born.year % 100:02d}{born.month + offset:02d}{born.day:02d}{serial}"
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    check = (10 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10) % 10
    return digits + str(check)


PESEL = pesel_for(date(1994, 3, 15), "1284")


def zz_answers(key: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form_key": key,
        "applicant": "pregnant",
        "full_name": NAME,
        "has_pesel": "yes",
        "pesel": PESEL,
        "phone": "+48 600 123 456",
        "street": "ul. Parkowa 1",
        "postal_code": "09-500",
        "city": "Gostynin",
        "due_date": (date.today() + timedelta(days=120)).isoformat(),
        "truthful": "y",
        "step": "check",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name: str = "zaświadczenie lekarskie.pdf") -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name
