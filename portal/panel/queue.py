"""The triage queue: filters, counts, two orders and keyset pagination.

Two orders: urgent first, then newest, then id (the default); or by due date,
earliest first, then id. Each is total (the id breaks ties). Pages are cut by the
last row's sort key, never by OFFSET, so page 1000 costs what page 1 does; the
indexes in `portal.panel.models` and `portal.referrals.models` serve each filter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, tuple_

from portal.auth.models import User
from portal.core.clock import local_today
from portal.core.extensions import db
from portal.panel.access import requests_for
from portal.panel.timefmt import day_end_utc, day_start_utc
from portal.referrals.lifecycle import KINDS, OPEN_STATUSES, STATUSES
from portal.referrals.models import Request

STATUS_CHOICES = ("open", "all", *STATUSES)
ASSIGNEE_CHOICES = ("all", "mine", "unassigned")
SORT_CHOICES = ("newest", "due")
PAGE_SIZE = 50
CURSOR_RE = re.compile(r"^([01])\.(\d{8}T\d{12})\.(\d{1,18})$")
DUE_CURSOR_RE = re.compile(r"^d(\d{8})\.(\d{1,18})$")
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
    overdue: bool = False
    sort: str = "newest"

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilter:
        """Read the filter from the query string."""
        status, kind, assignee = (args.get(k, "") for k in ("status", "kind", "assignee"))
        reference = re.sub(r"[^0-9A-Z-]", "", args.get("reference", "").upper())[:20]
        sort = args.get("sort", "")
        return cls(
            status=status if status in STATUS_CHOICES else "open",
            kind=kind if kind in KINDS else "",
            assignee=assignee if assignee in ASSIGNEE_CHOICES else "all",
            date_from=_date(args.get("date_from")),
            date_to=_date(args.get("date_to")),
            reference=reference,
            overdue=args.get("overdue") == "1",
            sort=sort if sort in SORT_CHOICES else "newest",
        )

    def query_args(self, **changes: str) -> dict[str, str]:
        """The filter as query-string values (defaults left out), for links."""
        values = {k: _arg(v) for k, v in asdict(self).items()}
        values.update(changes)
        defaults = {k: _arg(v) for k, v in asdict(QueueFilter()).items()}
        return {k: v for k, v in values.items() if v and v != defaults.get(k)}


def _arg(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    return "" if value is None else str(value)


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


def overdue_conditions(today: date | None = None) -> list[ColumnElement[bool]]:
    """Open and due before today: what "after the deadline" means (`lifecycle.is_overdue`)."""
    return [Request.status.in_(OPEN_STATUSES), Request.due_date < (today or local_today())]


def filtered(user: User, f: QueueFilter) -> Select[Request]:
    """The user's centre's requests that match the filter."""
    return requests_for(user).where(*_conditions(user, f, with_status=True))


def _conditions(user: User, f: QueueFilter, *, with_status: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    status = _status_condition(f.status) if with_status else None
    if f.overdue and with_status:
        # Overdue is open by definition: one status condition, not "open" twice.
        conditions.extend(overdue_conditions())
        status = None if f.status in ("open", "all") else status
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


def ordered(query: Select[Request], sort: str = "newest") -> Select[Request]:
    """The queue's order: urgent, newest, id; or (`sort="due"`) earliest due date, id."""
    if sort == "due":
        return query.order_by(Request.due_date, Request.id)
    return query.order_by(Request.urgent.desc(), Request.created_at.desc(), Request.id.desc())


def encode_cursor(req: Request, sort: str = "newest") -> str:
    """The position of a row in the queue, for `?po=` / `?przed=`."""
    if sort == "due":
        return f"d{req.due_date:%Y%m%d}.{req.id}"
    return f"{int(req.urgent)}.{req.created_at:%Y%m%dT%H%M%S%f}.{req.id}"


def decode_cursor(value: str | None) -> tuple[bool, datetime, int] | None:
    """A cursor of the default order back into (urgent, created_at, id); None when
    absent or malformed."""
    match = CURSOR_RE.match(value or "")
    if match is None:
        return None
    try:
        created = datetime.strptime(match.group(2), "%Y%m%dT%H%M%S%f")
    except ValueError:
        return None
    return match.group(1) == "1", created, int(match.group(3))


def decode_due_cursor(value: str | None) -> tuple[date, int] | None:
    """A cursor of the due-date order back into (due_date, id)."""
    match = DUE_CURSOR_RE.match(value or "")
    if match is None:
        return None
    try:
        due = datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None
    return due, int(match.group(2))


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue and the cursors of its neighbours."""

    rows: list[Request]
    next_cursor: str | None
    prev_cursor: str | None


def _keyset(sort: str, value: str | None) -> tuple[Any, tuple[Any, ...] | None]:
    """The sort key as a row value, and a cursor decoded for it."""
    if sort == "due":
        return tuple_(Request.due_date, Request.id), decode_due_cursor(value)
    return tuple_(Request.urgent, Request.created_at, Request.id), decode_cursor(value)


def _backwards(query: Select[Request], sort: str) -> Select[Request]:
    if sort == "due":
        return query.order_by(Request.due_date.desc(), Request.id.desc())
    return query.order_by(Request.urgent, Request.created_at, Request.id)


def page(
    user: User,
    f: QueueFilter,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> QueuePage:
    """The page after (or before) a cursor; without one, the first page."""
    # The newest-first order runs downwards (key < cursor), the due-date order upwards.
    down = f.sort != "due"
    key, back = _keyset(f.sort, before)
    if back is not None:
        query = filtered(user, f).where(key > tuple_(*back) if down else key < tuple_(*back))
        rows = _rows(_backwards(query, f.sort), size + 1)
        has_prev, rows = len(rows) > size, rows[:size][::-1]
        return _page(rows, f.sort, has_next=True, has_prev=has_prev)
    key, cursor = _keyset(f.sort, after)
    query = ordered(filtered(user, f), f.sort)
    if cursor is not None:
        query = query.where(key < tuple_(*cursor) if down else key > tuple_(*cursor))
    rows = _rows(query, size + 1)
    return _page(rows[:size], f.sort, has_next=len(rows) > size, has_prev=cursor is not None)


def _rows(query: Select[Request], limit: int) -> list[Request]:
    # The answers are read (for the triage columns) only for the rows of the page.
    return list(db.session.scalars(query.limit(limit)))


def _page(rows: list[Request], sort: str, *, has_next: bool, has_prev: bool) -> QueuePage:
    return QueuePage(
        rows=rows,
        next_cursor=encode_cursor(rows[-1], sort) if rows and has_next else None,
        prev_cursor=encode_cursor(rows[0], sort) if rows and has_prev else None,
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


def overdue_count(user: User, f: QueueFilter) -> int:
    """How many open requests are after their deadline, under the filter's other conditions."""
    query = (
        requests_for(user)
        .with_only_columns(func.count())
        .where(*_conditions(user, f, with_status=False), *overdue_conditions())
    )
    return int(db.session.scalar(query) or 0)


REPLIES_SHOWN = 20


def replies_for(user: User) -> list[Request]:
    """Requests with an applicant's reply not read yet, that `user` takes forward (or that
    nobody does yet): shown above the queue, oldest request first."""
    query = (
        requests_for(user)
        .where(Request.reply_waiting.is_(True))
        .where((Request.assignee_id == user.id) | Request.assignee_id.is_(None))
        .order_by(Request.id)
        .limit(REPLIES_SHOWN)
    )
    return list(db.session.scalars(query))
