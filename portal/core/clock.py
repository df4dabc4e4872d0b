"""The clock: one place that says what time it is, and calendar arithmetic.

Times are stored as naive UTC (`utcnow`), the same on SQLite and PostgreSQL.
Working days are the office's: Monday to Friday, minus Polish public holidays as
the `holidays` package knows them (Christmas Eve is one from 2025).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# Every centre is in Poland: its local day and its public holidays decide working days.
ZONE = ZoneInfo("Europe/Warsaw")


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


def local_moment(moment: datetime) -> datetime:
    """A stored (naive UTC) time as Polish local time, without a zone."""
    return moment.replace(tzinfo=UTC).astimezone(ZONE).replace(tzinfo=None)


def local_day(moment: datetime) -> date:
    """The Polish calendar day of a stored (naive UTC) time."""
    return local_moment(moment).date()


def local_today() -> date:
    """Today in Poland (what "after the deadline" is measured against)."""
    return local_day(utcnow())


@lru_cache(maxsize=16)
def public_holidays(year: int) -> frozenset[date]:
    """Poland's public holidays of one year, from the `holidays` package."""
    return frozenset(holidays.country_holidays("PL", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a Polish public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (0: `day`, or the next working day)."""
    day = next_working_day(day)
    for _ in range(count):
        day = next_working_day(day + timedelta(days=1))
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start` it is on `end` (0 on the same day; negative
    never: a day before `start` counts as 0)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
