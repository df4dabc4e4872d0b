"""CSV export of the filtered queue, for managers.

Safe in spreadsheets: a cell that starts like a formula is prefixed with an
apostrophe, so Excel or LibreOffice shows it as text instead of running it.
UTF-8 with a byte-order mark, so Excel reads Polish letters right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask_babel import gettext as _

from portal.audit import record
from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.access import staff_names
from portal.panel.labels import CLOSE_REASON_LABELS, KIND_LABELS, STATUS_LABELS
from portal.panel.queue import QueueFilter, filtered, ordered
from portal.panel.timefmt import local_date, local_datetime
from portal.referrals.models import Request

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000


def safe_cell(value: object) -> str:
    """A cell's text, defused if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def header() -> list[str]:
    """Column titles in the panel's language."""
    return [_("Numer"), _("Rodzaj"), _("Status"), _("Wpłynęło"), _("Pilne"),
            _("Adres poza terenem ośrodka"), _("Prowadzi"), _("Data wywiadu"),
            _("Data zgody rodziny"), _("Powód zamknięcia")]  # fmt: skip


def row(req: Request, names: dict[int, str]) -> list[str]:
    """One request as CSV cells (no answers: the export is the queue, not the files)."""
    yes, no = _("tak"), _("nie")
    return [
        req.reference, str(KIND_LABELS.get(req.kind, req.kind)),
        str(STATUS_LABELS.get(req.status, req.status)), local_datetime(req.created_at),
        yes if req.urgent else no, yes if req.outside_area else no,
        names.get(req.assignee_id, "") if req.assignee_id else "",
        local_date(req.interview_date), local_date(req.consent_date),
        str(CLOSE_REASON_LABELS.get(req.close_reason, "")) if req.close_reason else "",
    ]  # fmt: skip


def to_csv(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text, piece by piece: the BOM first, every cell defused."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for cells in rows:
        writer.writerow([safe_cell(c) for c in cells])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def describe(f: QueueFilter) -> str:
    """The filter for the audit trail: codes only, nothing typed by a person."""
    return (f"status={f.status} kind={f.kind or 'all'} assignee={f.assignee}"
            f" from={f.date_from or '-'} to={f.date_to or '-'}"
            f" reference={'yes' if f.reference else 'no'}")  # fmt: skip


def export(user: User, f: QueueFilter) -> Iterator[str]:
    """Record the export, then stream the filtered queue as CSV."""
    record("export", centre_slug=user.centre_slug, actor_id=user.id, detail=describe(f))
    db.session.commit()
    names = staff_names(user)

    def rows() -> Iterator[list[str]]:
        yield header()
        query = ordered(filtered(user, f)).execution_options(yield_per=BATCH)
        for req in db.session.scalars(query):
            yield row(req, names)

    return to_csv(rows())
