"""Helpers of the staff panel's browser tests: test data in the live app, keys, checks.

Data is made in the live server's app (same process, another thread) with the
panel tests' factories, inside `app.app_context()`. Every account gets a unique
address, since the database lives for the whole session. The keyboard helpers
press keys only (Tab, Shift+Tab, arrows, typing, Enter): no `.click()`, no `.fill()`.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pyotp
from flask import Flask

from portal.core.extensions import db
from portal.referrals.models import Request
from tests.browser.flows import (
    assert_accessible,
    assert_no_sideways_scroll,
    focus_matches,
    focused,
    tab_to,
)
from tests.panel.factories import PASSWORD, PDF, Staff, make_request, make_user

# Pages of the panel hold many tab stops (a date input has three): allow for them all.
TAB_LIMIT = 120


def unique_email(who: str, centre: str) -> str:
    return f"{who}-{secrets.token_hex(4)}@{centre}.example.org"


def new_staff(app: Flask, centre: str = "tomice", role: str = "worker") -> Staff:
    """An account with a password and a confirmed TOTP secret, in the live app."""
    with app.app_context():
        return make_user(unique_email(role, centre), centre, role)


@dataclass(frozen=True)
class StoredRequest:
    id: int
    reference: str
    attachment_ids: list[int]


def new_request(app: Flask, centre: str = "tomice", **options: Any) -> StoredRequest:
    """A stored request (encrypted answers, one PDF unless `files` says otherwise)."""
    options.setdefault("files", [("zaświadczenie.pdf", PDF)])
    with app.app_context():
        rid = make_request(centre, **options)
        req = db.session.get(Request, rid)
        assert req is not None
        return StoredRequest(rid, req.reference, [a.id for a in req.attachments])


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """The TOTP code of a secret now (or some 30-second steps later; the portal accepts
    the next step too, so a second login within the same half-minute still works)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def wrong_code(secret: str) -> str:
    """Six digits that are none of the codes the portal would accept now."""
    accepted = {code_for(secret, step) for step in (-1, 0, 1, 2)}
    return next(c for c in ("123456", "654321", "111111", "999999") if c not in accepted)


# --- keys ---------------------------------------------------------------------------------


def tab(page: Any, selector: str, *, backwards: bool = False) -> None:
    """Tab (or Shift+Tab) to an element, which must then show that it has the focus."""
    tab_to(page, selector, backwards=backwards, limit=TAB_LIMIT)
    assert_focus_visible(page)


def assert_focus_visible(page: Any) -> None:
    """The focused element draws an outline or a focus shadow (WCAG 2.4.7)."""
    style: dict[str, str] = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
            return {outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow}; }"""
    )
    drawn = not style["outline"].startswith("none") and not style["outline"].endswith(" 0px")
    assert drawn or style["shadow"] != "none", (
        f"no visible focus on {focused(page)} ({page.url}): {style}"
    )


def type_into(page: Any, selector: str, text: str) -> None:
    """Tab to a field and type into it."""
    tab(page, selector)
    page.keyboard.type(text)


def enter(page: Any) -> Any:
    """Press Enter and wait for the page it loads; returns the response."""
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    return navigation.value


def press_button(page: Any, selector: str, *, backwards: bool = False) -> Any:
    """Tab to a button (or link) and press Enter; returns the response of the next page."""
    tab(page, selector, backwards=backwards)
    return enter(page)


def value_of(page: Any, selector: str) -> str:
    value: str = page.eval_on_selector(selector, "el => el.value")
    return value


def choose(page: Any, selector: str, value: str) -> None:
    """Tab to a closed <select> and move through its options with the arrow keys."""
    tab(page, selector)
    count: int = page.eval_on_selector(selector, "el => el.options.length")
    page.keyboard.press("Home")
    for _ in range(count):
        if value_of(page, selector) == value:
            return
        page.keyboard.press("ArrowDown")
    assert value_of(page, selector) == value, (
        f"{selector}: option {value!r} not reached with the arrow keys ({focused(page)})"
    )


def type_date(page: Any, selector: str, day: date) -> None:
    """Type a date into a native date input, segment by segment.

    The order of the segments follows the browser's own locale, so the day equals the
    month and, if day-first typing gives nothing, year-first is tried (as in
    test_keyboard.py).
    """
    assert day.day == day.month, "choose a date whose day and month are equal"
    tab(page, selector)
    for digits in (
        f"{day.day:02d}{day.month:02d}{day.year:04d}",
        f"{day.year:04d}{day.month:02d}{day.day:02d}",
    ):
        page.keyboard.type(digits)
        if value_of(page, selector) == day.isoformat():
            return
        for _ in range(4):  # back to the first segment
            page.keyboard.press("Shift+Tab")
            if not focus_matches(page, selector):
                break
        page.keyboard.press("Tab")
    raise AssertionError(f"typed {day} into {selector}, it holds {value_of(page, selector)!r}")


def day_is_month(after: date, *, step: int = 1) -> date:
    """The first date after `after` (before it, with step=-1) whose day equals its month."""
    for offset in range(1, 400):
        day = after + timedelta(days=offset * step)
        if day.day == day.month:
            return day
    raise AssertionError("unreachable: every year has twelve such days")


def log_in(page: Any, email: str, password: str = PASSWORD) -> Any:
    """The password step by keyboard, from wherever the login page left the focus."""
    type_into(page, "#email", email)
    type_into(page, "#password", password)
    return enter(page)  # Enter in a field sends its form


def second_factor(page: Any, code: str) -> Any:
    """The code step by keyboard."""
    type_into(page, "#code", code)
    return enter(page)


def full_login(page: Any, staff: Staff, *, steps_ahead: int = 0) -> None:
    """Both steps, from the login page to the panel."""
    page.goto("/panel/logowanie")
    log_in(page, staff.email)
    assert page.url.endswith("/panel/dwuetapowe"), page.url
    assert staff.secret is not None
    second_factor(page, code_for(staff.secret, steps_ahead))
    assert "/panel/logowanie" not in page.url and "/panel/dwuetapowe" not in page.url, (
        f"login failed: {page.locator('main').inner_text()[:300]}"
    )


# --- checks -------------------------------------------------------------------------------


def check_page(page: Any, what: str, *, phone: bool) -> None:
    """axe-core finds nothing; on a phone, nothing scrolls sideways either."""
    assert_accessible(page, what)
    if phone:
        assert_no_sideways_scroll(page, what)


def main_text(page: Any) -> str:
    text: str = page.locator("main").inner_text()
    return text


def flash_text(page: Any) -> str:
    text: str = page.locator("main .panel-notice").inner_text()
    return text


def summary_value(page: Any, term: str) -> str:
    """The value next to a term in the request page's first summary list."""
    text: str | None = page.evaluate(
        """(term) => { const list = document.querySelector('dl.summary-list');
            const dt = Array.from(list.querySelectorAll('dt'))
                .find(el => el.innerText.trim() === term);
            return dt ? dt.nextElementSibling.innerText.trim() : null; }""",
        term,
    )
    assert text is not None, f"no {term!r} in the summary list on {page.url}"
    return text


def history(page: Any) -> list[str]:
    """The "what" column of the request's history, newest first."""
    cells: list[str] = page.locator("#history-caption ~ tbody tr td:nth-child(3)").all_inner_texts()
    return [c.strip() for c in cells]


def is_focused(page: Any, selector: str) -> bool:
    return focus_matches(page, selector)


def attachment_headers(page: Any, href: str) -> dict[str, str]:
    """The headers of a file the panel serves, fetched with the page's cookies."""
    response = page.request.get(href)
    assert response.status == 200, f"{href}: {response.status}"
    headers: dict[str, str] = response.headers
    return headers
