"""The applicant's own copy of what they sent, as a PDF ("Pobierz potwierdzenie").

Only the browser session that sent the request may download it, and only for an hour:
the confirmation's address alone (or the status link) never leads to health data.
fpdf2 writes it (pure Python, no system libraries), with DejaVu Sans embedded so that
Polish and Ukrainian letters render.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from flask_babel import format_datetime, gettext, ngettext
from fpdf import FPDF

from portal.core.centres import Centre
from portal.referrals.display import answer_rows, attachment_content, attachment_name
from portal.referrals.models import Request

COPY_SECONDS = 3600
SESSION_KEY = "sent_copy"
# Debian's fonts-dejavu-core (.ci/run installs it): every Latin and Cyrillic letter.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def remember_sent(session: MutableMapping[str, Any], req: Request) -> None:
    """This session sent `req`: it may download the copy for an hour."""
    session[SESSION_KEY] = {"id": req.id, "until": time.time() + COPY_SECONDS}


def may_download(session: MutableMapping[str, Any], req: Request) -> bool:
    """Whether this session sent `req` less than an hour ago."""
    mark = session.get(SESSION_KEY)
    if not isinstance(mark, dict):
        return False
    return mark.get("id") == req.id and float(mark.get("until", 0)) > time.time()


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 13) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", size)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)


def _line(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")


def render_copy(req: Request, centre: Centre, lang: str) -> bytes:
    """The copy: centre, reference, when sent, every answer as asked, the files, what next."""
    pdf = _pdf()
    pdf.set_title(gettext("Potwierdzenie wysłania"))
    _heading(pdf, gettext("Potwierdzenie wysłania"), 16)
    _line(pdf, f"{centre.name}\n{centre.address}")
    _line(pdf, gettext("Numer sprawy: %(reference)s", reference=req.reference))
    _line(pdf, gettext("Wysłano: %(when)s", when=format_datetime(req.created_at, "long")))
    _heading(pdf, gettext("Twoje odpowiedzi"))
    for question, answer in answer_rows(req, lang):
        pdf.set_font("DejaVu", "B", 10)
        _line(pdf, question)
        pdf.set_font("DejaVu", "", 10)
        _line(pdf, answer)
        pdf.ln(1.5)
    if req.attachments:
        _heading(pdf, gettext("Pliki"))
        for att in req.attachments:
            digest = hashlib.sha256(attachment_content(att)).hexdigest()
            _line(pdf, f"{attachment_name(att)} – {att.size} B\nSHA-256: {digest}")
    _heading(pdf, gettext("Co dalej"))
    days = centre.answer_days
    _line(
        pdf,
        ngettext(
            "Pracownik ośrodka skontaktuje się z Tobą w ciągu %(num)d dnia roboczego.",
            "Pracownik ośrodka skontaktuje się z Tobą w ciągu %(num)d dni roboczych.",
            days,
        ),
    )
    phone = centre.phones[0].number if centre.phones else ""
    _line(pdf, gettext("Kontakt z ośrodkiem:") + f" {phone}, {centre.email}")
    return bytes(pdf.output())
