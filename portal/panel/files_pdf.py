"""All files of a request as one PDF, for staff: each file under a heading with its label.

In the order the request page lists them, each file gets a page headed by its label and
name, the question it answers and "file n of N": an image fills the rest of that page
(A4, fitted within the margins), a PDF's own pages follow it. Every file has an outline
entry (a bookmark) at its heading. A PDF that cannot be read gets its heading page with
a line saying so, and the others still come: one bad file does not cost the download.

The headings and images are one fpdf2 document (DejaVu Sans, as the printout: parsing
the font takes half a second, so once per download, not once per file); pikepdf then
puts its pages and the PDFs' pages together. Files are decrypted one at a time, but the
PDFs stay open until the whole is saved (pikepdf copies their pages lazily).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf
from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF

from portal.panel.timefmt import local_datetime
from portal.referrals.display import (
    attachment_content,
    attachment_title,
    file_questions,
    files_in_order,
)
from portal.referrals.document import FONT, add_fonts
from portal.referrals.models import Attachment, Request

PDF = "application/pdf"
MARGIN = 15  # mm, every side
GAP = 4  # mm between the heading and the image


@dataclass
class _Part:
    """One file in the whole: where its generated pages start, and its PDF if it has one."""

    title: str
    first_page: int  # 0-based, in the generated document
    source: pikepdf.Pdf | None = None


@dataclass
class _Build:
    """The generated document (headings and images) and the files placed in it so far."""

    sheet: FPDF
    parts: list[_Part] = field(default_factory=list)


def _sheet() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creator("Portal asystenta rodziny")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    add_fonts(pdf)
    return pdf


def _line(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph across the page; the next starts at the left margin below it."""
    pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, req: Request, att: Attachment, place: str, question: str) -> None:
    pdf.add_page()
    pdf.set_font(FONT, size=9)
    _line(pdf, 5, f"{_('Zgłoszenie %(ref)s', ref=req.reference)} · {place}")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 14)
    _line(pdf, 7, attachment_title(att))
    pdf.set_font(FONT, size=10)
    if question:
        _line(pdf, 5, _("Pytanie: %(question)s", question=question))
    size = f"{att.media_type}, {(att.size + 1023) // 1024} kB, {local_datetime(att.created_at)}"
    _line(pdf, 5, size)


def _image(pdf: FPDF, content: bytes) -> bool:
    """The image fitted into what is left of the page under the heading; False if it cannot
    be read (stored images are re-encoded, so this is a damaged row, not an upload)."""
    top = pdf.get_y() + GAP
    box = pdf.h - MARGIN - top
    try:
        pdf.image(io.BytesIO(content), x=MARGIN, y=top, w=pdf.epw, h=box, keep_aspect_ratio=True)
    except (OSError, ValueError):  # Pillow's UnidentifiedImageError is an OSError
        return False
    return True


def _not_included(pdf: FPDF, att: Attachment) -> None:
    pdf.ln(GAP)
    pdf.set_font(FONT, "B", 11)
    _line(
        pdf,
        6,
        _(
            "Nie udało się dołączyć pliku „%(name)s”: nie daje się go odczytać. "
            "Pobierz go osobno ze strony zgłoszenia.",
            name=attachment_title(att),
        ),
    )


def _readable_pdf(content: bytes) -> pikepdf.Pdf | None:
    try:
        source = pikepdf.open(io.BytesIO(content))
        len(source.pages)  # a damaged page tree shows here, not only when saved
    except pikepdf.PdfError:
        return None
    return source


def _add(build: _Build, req: Request, att: Attachment, place: str, question: str) -> None:
    """One file's heading page (with the image, for an image), decrypting it just now."""
    content = attachment_content(att)
    _heading(build.sheet, req, att, place, question)
    part = _Part(attachment_title(att), build.sheet.page_no() - 1)
    if att.media_type == PDF:
        part.source = _readable_pdf(content)
        readable = part.source is not None
    else:
        readable = _image(build.sheet, content)
    if not readable:
        # The id only: the log keeps no names of files.
        current_app.logger.warning("file %s not included in the PDF of all files", att.id)
        _not_included(build.sheet, att)
    build.parts.append(part)


def _assemble(build: _Build) -> io.BytesIO:
    """The generated pages and the PDFs' pages, interleaved, with one bookmark per file."""
    generated = pikepdf.open(io.BytesIO(bytes(build.sheet.output())))
    ends = [p.first_page for p in build.parts[1:]] + [len(generated.pages)]
    whole = pikepdf.new()
    with whole.open_outline() as outline:
        for part, end in zip(build.parts, ends, strict=True):
            outline.root.append(pikepdf.OutlineItem(part.title, len(whole.pages)))
            whole.pages.extend(generated.pages[part.first_page : end])
            if part.source is not None:
                whole.pages.extend(part.source.pages)
    # Viewers open with the bookmarks shown: they are the table of contents.
    whole.Root.PageMode = pikepdf.Name.UseOutlines
    out = io.BytesIO()
    whole.save(out)
    out.seek(0)
    return out


def all_files_pdf(req: Request, lang: str) -> tuple[io.BytesIO, int]:
    """The request's files as one PDF, and how many files it holds.

    Raises `portal.referrals.document.DocumentError` when the font is not installed.
    """
    files = files_in_order(req)
    questions = file_questions(req, lang)
    build = _Build(_sheet())
    for n, att in enumerate(files, start=1):
        place = _("plik %(n)d z %(total)d", n=n, total=len(files))
        _add(build, req, att, place, questions.get(att.question or "", ""))
    return _assemble(build), len(files)
