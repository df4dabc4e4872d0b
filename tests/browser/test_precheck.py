"""The "is this for me?" pre-check in a real browser, in pl, en and uk: by keyboard,
at 360 px, axe-clean on the questions, their errors and every kind of exit page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.flows import (
    LANGS,
    PHONE,
    assert_accessible,
    assert_no_sideways_scroll,
    focus_matches,
    prefix,
    tab_to,
)


def answer_by_keyboard(page: Any, postal_code: str, choice_index: int) -> None:
    """Type the postal code, pick a choice with the arrow keys, send with Enter."""
    tab_to(page, "#f-postal_code")
    page.keyboard.type(postal_code)
    tab_to(page, "input[type=radio]")
    page.keyboard.press("Space")  # the first choice
    for _ in range(choice_index):
        page.keyboard.press("ArrowDown")
    tab_to(page, "form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("lang", LANGS)
def test_za_zyciem_precheck_exits_to_the_parent_request(new_page: Any, lang: str) -> None:
    page = new_page(**PHONE)
    page.goto(prefix(lang) + "/gostynin/za-zyciem/czy-to-dla-mnie")
    assert_accessible(page, f"the pre-check [{lang}]")
    assert_no_sideways_scroll(page, f"the pre-check [{lang}]")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert page.locator("[data-error-summary]").is_visible()
    assert focus_matches(page, "[data-error-summary]")
    assert_accessible(page, f"the pre-check with errors [{lang}]")
    answer_by_keyboard(page, "09-500", 2)  # "neither"
    assert page.url.endswith(prefix(lang) + "/gostynin/za-zyciem/czy-to-dla-mnie")
    assert page.locator(f'main a[href="{prefix(lang)}/gostynin/zgloszenie"]').count() == 1
    assert page.locator('main a[href="tel:800120002"]').count() == 1
    assert_accessible(page, f"the pre-check's exit to the other form [{lang}]")
    assert_no_sideways_scroll(page, f"the pre-check's exit [{lang}]")
    with page.expect_navigation():
        page.locator(f'main a[href="{prefix(lang)}/gostynin/zgloszenie"]').click()
    assert page.locator("#f-full_name").count() == 1


@pytest.mark.parametrize("lang", LANGS)
def test_parent_precheck_routes_a_postal_code_to_its_centre(page: Any, lang: str) -> None:
    page.goto(prefix(lang) + "/tomice/zgloszenie")
    with page.expect_navigation():
        page.locator(f'main a[href="{prefix(lang)}/tomice/zgloszenie/czy-to-dla-mnie"]').click()
    answer_by_keyboard(page, "09-500", 0)  # lives in Gostynin, has children
    other = page.locator(f'main a.button[href="{prefix(lang)}/gostynin/zgloszenie"]')
    assert other.count() == 1
    assert_accessible(page, f"the pre-check's exit to another centre [{lang}]")
    page.goto(prefix(lang) + "/tomice/zgloszenie/czy-to-dla-mnie")
    answer_by_keyboard(page, "00-001", 0)  # no centre of the portal
    assert page.locator(f'main a[href="{prefix(lang)}/"]').count() == 1
    assert_accessible(page, f"the pre-check's exit for an unknown postal code [{lang}]")
    page.goto(prefix(lang) + "/tomice/zgloszenie/czy-to-dla-mnie")
    answer_by_keyboard(page, "34-100", 0)  # fits: on to the form
    assert page.url.endswith(prefix(lang) + "/tomice/zgloszenie")


def test_the_precheck_works_without_javascript(new_page: Any) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/uk/gostynin/za-zyciem/czy-to-dla-mnie")
    page.fill("#f-postal_code", "09500")
    page.check("#f-situation")
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert page.url.endswith("/uk/gostynin/za-zyciem/wniosek")
