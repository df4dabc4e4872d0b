"""Times for staff: stored in UTC, shown and filtered in the centres' own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_datetime, format_timedelta

# Every centre is in Poland; one zone is enough.
ZONE = ZoneInfo("Europe/Warsaw")


def to_local(moment: datetime) -> datetime:
    """A stored (naive UTC) time in Polish local time."""
    return moment.replace(tzinfo=UTC).astimezone(ZONE)


def day_start_utc(day: date) -> datetime:
    """Midnight of a local day, as a naive UTC time comparable with stored times."""
    return datetime.combine(day, time.min, ZONE).astimezone(UTC).replace(tzinfo=None)


def day_end_utc(day: date) -> datetime:
    """Midnight after a local day, as a naive UTC time (exclusive upper bound)."""
    return day_start_utc(day + timedelta(days=1))


def local_datetime(moment: datetime | None) -> str:
    """E.g. "24 lis 2026, 19:43" in the panel's language."""
    if moment is None:
        return ""
    local = to_local(moment).replace(tzinfo=None)
    return str(format_datetime(local, "d MMM y, HH:mm", rebase=False))


def local_date(value: datetime | date | None) -> str:
    """A date (a stored time's local date) in the panel's language."""
    if value is None:
        return ""
    day = to_local(value).date() if isinstance(value, datetime) else value
    return str(format_date(day, "medium"))


def ago(moment: datetime, now: datetime) -> str:
    """E.g. "2 dni temu"."""
    return str(format_timedelta(moment - now, granularity="minute", add_direction=True))
