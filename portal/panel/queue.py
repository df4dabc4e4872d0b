"""The triage queue: filters, counts per status and keyset pagination.

Order: urgent first, then newest, then id (a tie-breaker that makes the order
total). Pages are cut by the last row's (urgent, created_at, id), never by
OFFSET, so page 1000 costs what page 1 does; the indexes in
`portal.panel.models` and `portal.referrals.models` serve each filter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, func, tuple_
from sqlalchemy.orm import defer

from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.access import requests_for
from portal.panel.timefmt import day_end_utc, day_start_utc
from portal.referrals.lifecycle import KINDS, OPEN_STATUSES, STATUSES
from portal.referrals.models import Request

STATUS_CHOICES = ("open", "all", *STATUSES)
ASSIGNEE_CHOICES = ("all", "mine", "unassigned")
PAGE_SIZE = 50
CURSOR_RE = re.compile(r"^([01])\.(\d{8}T\d{12})\.(\d{1,18})$")
REFERENCE_RE = re.compile(r"^[A-Z]{3}-\d{4}-[0-9A-Z]{5}$")


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows; unknown values in the query string fall back to defaults."""

    status: str = "open"
    kind: str = ""
    assignee: str = "all"
    date_from: date | None = None
    date_to: date | None = None
    reference: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilter:
        """Read the filter from the query string."""
        status, kind, assignee = (args.get(k, "") for k in ("status", "kind", "assignee"))
        reference = re.sub(r"[^0-9A-Z-]", "", args.get("reference", "").upper())[:20]
        return cls(
            status=status if status in STATUS_CHOICES else "open",
            kind=kind if kind in KINDS else "",
            assignee=assignee if assignee in ASSIGNEE_CHOICES else "all",
            date_from=_date(args.get("date_from")),
            date_to=_date(args.get("date_to")),
            reference=reference,
        )

    def query_args(self, **changes: str) -> dict[str, str]:
        """The filter as query-string values (defaults left out), for links."""
        values = {k: ("" if v is None else str(v)) for k, v in asdict(self).items()}
        values.update(changes)
        defaults = {k: ("" if v is None else str(v)) for k, v in asdict(QueueFilter()).items()}
        return {k: v for k, v in values.items() if v and v != defaults.get(k)}


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _status_condition(status: str) -> ColumnElement[bool] | None:
    if status == "open":
        return Request.status.in_(OPEN_STATUSES)
    if status in STATUSES:
        return Request.status == status
    return None


def _reference_condition(text: str) -> ColumnElement[bool]:
    if REFERENCE_RE.match(text):
        return Request.reference == text
    if re.fullmatch(r"[0-9A-Z]{5}", text):  # only the code read out on the phone
        return Request.reference.endswith("-" + text)
    return Request.reference.startswith(text)


def filtered(user: User, f: QueueFilter) -> Select[Request]:
    """The user's centre's requests that match the filter."""
    return requests_for(user).where(*_conditions(user, f, with_status=True))


def _conditions(user: User, f: QueueFilter, *, with_status: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    status = _status_condition(f.status) if with_status else None
    if status is not None:
        conditions.append(status)
    if f.kind:
        conditions.append(Request.kind == f.kind)
    if f.assignee == "mine":
        conditions.append(Request.assignee_id == user.id)
    elif f.assignee == "unassigned":
        conditions.append(Request.assignee_id.is_(None))
    if f.date_from:
        conditions.append(Request.created_at >= day_start_utc(f.date_from))
    if f.date_to:
        conditions.append(Request.created_at < day_end_utc(f.date_to))
    if f.reference:
        conditions.append(_reference_condition(f.reference))
    return conditions


def ordered(query: Select[Request]) -> Select[Request]:
    """The queue's order: urgent, newest, id."""
    return query.order_by(Request.urgent.desc(), Request.created_at.desc(), Request.id.desc())


def encode_cursor(req: Request) -> str:
    """The position of a row in the queue, for `?po=` / `?przed=`."""
    return f"{int(req.urgent)}.{req.created_at:%Y%m%dT%H%M%S%f}.{req.id}"


def decode_cursor(value: str | None) -> tuple[bool, datetime, int] | None:
    """A cursor back into (urgent, created_at, id); None when absent or malformed."""
    match = CURSOR_RE.match(value or "")
    if match is None:
        return None
    try:
        created = datetime.strptime(match.group(2), "%Y%m%dT%H%M%S%f")
    except ValueError:
        return None
    return match.group(1) == "1", created, int(match.group(3))


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue and the cursors of its neighbours."""

    rows: list[Request]
    next_cursor: str | None
    prev_cursor: str | None


def page(user: User, f: QueueFilter, after: str | None = None, before: str | None = None,
         size: int = PAGE_SIZE) -> QueuePage:  # fmt: skip
    """The page after (or before) a cursor; without one, the first page."""
    key = tuple_(Request.urgent, Request.created_at, Request.id)
    # The queue shows no answers: leave the encrypted blob in the database.
    lean = defer(Request.answers)
    back = decode_cursor(before)
    if back is not None:
        query = filtered(user, f).where(key > tuple_(*back)).order_by(
            Request.urgent, Request.created_at, Request.id)  # fmt: skip
        rows = list(db.session.scalars(query.options(lean).limit(size + 1)))
        has_prev, rows = len(rows) > size, rows[:size][::-1]
        return _page(rows, has_next=True, has_prev=has_prev)
    cursor = decode_cursor(after)
    query = ordered(filtered(user, f))
    if cursor is not None:
        query = query.where(key < tuple_(*cursor))
    rows = list(db.session.scalars(query.options(lean).limit(size + 1)))
    return _page(rows[:size], has_next=len(rows) > size, has_prev=cursor is not None)


def _page(rows: list[Request], *, has_next: bool, has_prev: bool) -> QueuePage:
    return QueuePage(
        rows=rows,
        next_cursor=encode_cursor(rows[-1]) if rows and has_next else None,
        prev_cursor=encode_cursor(rows[0]) if rows and has_prev else None,
    )


def status_counts(user: User, f: QueueFilter) -> dict[str, int]:
    """How many requests of each status match the filter's other conditions."""
    query = (
        requests_for(user)
        .with_only_columns(Request.status, func.count())
        .where(*_conditions(user, f, with_status=False))
        .group_by(Request.status)
    )
    rows = db.session.execute(query)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({str(status): int(n) for status, n in rows})
    return counts
