"""The quick exit in a real browser: first after the skip link, blanks the page at once,
replaces the history entry, answers three presses of Shift, and is a plain link without
JavaScript; the safety page beside it works at 360 px, by keyboard, in pl, en and uk.

The neutral site is never reached: the browser's requests to it are answered (or refused)
by the test, so what is checked is what the page itself does.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from portal.core.settings import SETTINGS
from tests.browser.flows import (
    LANGS,
    PHONE,
    assert_accessible,
    assert_no_sideways_scroll,
    focus_matches,
    form_steps,
    prefix,
)

EXIT_URL: str = next(s.default for s in SETTINGS if s.env == "PORTAL_QUICK_EXIT_URL")
NEUTRAL = "<!doctype html><html lang='pl'><title>Pogoda</title><h1>Prognoza pogody</h1></html>"


def answer_exit(page: Any) -> list[str]:
    """Answer the browser's requests to the exit site; returns the pages asked for."""
    asked: list[str] = []

    def handle(route: Any) -> None:
        if route.request.is_navigation_request():
            asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL)

    page.context.route(EXIT_URL + "**", handle)
    return asked


def focus_top_of_page(page: Any) -> None:
    """Start the Tab order from the top, as on arriving (the error summary takes the focus)."""
    page.evaluate(
        """() => { const start = document.createElement('span');
                   start.tabIndex = -1; document.body.prepend(start); start.focus(); }"""
    )


@pytest.mark.parametrize("lang", LANGS)
def test_second_tab_reaches_the_quick_exit_on_every_step_of_both_forms(
    page: Any, lang: str
) -> None:
    for form in ("zgloszenie", "za-zyciem"):
        for step in form_steps(page, lang, form):
            focus_top_of_page(page)
            page.keyboard.press("Tab")
            assert focus_matches(page, "a.skip-link"), step
            page.keyboard.press("Tab")
            assert focus_matches(page, "a.quick-exit"), f"{form}: {step} ({page.url})"
            assert page.locator("a.quick-exit").get_attribute("href") == EXIT_URL


@pytest.mark.parametrize("lang", LANGS)
def test_the_exit_replaces_the_history_entry(page: Any, lang: str) -> None:
    asked = answer_exit(page)
    page.goto(prefix(lang) + "/tomice/")
    page.goto(prefix(lang) + "/tomice/zgloszenie")
    page.locator("#f-full_name").fill("Zofia")
    with page.expect_navigation(url=EXIT_URL):
        page.locator("a.quick-exit").click()
    assert asked == [EXIT_URL]
    assert page.title() == "Pogoda"
    # Back skips the form: its entry was replaced by the neutral page.
    page.go_back()
    assert page.url.endswith(prefix(lang) + "/tomice/")


def test_the_page_is_blanked_before_the_exit_site_answers(page: Any) -> None:
    """What is on screen right after the click, before the browser has left the page: a
    listener that runs after the exit's own (on the document, the click bubbling up)
    reports it on the console, which outlives the page."""
    asked = answer_exit(page)
    page.goto("/gostynin/za-zyciem/wniosek")
    assert page.locator("h1").count() == 1
    page.evaluate(
        """() => document.addEventListener('click', () => console.log('left:' + JSON.stringify({
              title: document.title, children: document.body.children.length,
              text: document.body.innerText, exiting: document.documentElement.className,
              at: location.pathname})))"""
    )
    with page.expect_console_message(lambda m: m.text.startswith("left:")) as message:
        with page.expect_navigation(url=EXIT_URL):
            page.locator("a.quick-exit").click()
    left = json.loads(message.value.text.removeprefix("left:"))
    assert left == {
        "title": "",
        "children": 0,
        "text": "",
        "exiting": "exiting",
        "at": "/gostynin/za-zyciem/wniosek",
    }
    assert asked == [EXIT_URL]


def test_three_presses_of_shift_leave_and_other_keys_reset_the_count(page: Any) -> None:
    asked = answer_exit(page)
    page.goto("/uk/tomice/zgloszenie")
    page.locator("#f-full_name").focus()
    # Another key between the presses resets the count (typing capitals does not leave).
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.type("Ala")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert asked == [] and "/uk/tomice/zgloszenie" in page.url
    assert page.locator("#f-full_name").input_value() == "Ala"
    page.keyboard.type("!")
    with page.expect_navigation(url=EXIT_URL):
        for _ in range(3):
            page.keyboard.press("Shift")
    assert asked == [EXIT_URL]


def test_without_javascript_the_exit_is_a_plain_link(new_page: Any) -> None:
    page = new_page(java_script_enabled=False)
    asked = answer_exit(page)
    page.goto("/en/tomice/zgloszenie")
    assert page.locator("[data-quick-exit-hint]").is_hidden()  # Shift does nothing without JS
    exit_link = page.locator("a.quick-exit")
    assert exit_link.inner_text() == "Exit this page"
    assert exit_link.get_attribute("rel") == "nofollow noreferrer"
    with page.expect_navigation(url=EXIT_URL):
        exit_link.click()
    assert asked == [EXIT_URL]
    # noreferrer: the neutral site is not told where the visitor came from.
    assert page.evaluate("document.referrer") == ""


@pytest.mark.parametrize("lang", LANGS)
def test_the_safety_page_at_360_px_by_keyboard(new_page: Any, lang: str) -> None:
    page = new_page(**PHONE)
    page.goto(prefix(lang) + "/rozan/zgloszenie")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focus_matches(page, "a.safety-link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(prefix(lang) + "/rozan/bezpieczenstwo")
    assert page.locator('a[href="tel:800120002"]').count() == 1
    assert_no_sideways_scroll(page, f"the safety page [{lang}]")
    assert_accessible(page, f"the safety page [{lang}]")
    # Scrolled to the end, the quick exit is still on screen, one line high.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = page.locator("a.quick-exit").bounding_box()
    assert box is not None and 0 <= box["y"] < 20 and box["height"] < 60
    bar = page.locator(".quick-exit-bar").bounding_box()
    assert bar is not None and bar["height"] < 64


def test_the_panel_has_no_quick_exit(page: Any) -> None:
    page.goto("/panel/logowanie")
    assert page.locator("a.skip-link").count() == 1
    assert page.locator(".quick-exit").count() == 0
