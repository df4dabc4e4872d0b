"""A centre's figures for a year (`/panel/statystyki`), from SQL aggregates.

For a year and a range of months, by the month a request arrived: requests by form
and month, by status and close reason, by postal code; the median working days to
the first answer and to a decision; how many went past their deadline. Nothing is
counted row by row in Python: the database groups the rows once by form, month,
status, reason and postal code (a few hundred groups at most) and the tables are
sums of those groups; the medians come from histograms of whole working days, also
grouped in SQL. Months are calendar months in UTC, so a request sent in the first
hour of a month (Polish time) counts in the month before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, extract, func, or_

from portal.auth.models import User
from portal.core.clock import local_today, utcnow
from portal.core.extensions import db
from portal.panel.access import requests_for
from portal.referrals.models import Request

FIRST_YEAR = 2024


@dataclass(frozen=True)
class StatsFilter:
    """A year and its months (inclusive)."""

    year: int
    month_from: int = 1
    month_to: int = 12

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> StatsFilter:
        """Read the filter; anything out of range falls back to this whole year."""
        this_year = utcnow().year
        year = _number(args.get("rok"), FIRST_YEAR, this_year, this_year)
        first = _number(args.get("od"), 1, 12, 1)
        last = _number(args.get("do"), 1, 12, 12)
        return cls(year, min(first, last), max(first, last))

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the chosen months as stored (naive UTC) times."""
        end_year, end_month = (
            (self.year + 1, 1) if self.month_to == 12 else (self.year, self.month_to + 1)
        )
        return datetime(self.year, self.month_from, 1), datetime(end_year, end_month, 1)

    def query_args(self) -> dict[str, str]:
        return {"rok": str(self.year), "od": str(self.month_from), "do": str(self.month_to)}


def _number(text: str | None, low: int, high: int, default: int) -> int:
    value = int(text) if text and text.isdigit() and len(text) <= 4 else default
    return value if low <= value <= high else default


def years() -> list[int]:
    """The years one may choose, newest first."""
    return list(range(utcnow().year, FIRST_YEAR - 1, -1))


@dataclass(frozen=True)
class Figures:
    """The figures of one centre for the chosen months."""

    total: int
    by_form_month: dict[tuple[str, int], int]
    by_status_reason: dict[tuple[str, str | None], int]
    by_postal_code: list[tuple[str | None, int]]
    contact_median: float | None
    decision_median: float | None
    contacted: int
    decided: int
    late: int


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """The median of whole numbers given as (value, how many), sorted by value."""
    total = sum(n for _v, n in histogram)
    if not total:
        return None
    middle = ((total - 1) // 2, total // 2)  # the one or two middle positions
    found: list[int] = []
    seen = 0
    for value, count in histogram:
        found += [value for position in middle if seen <= position < seen + count]
        seen += count
    return sum(found) / len(found)


def histogram_query(base: Select[Request], column: Any) -> Select[*tuple[Any, ...]]:
    """How many requests have each value of `column` (whole working days), in order."""
    return (
        base.with_only_columns(column, func.count())
        .where(column.is_not(None))
        .group_by(column)
        .order_by(column)
    )


def _histogram(base: Select[Request], column: Any) -> list[tuple[int, int]]:
    return [(int(v), int(n)) for v, n in db.session.execute(histogram_query(base, column))]


def late_condition() -> ColumnElement[bool]:
    """Answered after the due date, or still waiting for an answer past it.

    A request that left "new" before first answers were recorded has no date: it is
    not counted either way (unknown, not late).
    """
    return or_(
        Request.first_contact_on > Request.due_date,
        and_(
            Request.first_contact_on.is_(None),
            Request.status == "new",
            Request.due_date < local_today(),
        ),
    )


def figures(viewer: User, f: StatsFilter) -> Figures:
    """Every figure, each one grouped by the database."""
    start, end = f.bounds()
    base = requests_for(viewer).where(Request.created_at >= start, Request.created_at < end)
    groups = _groups(base)
    contact = _histogram(base, Request.contact_days)
    decision = _histogram(base, Request.decision_days)
    form_month: Counter[tuple[str, int]] = Counter()
    status_reason: Counter[tuple[str, str | None]] = Counter()
    postal: Counter[str | None] = Counter()
    late = 0
    for g in groups:
        form_month[g.kind, g.month] += g.count
        status_reason[g.status, g.reason] += g.count
        postal[g.postal_code] += g.count
        late += g.late
    return Figures(
        total=sum(g.count for g in groups),
        by_form_month=dict(form_month),
        by_status_reason=dict(status_reason),
        by_postal_code=sorted(postal.items(), key=lambda pair: (-pair[1], pair[0] or "")),
        contact_median=_median(contact),
        decision_median=_median(decision),
        contacted=sum(n for _v, n in contact),
        decided=sum(n for _v, n in decision),
        late=late,
    )


@dataclass(frozen=True)
class _Group:
    kind: str
    month: int
    status: str
    reason: str | None
    postal_code: str | None
    count: int
    late: int


def _groups(base: Select[Request]) -> list[_Group]:
    """One pass over the rows: counts by form, month, status, reason and postal code (at
    most a few hundred groups), each with how many of it went past the deadline. The
    tables of the page are sums of these groups, so the rows are read once, not once a
    table."""
    return [
        _Group(
            str(k),
            int(m),
            str(s),
            None if r is None else str(r),
            None if c is None else str(c),
            int(n),
            int(lt or 0),
        )
        for k, m, s, r, c, n, lt in db.session.execute(grouped_query(base))
    ]


def grouped_query(base: Select[Request]) -> Select[*tuple[Any, ...]]:
    """The one pass of `_groups`: counts and late counts by form, month, status, reason
    and postal code."""
    month = extract("month", Request.created_at)
    keys = (Request.kind, month, Request.status, Request.close_reason, Request.postal_code)
    late = func.sum(case((late_condition(), 1), else_=0))
    return base.with_only_columns(*keys, func.count(), late).group_by(*keys)
