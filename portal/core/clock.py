"""The clock: one place that says what time it is, and calendar arithmetic.

Times are stored as naive UTC (`utcnow`), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


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


# Every centre is in Poland: its local day and its public holidays decide working days.
ZONE = ZoneInfo("Europe/Warsaw")


def local_day(moment: datetime) -> date:
    """The Polish calendar day of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(ZONE).date()


@lru_cache(maxsize=8)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("PL", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a Polish public holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (0: `day` itself if it is one,
    else the next working day)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    for _ in range(count):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return day
