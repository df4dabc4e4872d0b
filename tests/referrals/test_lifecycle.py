"""The request lifecycle: one module says every status, step, end and wording."""

from __future__ import annotations

from datetime import date

from flask import Flask

from portal.panel.labels import STATUS_LABELS
from portal.referrals import lifecycle


def test_every_step_leads_to_a_known_status() -> None:
    steps = [*lifecycle.TRANSITIONS.items(), *lifecycle.APPLICANT_TRANSITIONS.items()]
    for status, targets in steps:
        assert status in lifecycle.STATUSES
        assert set(targets) <= set(lifecycle.STATUSES)


def test_final_statuses_have_no_way_on_and_every_open_one_can_close() -> None:
    for status in lifecycle.STATUSES:
        if lifecycle.is_final(status):
            assert lifecycle.next_statuses(status) == ()
        else:
            assert "closed" in lifecycle.next_statuses(status)
    assert set(lifecycle.OPEN_STATUSES) | set(lifecycle.FINAL_STATUSES) == set(lifecycle.STATUSES)


def test_every_status_is_reachable_from_new() -> None:
    """By the steps of staff, or the applicant's (withdrawing from the status page)."""
    seen, todo = {"new"}, ["new"]
    while todo:
        status = todo.pop()
        for nxt in lifecycle.next_statuses(status) + lifecycle.applicant_next_statuses(status):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(lifecycle.STATUSES)


def test_every_status_has_words_for_the_applicant_and_for_staff(app: Flask) -> None:
    with app.test_request_context("/en/"):
        for status in lifecycle.STATUSES:
            assert str(lifecycle.STATUS_TEXT[status]).strip()
            assert str(STATUS_LABELS[status]).strip()
    assert set(lifecycle.STEPS) <= set(lifecycle.STATUSES)


def test_retention_counts_calendar_months() -> None:
    assert lifecycle.retention_until(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert lifecycle.retention_until(date(2026, 12, 2), 12) == date(2027, 12, 2)
