"""Phone-sized screens (360 px) never scroll sideways; printed pages stay readable."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.flows import (
    LANGS,
    PHONE,
    assert_no_sideways_scroll,
    fill_parent_form,
    form_steps,
    prefix,
    press_step,
    reference_on,
)
from tests.browser.test_axe import PAGE_IDS, PAGES

# Text colour against white paper (browsers leave backgrounds out when printing)
# and its size: every visible piece of text, with its element, when it falls short.
PRINT_PROBLEMS_JS = """
() => {
  const channel = (v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (css) => {
    const [r, g, b, a = 1] = css.match(/[\\d.]+/g).map(Number);
    const [R, G, B] = [r, g, b].map((c) => channel(a * c + (1 - a) * 255));
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (!text || !el) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!el.getClientRects().length || box.width <= 1 || box.height <= 1) continue;
    if (style.visibility !== 'visible' || el.closest('[aria-hidden=true]')) continue;
    const contrast = 1.05 / (luminance(style.color) + 0.05);
    const size = parseFloat(style.fontSize);
    if (contrast < 4.5 || size < 12) {
      problems.push(`${el.tagName.toLowerCase()}.${el.className} "${text.slice(0, 40)}": `
                    + `${style.color} (${contrast.toFixed(2)}:1 on white), ${size}px`);
    }
  }
  return problems;
}
"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("label", "path", "status"), PAGES, ids=PAGE_IDS)
def test_page_fits_360px(new_page: Any, lang: str, label: str, path: str, status: int) -> None:
    page = new_page(**PHONE)
    response = page.goto(prefix(lang) + path)
    assert response is not None and response.status == status
    assert_no_sideways_scroll(page, f"{label} [{lang}]")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("form", ["zgloszenie", "za-zyciem"])
def test_form_flow_fits_360px(new_page: Any, lang: str, form: str) -> None:
    page = new_page(**PHONE)
    for step in form_steps(page, lang, form):
        assert_no_sideways_scroll(page, f"{form}: {step} [{lang}]")


def test_parent_request_from_a_phone_in_ukrainian(new_page: Any) -> None:
    """A parent on a 360 px phone, the interface in Ukrainian, from the form to the status."""
    page = new_page(**PHONE, locale="uk-UA")
    page.goto("/uk/tomice/zgloszenie")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert_no_sideways_scroll(page, "the form")
    fill_parent_form(page)
    assert_no_sideways_scroll(page, "the filled form")
    press_step(page, "check")
    assert page.url.endswith("/uk/tomice/zgloszenie")
    assert_no_sideways_scroll(page, "the check page")
    press_step(page, "submit")
    assert "/uk/tomice/wyslano/" in page.url
    reference = reference_on(page)
    assert reference.startswith("TOM-")
    assert_no_sideways_scroll(page, "the confirmation page")
    page.goto(page.locator("main a[href*='/status/']").get_attribute("href"))
    assert "/uk/status/" in page.url
    assert page.locator("html").get_attribute("lang") == "uk"
    assert reference in page.locator("main").inner_text()
    assert_no_sideways_scroll(page, "the status page")


def _print_check(page: Any, what: str) -> None:
    page.emulate_media(media="print")
    for hidden in (".skip-link", ".languages", ".centre-nav"):
        for i in range(page.locator(hidden).count()):
            assert page.locator(hidden).nth(i).is_hidden(), f"{hidden} is printed on {what}"
    main = page.locator("main")
    assert main.is_visible() and main.locator("h1").is_visible(), f"main not printed: {what}"
    assert len(main.inner_text().strip()) > 20
    problems = page.evaluate(PRINT_PROBLEMS_JS)
    assert not problems, f"text hard to read on paper on {what}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tomice/",
        "/rozan/zadania-asystenta",
        "/en/tomice/ochrona-danych",
        "/uk/tomice/zgloszenie",
        "/tomice/nie-ma-takiej-strony",
    ],
)
def test_page_prints_readably(page: Any, path: str) -> None:
    page.goto(path)
    _print_check(page, path)


def test_confirmation_and_status_print_readably(page: Any) -> None:
    """People print the confirmation to keep the reference number."""
    page.goto("/tomice/zgloszenie")
    fill_parent_form(page)
    press_step(page, "check")
    _print_check(page, "the check page")
    page.emulate_media(media="screen")
    press_step(page, "submit")
    _print_check(page, "the confirmation page")
    assert page.locator(".reference").is_visible()
    page.goto(page.locator("main a[href*='/status/']").get_attribute("href"))
    _print_check(page, "the status page")
