"""The clock: one place that says what time it is, and calendar arithmetic.

Times are stored as naive UTC (`utcnow`), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Now, in UTC, without a time zone (how the database stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):  # 31 January + 1 month is 28/29 February
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError("unreachable")
