"""The applicant's own copy of what they sent, as a PDF ("Pobierz potwierdzenie").

Only the browser session that sent the request may download it, and only for an hour:
the confirmation's address alone (or the status link) never leads to health data.
fpdf2 writes it (pure Python, no system libraries), with DejaVu Sans embedded so that
Polish and Ukrainian letters render (`portal.referrals.document`, PORTAL_PDF_FONT_DIR:
Debian's fonts-dejavu-core, which .ci/run installs).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import MutableMapping
from typing import Any

from flask_babel import format_datetime, gettext, ngettext

from portal.core.centres import Centre
from portal.referrals.display import answer_rows, attachment_content, attachment_title
from portal.referrals.document import Document, Section, render
from portal.referrals.models import Request

COPY_SECONDS = 3600
SESSION_KEY = "sent_copy"


def remember_sent(session: MutableMapping[str, Any], req: Request) -> None:
    """This session sent `req`: it may download the copy for an hour."""
    session[SESSION_KEY] = {"id": req.id, "until": time.time() + COPY_SECONDS}


def may_download(session: MutableMapping[str, Any], req: Request) -> bool:
    """Whether this session sent `req` less than an hour ago."""
    mark = session.get(SESSION_KEY)
    if not isinstance(mark, dict):
        return False
    return mark.get("id") == req.id and float(mark.get("until", 0)) > time.time()


def render_copy(req: Request, centre: Centre, lang: str) -> bytes:
    """The copy: centre, reference, when sent, every answer as asked, the files, what next.

    Written by the same renderer as the panel's printout (`portal.referrals.document`).
    """
    files = [
        f"{attachment_title(att)} – {att.size} B\n"
        f"SHA-256: {hashlib.sha256(attachment_content(att)).hexdigest()}"
        for att in req.attachments
    ]
    phone = centre.phones[0].number if centre.phones else ""
    next_steps = [
        ngettext(
            "Pracownik ośrodka skontaktuje się z Tobą w ciągu %(num)d dnia roboczego.",
            "Pracownik ośrodka skontaktuje się z Tobą w ciągu %(num)d dni roboczych.",
            centre.answer_days,
        ),
        gettext("Kontakt z ośrodkiem:") + f" {phone}, {centre.email}",
    ]
    sent = [
        gettext("Numer sprawy: %(reference)s", reference=req.reference),
        gettext("Wysłano: %(when)s", when=format_datetime(req.created_at, "long")),
    ]
    sections = [
        Section("", paragraphs=sent),
        Section(gettext("Twoje odpowiedzi"), rows=answer_rows(req, lang)),
    ]
    if files:
        sections.append(Section(gettext("Pliki"), paragraphs=files))
    sections.append(Section(gettext("Co dalej"), paragraphs=next_steps))
    title = gettext("Potwierdzenie wysłania")
    return render(Document(title, f"{centre.name}\n{centre.address}", sections))
