"""A request as a PDF: one renderer for the family's paper file (the panel's printout) and
for the applicant's own copy (`portal.referrals.copy`).

fpdf2 with an embedded DejaVu Sans (Polish and Ukrainian letters), so the file prints
the same anywhere. The document is built from plain sections (a title, rows of label
and value, tables); what goes in is decided by the caller (the panel adds the
history and, at a manager's choice, the notes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

FONT = "DejaVu"
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"


class DocumentError(RuntimeError):
    """The PDF cannot be made here (no font installed): a setup problem, said plainly."""


@dataclass
class Section:
    """A heading and what follows it: label/value rows, a table, or paragraphs."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    table: list[Sequence[str]] = field(default_factory=list)  # first row: the headings
    widths: tuple[int, ...] = ()
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A whole document: its title, a line under it, sections, and a footer line."""

    title: str
    subtitle: str
    sections: list[Section]
    footer: str = ""


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 5, f"{self.footer_text}   {self.page_no()}/{{nb}}", align="C")


def _font_dir() -> Path:
    folder = Path(current_app.config["PORTAL_PDF_FONT_DIR"])
    if not (folder / REGULAR).is_file() or not (folder / BOLD).is_file():
        raise DocumentError(f"{REGULAR} and {BOLD} not found in {folder} (fonts-dejavu-core)")
    return folder


def add_fonts(pdf: FPDF) -> None:
    """DejaVu Sans, regular and bold, as `FONT` (raises DocumentError when not installed)."""
    folder = _font_dir()
    pdf.add_font(FONT, "", str(folder / REGULAR))
    pdf.add_font(FONT, "B", str(folder / BOLD))


def _section(pdf: _Pdf, section: Section) -> None:
    pdf.ln(3)
    if section.title:
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    if section.rows:
        # Character wrapping: a SHA-256 or a long address has no spaces to break at.
        with pdf.table(
            col_widths=(35, 65),
            text_align="LEFT",
            first_row_as_headings=False,
            line_height=5,
            padding=1,
            wrapmode=WrapMode.CHAR,
        ) as table:
            for label, value in section.rows:
                row = table.row()
                row.cell(label, style=FontFace(emphasis="BOLD"))
                row.cell(value)
    if section.table:
        widths = section.widths or tuple(1 for _ in section.table[0])
        with pdf.table(
            col_widths=widths, text_align="LEFT", line_height=5, padding=1, wrapmode=WrapMode.CHAR
        ) as table:
            for cells in section.table:
                row = table.row()
                for text in cells:
                    row.cell(text)
    for text in section.paragraphs:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def render(doc: Document) -> bytes:
    """The document as PDF bytes (fonts embedded, subset to the letters used)."""
    pdf = _Pdf(format="A4")
    pdf.footer_text = doc.footer
    pdf.set_title(doc.title)
    pdf.set_creator("Portal asystenta rodziny")
    add_fonts(pdf)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 9, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 5, doc.subtitle, new_x="LMARGIN", new_y="NEXT")
    for section in doc.sections:
        _section(pdf, section)
    return bytes(pdf.output())
