"""Keyboard alone: the skip link, both forms filled and sent, the error summary, focus.

The two "by keyboard alone" tests use no `.click()` and no `.fill()`: every step is
a key a person would press (Tab, Shift+Tab, Space, arrows, typing, Enter). The one
exception is choosing a file: the system's file dialog is outside the page, so the
test hands the file to the focused file input, as the dialog would. The other tests
may set up a page with Playwright's helpers; what they check is still done by key.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.flows import (
    GOSTYNIN_POSTAL_CODE,
    GOSTYNIN_REFERENCE_RE,
    TOMICE_POSTAL_CODE,
    TOMICE_REFERENCE_RE,
    certificate_file,
    due_date,
    fill_parent_form,
    focus_matches,
    focused,
    press_step,
    tab_to,
    valid_pesel,
)


def type_into(page: Any, selector: str, text: str) -> None:
    """Tab forward to a field and type into it."""
    tab_to(page, selector)
    page.keyboard.type(text)


def submit_with_enter(page: Any, selector: str) -> None:
    """Tab to a button and press Enter; wait for the next page."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_date(page: Any, selector: str, day: date) -> None:
    """Type a date into a native date input, segment by segment.

    The order of the segments follows the browser's own locale (day-month-year in
    Polish, month-day-year in American English, year first in some others), so the
    day and month are the same number and year-first is tried second.
    """
    assert day.day == day.month, "choose a date whose day and month are equal"
    tab_to(page, selector)
    day_first = f"{day.day:02d}{day.month:02d}{day.year:04d}"
    year_first = f"{day.year:04d}{day.month:02d}{day.day:02d}"
    for digits in (day_first, year_first):
        page.keyboard.type(digits)
        value = page.eval_on_selector(selector, "el => el.value")
        if value == day.isoformat():
            return
        # Back to the first segment: Shift+Tab walks back through the segments and out.
        for _ in range(4):
            page.keyboard.press("Shift+Tab")
            if not focus_matches(page, selector):
                break
        page.keyboard.press("Tab")
    raise AssertionError(f"typed {day} into {selector}, the input holds {value!r}")


def due_date_day_is_month() -> date:
    """A due date soon (within ten months) whose day equals its month, e.g. 12 December."""
    start = due_date() - timedelta(days=100)
    for offset in range(400):
        day = start + timedelta(days=offset)
        if day.day == day.month:
            return day
    raise AssertionError("unreachable: every year has twelve such days")


def send_and_follow_status(page: Any, reference_re: Any) -> None:
    """On the check page: send with the keyboard, read the reference, open the status link."""
    assert page.locator("h1").count() == 1
    submit_with_enter(page, "button[name=step][value=submit]")
    assert "/wyslano/" in page.url, f"expected the confirmation page, got {page.url}"
    reference = page.locator(".reference").inner_text().strip()
    assert reference_re.fullmatch(reference), f"unexpected reference {reference!r}"
    tab_to(page, "a[href*='/status/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/status/" in page.url
    main = page.locator("main")
    assert reference in main.inner_text()
    assert main.locator("[aria-current=step]").count() == 1, "the current status is not marked"


def test_skip_link_is_first_and_moves_focus_to_main(page: Any) -> None:
    page.goto("/tomice/")
    page.keyboard.press("Tab")
    assert focus_matches(page, "a.skip-link[href='#main']"), f"first Tab stop: {focused(page)}"
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "skip link is off screen"
    page.keyboard.press("Enter")
    assert focus_matches(page, "main#main"), f"after the skip link, focus is on {focused(page)}"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside, f"Tab after the skip link went to {focused(page)}"


def test_parent_request_by_keyboard_alone(page: Any) -> None:
    page.goto("/tomice/zgloszenie")
    # Is a child in danger? Tab to the group (first radio, "no") and tick it with Space.
    tab_to(page, "#f-child_in_danger")
    page.keyboard.press("Space")
    type_into(page, "#f-full_name", "Anna Kowalska")
    type_into(page, "#f-phone", "600 123 456")
    # Best time: Tab into the group, arrow down from "morning" to "afternoon".
    tab_to(page, "#f-best_time")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    type_into(page, "#f-street", "ul. Polna 3")
    type_into(page, "#f-postal_code", TOMICE_POSTAL_CODE)
    type_into(page, "#f-city", "Tomice")
    type_into(page, "#f-children_count", "2")
    # A step back with Shift+Tab to correct the count, as people do.
    tab_to(page, "#f-children_ages")
    tab_to(page, "#f-children_count", backwards=True)
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    type_into(page, "#f-children_ages", "2, 7 i 13 lat")
    tab_to(page, "#f-difficulties")
    page.keyboard.press("Space")
    tab_to(page, "#f-difficulties-3")
    page.keyboard.press("Space")
    type_into(page, "#f-description", "Potrzebuję pomocy w organizacji dnia.")
    checked = page.evaluate(
        """() => Array.from(document.querySelectorAll('input:checked')).map(i => i.id)"""
    )
    assert checked == ["f-child_in_danger", "f-best_time-2", "f-difficulties", "f-difficulties-3"]
    submit_with_enter(page, "button[name=step][value=check]")

    main = page.locator("main")
    assert page.locator(".error-summary").count() == 0, main.inner_text()
    assert "Anna Kowalska" in main.inner_text()
    assert "34-100" in main.inner_text()
    send_and_follow_status(page, TOMICE_REFERENCE_RE)


def test_za_zyciem_application_by_keyboard_alone(page: Any) -> None:
    page.goto("/gostynin/za-zyciem/wniosek")
    # Questions that depend on an answer stay hidden (and out of the Tab order) until then.
    assert page.locator("#c-due_date").is_hidden()
    assert page.locator("#c-pesel").is_hidden()
    tab_to(page, "#f-applicant")  # "pregnant" comes first
    page.keyboard.press("Space")
    type_into(page, "#f-full_name", "Maria Nowak")
    tab_to(page, "#f-has_pesel")  # "yes" comes first
    page.keyboard.press("Space")
    assert page.locator("#c-pesel").is_visible()
    assert page.locator("#c-birth_date").is_hidden()
    type_into(page, "#f-pesel", valid_pesel(date(1994, 5, 15)))
    type_into(page, "#f-phone", "601 234 567")
    type_into(page, "#f-street", "ul. Zielona 8")
    type_into(page, "#f-postal_code", GOSTYNIN_POSTAL_CODE)
    type_into(page, "#f-city", "Gostynin")
    assert page.locator("#c-due_date").is_visible()
    type_date(page, "#f-due_date", due_date_day_is_month())
    tab_to(page, "#f-certificates")
    # The system file dialog is outside the page: give the focused input its file.
    page.locator(":focus").set_input_files(certificate_file())
    tab_to(page, "#f-truthful")
    page.keyboard.press("Space")
    assert page.locator("#f-truthful").is_checked()
    submit_with_enter(page, "button[name=step][value=check]")

    main = page.locator("main")
    assert page.locator(".error-summary").count() == 0, main.inner_text()
    assert "zaświadczenie.pdf" in main.inner_text()
    send_and_follow_status(page, GOSTYNIN_REFERENCE_RE)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/tomice/zgloszenie",
            {
                "child_in_danger",
                "full_name",
                "phone",
                "street",
                "postal_code",
                "city",
                "children_count",
                "difficulties",
            },
        ),
        (
            "/gostynin/za-zyciem/wniosek",
            {
                "applicant",
                "full_name",
                "has_pesel",
                "phone",
                "street",
                "postal_code",
                "city",
                "certificates",
                "truthful",
            },
        ),
    ],
    ids=["zgloszenie", "za-zyciem"],
)
def test_error_summary_is_focused_and_links_to_each_field(
    page: Any, path: str, expected: set[str]
) -> None:
    page.goto(path)
    submit_with_enter(page, "button[name=step][value=check]")
    assert focus_matches(page, "[data-error-summary]"), (
        f"after an invalid submit the focus is on {focused(page)}, not on the error summary"
    )
    assert page.title().startswith("Błąd:"), "the page title does not say there are errors"
    links = page.locator("[data-error-summary] a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {h.removeprefix("#f-") for h in hrefs if h} == expected
    for href in hrefs:
        assert href is not None
        page.focus(f"[data-error-summary] a[href='{href}']")
        page.keyboard.press("Enter")
        assert focus_matches(page, href), f"link {href} moved the focus to {focused(page)}"
        # The field says what is wrong, and its control points at the message.
        name = href.removeprefix("#f-")
        assert page.locator(f"#e-{name}").is_visible(), f"no message at the field {name}"
        owner = page.locator(f"{href}")
        described = owner.evaluate(
            "el => (el.closest('fieldset[aria-describedby]') || el)"
            ".getAttribute('aria-describedby') || ''"
        )
        assert f"e-{name}" in described.split(), f"{href} is not described by its error"


# The focused element: whether it shows a focus indicator and how its text contrasts
# with the background behind it (the first non-transparent one up the tree).
FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const channel = (v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = (css) => { const [r, g, b] = css.match(/[\\d.]+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); };
  const s = getComputedStyle(el);
  let bg = s.backgroundColor, p = el;
  while (/rgba\\(.*, 0\\)$/.test(bg) && p.parentElement) {
    p = p.parentElement; bg = getComputedStyle(p).backgroundColor;
  }
  if (/rgba\\(.*, 0\\)$/.test(bg)) bg = 'rgb(255, 255, 255)';
  const [hi, lo] = [lum(s.color), lum(bg)].sort((a, b) => b - a);
  const hasText = ['A', 'BUTTON', 'SUMMARY'].includes(el.tagName) && el.innerText.trim() !== '';
  return {
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
             + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
             + ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"',
    indicator: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
               || (s.boxShadow !== 'none' && s.boxShadow !== ''),
    contrast: hasText ? (hi + 0.05) / (lo + 0.05) : null,
    colours: s.color + ' on ' + bg,
  };
}
"""


def focus_problems(page: Any, limit: int = 150) -> list[str]:
    """Tab through the whole page; every stop must show focus and keep its text readable."""
    problems: list[str] = []
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_JS)
        if info is None or info["element"] in seen[:1]:
            break  # back at the start: the whole page has been visited
        seen.append(info["element"])
        if not info["indicator"]:
            problems.append(f"{info['element']}: no focus indicator")
        if info["contrast"] is not None and info["contrast"] < 4.5:
            problems.append(
                f"{info['element']}: focused text {info['colours']} is "
                f"{info['contrast']:.2f}:1 (needs 4.5:1)"
            )
    assert len(seen) > 3, f"only {len(seen)} Tab stops on {page.url}"
    return problems


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tomice/",
        "/en/gostynin/za-zyciem",
        "/uk/tomice/zgloszenie",
        "/gostynin/za-zyciem/wniosek",
        "/tomice/nie-ma-takiej-strony",
    ],
)
def test_focus_is_visible_and_readable_at_every_tab_stop(page: Any, path: str) -> None:
    page.goto(path)
    problems = focus_problems(page)
    assert not problems, f"focus problems on {path}:\n" + "\n".join(problems)


def test_focus_is_visible_on_the_error_summary_and_check_page(page: Any) -> None:
    page.goto("/tomice/zgloszenie")
    submit_with_enter(page, "button[name=step][value=check]")
    problems = focus_problems(page)
    fill_parent_form(page)
    press_step(page, "check")
    problems += focus_problems(page)
    assert not problems, "focus problems:\n" + "\n".join(problems)


def test_change_link_on_the_check_page_returns_to_the_field(page: Any) -> None:
    """WCAG 3.3.4: from the check page each answer can be changed, nothing typed is lost."""
    page.goto("/tomice/zgloszenie")
    fill_parent_form(page)
    press_step(page, "check")
    submit_with_enter(page, "button[name=step][value=edit][formaction$='#f-full_name']")
    assert page.url.endswith("/tomice/zgloszenie#f-full_name")
    assert page.locator(".error-summary").count() == 0
    assert focus_matches(page, "#f-full_name"), f"focus is on {focused(page)}"
    assert page.input_value("#f-full_name") == "Anna Kowalska"
    assert page.input_value("#f-postal_code") == "34-100"
    assert page.locator("#f-difficulties-3").is_checked()
    page.keyboard.press("Control+A")
    page.keyboard.type("Anna Nowak")
    submit_with_enter(page, "button[name=step][value=check]")
    assert "Anna Nowak" in page.locator("main").inner_text()


def test_emergency_notice_appears_for_a_child_in_danger(page: Any) -> None:
    """Answering "yes" shows 112 / 116 111 at once, announced without moving the focus."""
    page.goto("/tomice/zgloszenie")
    notice = page.locator("#c-notice-child_in_danger")
    assert notice.is_hidden()
    tab_to(page, "#f-child_in_danger")
    page.keyboard.press("Space")  # "no"
    assert notice.is_hidden()
    page.keyboard.press("ArrowDown")  # "yes"
    assert focus_matches(page, "#f-child_in_danger-2")
    assert notice.is_visible()
    assert "112" in notice.inner_text() and "116 111" in notice.inner_text()
    # Screen readers announce it: the notice sits after the question, out of the Tab order.
    assert notice.get_attribute("role") == "alert"
    page.keyboard.press("ArrowUp")  # back to "no"
    assert notice.is_hidden()
