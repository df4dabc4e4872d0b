"""On a 360 px phone: the urgent path offers numbers to tap that never wrap, and the
confirmation page keeps the reference number on one line and copies the status link."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.flows import (
    LANGS,
    PHONE,
    assert_accessible,
    assert_no_sideways_scroll,
    fill_parent_form,
    prefix,
    press_step,
    reference_on,
)

# Every tel: link on the page: its text, how many line boxes it takes, its size.
TEL_LINKS_JS = """
() => Array.from(document.querySelectorAll('a[href^="tel:"]'))
  .filter((a) => a.getClientRects().length > 0)
  .map((a) => { const box = a.getBoundingClientRect();
    return {href: a.getAttribute('href'), text: a.textContent, lines: a.getClientRects().length,
            width: box.width, height: box.height}; })
"""
LINE_BOXES_JS = "(sel) => document.querySelector(sel).getClientRects().length"


def tel_links(page: Any) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = page.evaluate(TEL_LINKS_JS)
    return links


def assert_emergency_numbers_tappable(page: Any, what: str) -> None:
    links = {link["href"]: link for link in tel_links(page)}
    for href in ("tel:112", "tel:116111"):
        assert href in links, f"{what}: no {href} link; links: {list(links)}"
        link = links[href]
        assert link["lines"] == 1, f"{what}: {link['text']!r} breaks across lines"
        # WCAG 2.2 target size (minimum): at least 24 by 24 CSS pixels.
        assert link["width"] >= 24 and link["height"] >= 24, f"{what}: {link} is too small"


@pytest.mark.parametrize("lang", LANGS)
def test_urgent_path_on_a_phone(new_page: Any, lang: str) -> None:
    page = new_page(**PHONE)
    page.goto(f"{prefix(lang)}/tomice/zgloszenie")
    fill_parent_form(page, urgent=True)
    notice = page.locator("#c-notice-child_in_danger")
    assert notice.is_visible()
    assert_emergency_numbers_tappable(page, "the form's notice")
    press_step(page, "check")
    assert_emergency_numbers_tappable(page, "the check page")
    assert_no_sideways_scroll(page, "the check page")
    press_step(page, "submit")
    assert "/wyslano/" in page.url
    assert_emergency_numbers_tappable(page, "the confirmation")
    assert page.locator("main").inner_text().count("dni roboczych") == 0
    page.goto(page.locator("#status-link").get_attribute("href"))
    assert_emergency_numbers_tappable(page, "the status page")
    assert_no_sideways_scroll(page, "the status page")
    assert_accessible(page, f"the urgent status page [{lang}]")
    with page.expect_navigation():
        page.locator("button[name=step][value=ask]").click()
    assert_no_sideways_scroll(page, "the withdraw confirmation")
    assert_accessible(page, f"the withdraw confirmation [{lang}]")


@pytest.mark.parametrize("lang", LANGS)
def test_confirmation_page_on_a_phone(new_page: Any, lang: str) -> None:
    page = new_page(**PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{prefix(lang)}/tomice/zgloszenie")
    fill_parent_form(page)
    press_step(page, "check")
    press_step(page, "submit")
    assert "/wyslano/" in page.url
    reference_on(page)
    assert page.evaluate(LINE_BOXES_JS, ".reference") == 1, "the reference number wraps"
    assert_no_sideways_scroll(page, "the confirmation")
    assert_accessible(page, f"the confirmation [{lang}]")
    wrapped = [link["text"] for link in tel_links(page) if link["lines"] != 1]
    assert not wrapped, f"phone numbers broken across lines: {wrapped}"
    heading = page.locator("h1").inner_text()
    assert heading.strip() not in ("Wysłano", "Sent", "Надіслано")
    copy = page.locator("button[data-copy]")
    assert copy.is_visible(), "the copy button shows where the browser can copy"
    copy.click()
    page.wait_for_function("() => document.querySelector('[data-copy-done]').textContent")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.locator("#status-link").get_attribute("href")
    assert "/status/" in copied


def test_copy_button_is_hidden_without_javascript(new_page: Any) -> None:
    page = new_page(**PHONE, java_script_enabled=False)
    page.goto("/tomice/zgloszenie")
    fill_parent_form(page)
    press_step(page, "check")
    press_step(page, "submit")
    assert page.locator("#status-link").is_visible()  # the link itself is there to select
    assert not page.locator("button[data-copy]").is_visible()
