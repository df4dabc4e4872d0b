"""Working-day arithmetic as an office counts it: Easter, Christmas Eve, long weekends,
the centre's closing hour, and the clock change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from portal.core.centres import closing_time
from portal.core.clock import ZONE, add_working_days, is_working_day, working_days_between
from portal.referrals.lifecycle import due_date, is_overdue, received_day

CLOSES = time(15, 30)


def stored(local: str) -> datetime:
    """A Polish local time ("2026-04-02 10:00") as the database stores it (naive UTC)."""
    moment = datetime.fromisoformat(local).replace(tzinfo=ZONE)
    return moment.astimezone(UTC).replace(tzinfo=None)


def due(local: str, days: int = 5, *, urgent: bool = False) -> date:
    return due_date(stored(local), answer_days=days, closes_at=CLOSES, urgent=urgent)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 3), True),  # Good Friday is not a public holiday in Poland
        (date(2026, 4, 5), False),  # Easter Sunday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 6, 4), False),  # Corpus Christi (60 days after Easter)
        (date(2024, 12, 24), True),  # Christmas Eve was a working day until 2024
        (date(2025, 12, 24), False),  # ...and is a public holiday from 2025
        (date(2026, 12, 24), False),
        (date(2026, 11, 11), False),  # Independence Day
        (date(2026, 11, 7), False),  # a Saturday
        (date(2026, 11, 9), True),  # a Monday
    ],
)
def test_which_days_are_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_easter_is_stepped_over() -> None:
    # Thursday before Easter 2026: Fri 3 (1), [Sat, Sun, Easter Monday], Tue 7 (2) ... Fri 10 (5).
    assert due("2026-04-02 10:00") == date(2026, 4, 10)
    # The same five days in an ordinary week end a week later on the same weekday.
    assert due("2026-03-19 10:00") == date(2026, 3, 26)


def test_christmas_eve_counts_as_a_holiday_from_2025() -> None:
    # Tue 23 Dec 2025 + 1 working day: 24, 25, 26 are holidays, 27-28 a weekend → Mon 29.
    assert due("2025-12-23 10:00", 1) == date(2025, 12, 29)
    # In 2024 Christmas Eve (a Tuesday) was still a working day.
    assert due("2024-12-23 10:00", 1) == date(2024, 12, 24)
    # An urgent request sent on Christmas Eve 2025 is due on the next working day.
    assert due("2025-12-24 09:00", urgent=True) == date(2025, 12, 29)
    assert due("2024-12-24 09:00", urgent=True) == date(2024, 12, 24)


def test_the_may_long_weekend() -> None:
    # 1 May 2026 is a Friday (holiday), 3 May a Sunday: Thursday after closing hour counts
    # as received on Monday 4 May.
    assert received_day(stored("2026-04-30 16:00"), CLOSES) == date(2026, 5, 4)
    assert due("2026-04-30 16:00", urgent=True) == date(2026, 5, 4)
    assert due("2026-04-30 16:00", 5) == date(2026, 5, 11)
    # Before closing it counts from Thursday: Mon 4 (1) … Thu 7 (4), Fri 8 (5).
    assert due("2026-04-30 09:00", 5) == date(2026, 5, 8)


def test_an_urgent_request_is_due_the_same_working_day_until_closing() -> None:
    assert due("2026-11-24 15:29", urgent=True) == date(2026, 11, 24)
    assert due("2026-11-24 15:30", urgent=True) == date(2026, 11, 25)
    # Friday evening → Monday; Saturday → Monday.
    assert due("2026-11-27 18:00", urgent=True) == date(2026, 11, 30)
    assert due("2026-11-28 10:00", urgent=True) == date(2026, 11, 30)


def test_local_time_decides_across_the_clock_change() -> None:
    # 13:15 UTC is 14:15 in winter (open) but 15:15 in summer (open, just);
    # 14:00 UTC is 15:00 in winter (open) but 16:00 in summer (closed).
    assert received_day(datetime(2026, 1, 13, 14, 0), CLOSES) == date(2026, 1, 13)
    assert received_day(datetime(2026, 7, 14, 13, 15), CLOSES) == date(2026, 7, 14)
    assert received_day(datetime(2026, 7, 14, 14, 0), CLOSES) == date(2026, 7, 15)
    # 22:30 UTC on the 14th is already 00:30 on the 15th in Poland, before opening.
    assert received_day(datetime(2026, 7, 14, 22, 30), CLOSES) == date(2026, 7, 15)


def test_add_and_count_working_days_agree() -> None:
    start = date(2025, 12, 19)
    for count in range(0, 30):
        end = add_working_days(start, count)
        assert is_working_day(end)
        assert working_days_between(start, end) == count


def test_overdue_only_for_open_requests_past_their_day() -> None:
    today = date(2026, 11, 24)
    assert is_overdue(date(2026, 11, 23), "in_review", today)
    assert not is_overdue(today, "new", today)  # due today: not late yet
    assert not is_overdue(date(2026, 11, 1), "closed", today)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"hours": [{"time": "7:30–15:30"}]}, time(15, 30)),
        ({"hours": [{"time": "8:00–16:00"}, {"time": "7:30-15:00"}]}, time(15, 0)),
        ({"hours": [{"time": "8:00–16:00"}], "closes_at": "17:15"}, time(17, 15)),
        ({"hours": [{"time": "po umówieniu"}]}, time(15, 0)),
    ],
)
def test_the_closing_hour_comes_from_the_centre(data: dict[str, object], expected: time) -> None:
    assert closing_time(data) == expected
