"""Exports of the filtered queue for managers: CSV and XLSX that open right in Polish
Excel and LibreOffice.

CSV: `;` between cells (Polish Excel reads `,` as the decimal mark), UTF-8 with a
byte-order mark (or Excel guesses another code page), dates in ISO 8601. XLSX
(openpyxl): dates as real date cells, every text as text. Both are formula-safe: a
CSV cell that starts like a formula gets an apostrophe, so Excel or LibreOffice shows
it as text instead of running it; an XLSX cell is typed as a string, never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from portal.audit import record
from portal.auth.models import User
from portal.core.clock import local_moment, local_today
from portal.core.extensions import db
from portal.panel.access import staff_names
from portal.panel.labels import CLOSE_REASON_LABELS, KIND_LABELS, STATUS_LABELS
from portal.panel.queue import QueueFilter, filtered, ordered
from portal.referrals.lifecycle import is_overdue
from portal.referrals.models import Request

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000
Cell = str | date | datetime | None


def safe_cell(value: object) -> str:
    """A cell's text, defused if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def header() -> list[str]:
    """Column titles in the panel's language."""
    return [
        _("Numer"),
        _("Rodzaj"),
        _("Status"),
        _("Wpłynęło"),
        _("Termin odpowiedzi"),
        _("Po terminie"),
        _("Pilne"),
        _("Adres poza terenem ośrodka"),
        _("Prowadzi"),
        _("Data wywiadu"),
        _("Data zgody rodziny"),
        _("Powód zamknięcia"),
    ]


def row(req: Request, names: dict[int, str], today: date) -> list[Cell]:
    """One request as cells (no answers: the export is the queue, not the files).

    Times are local (Polish) and without a zone, as an office reads them.
    """
    yes, no = _("tak"), _("nie")
    return [
        req.reference,
        str(KIND_LABELS.get(req.kind, req.kind)),
        str(STATUS_LABELS.get(req.status, req.status)),
        local_moment(req.created_at).replace(microsecond=0),
        req.due_date,
        yes if is_overdue(req.due_date, req.status, today) else no,
        yes if req.urgent else no,
        yes if req.outside_area else no,
        names.get(req.assignee_id, "") if req.assignee_id else "",
        req.interview_date,
        req.consent_date,
        str(CLOSE_REASON_LABELS.get(req.close_reason, "")) if req.close_reason else "",
    ]


def iso(value: Cell) -> str:
    """A cell as CSV text: dates and times in ISO 8601, text defused."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def to_csv(rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """CSV text, piece by piece: the BOM first, `;` between cells, every cell defused."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for cells in rows:
        writer.writerow([iso(c) for c in cells])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def text_cell(sheet: WriteOnlyWorksheet, value: Cell) -> WriteOnlyCell:
    """An XLSX cell: a date as a date, anything else as text that is never a formula."""
    if isinstance(value, datetime | date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        return cell
    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    # openpyxl reads a leading "=" as a formula; typing the cell as a string keeps it text.
    cell.data_type = "s"
    return cell


def to_xlsx(sheets: Iterable[tuple[str, Iterable[Sequence[Cell]]]]) -> bytes:
    """An XLSX workbook of named sheets of rows (write-only: rows are not kept in memory)."""
    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for cells in rows:
            sheet.append([text_cell(sheet, c) for c in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def describe(f: QueueFilter, fmt: str) -> str:
    """The filter for the audit trail: codes only, nothing typed by a person."""
    return (
        f"status={f.status} kind={f.kind or 'all'} assignee={f.assignee}"
        f" from={f.date_from or '-'} to={f.date_to or '-'}"
        f" reference={'yes' if f.reference else 'no'} overdue={'yes' if f.overdue else 'no'}"
        f" format={fmt}"
    )


def _rows(user: User, f: QueueFilter) -> Iterator[list[Cell]]:
    # Read now, while the account is loaded: the rows are streamed after the view returns.
    names, today = staff_names(user), local_today()
    head: list[Cell] = list(header())
    query = ordered(filtered(user, f), f.sort).execution_options(yield_per=BATCH)

    def rows() -> Iterator[list[Cell]]:
        yield head
        for req in db.session.scalars(query):
            yield row(req, names, today)

    return rows()


def export(user: User, f: QueueFilter) -> Iterator[str]:
    """Record the export, then stream the filtered queue as CSV."""
    record("export", centre_slug=user.centre_slug, actor_id=user.id, detail=describe(f, "csv"))
    db.session.commit()
    return to_csv(_rows(user, f))


def export_xlsx(user: User, f: QueueFilter) -> bytes:
    """Record the export, then the filtered queue as an XLSX workbook."""
    record("export", centre_slug=user.centre_slug, actor_id=user.id, detail=describe(f, "xlsx"))
    db.session.commit()
    return to_xlsx([(_("Zgłoszenia"), _rows(user, f))])
