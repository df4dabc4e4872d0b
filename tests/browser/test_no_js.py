"""Without JavaScript both forms still work: every page is plain HTML first."""

from __future__ import annotations

from typing import Any

from tests.browser.flows import (
    GOSTYNIN_REFERENCE_RE,
    TOMICE_REFERENCE_RE,
    fill_parent_form,
    fill_za_zyciem_form,
    focus_matches,
    focused,
    press_step,
    reference_on,
)


def test_parent_request_without_javascript(new_page: Any) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/tomice/zgloszenie")
    # An empty submit: the summary still takes the focus (autofocus, no script needed).
    press_step(page, "check")
    assert page.locator("[data-error-summary]").is_visible()
    assert focus_matches(page, "[data-error-summary]"), f"focus is on {focused(page)}"
    fill_parent_form(page)
    press_step(page, "check")
    assert page.locator("button[name=step][value=submit]").count() == 1, page.locator(
        "main"
    ).inner_text()
    press_step(page, "submit")
    assert "/tomice/wyslano/" in page.url
    assert TOMICE_REFERENCE_RE.fullmatch(reference_on(page))
    page.goto(page.locator("main a[href*='/status/']").get_attribute("href"))
    assert page.locator("main [aria-current=step]").count() == 1


def test_za_zyciem_application_without_javascript(new_page: Any) -> None:
    """All conditional questions show without script; the ones that don't apply are ignored."""
    page = new_page(java_script_enabled=False)
    page.goto("/gostynin/za-zyciem/wniosek")
    for block in ("#c-pesel", "#c-birth_date", "#c-due_date", "#c-child_birth_date"):
        assert page.locator(block).is_visible(), f"{block} hidden without JavaScript"
    fill_za_zyciem_form(page)
    press_step(page, "check")
    main = page.locator("main").inner_text()
    assert page.locator("button[name=step][value=submit]").count() == 1, main
    press_step(page, "submit")
    assert "/gostynin/wyslano/" in page.url
    assert GOSTYNIN_REFERENCE_RE.fullmatch(reference_on(page))
