"""Save and come back later, in a real browser, in pl, en and uk: the "Za życiem" form
half filled with its certificate, saved, the link opened in another browser (a fresh
context), one button, the form back with the answers and the file, then sent; the link
is spent. Axe-clean and at 360 px on the new pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser.flows import (
    LANGS,
    PHONE,
    assert_accessible,
    assert_no_sideways_scroll,
    certificate_file,
    due_date,
    focus_matches,
    prefix,
    press_step,
    reference_on,
    tab_to,
    valid_pesel,
)


@pytest.mark.parametrize("lang", LANGS)
def test_save_then_finish_in_another_browser(new_page: Any, lang: str) -> None:
    page = new_page(**PHONE)
    page.goto(prefix(lang) + "/gostynin/za-zyciem/wniosek")
    page.fill("#f-full_name", "Oksana Kowalenko")
    page.fill("#f-postal_code", "09-500")
    page.set_input_files("#f-certificates", certificate_file())
    press_step(page, "save")
    link = page.locator("#draft-link").get_attribute("href")
    assert link is not None and f"{prefix(lang)}/wznow/" in link
    assert_accessible(page, f"the saved page [{lang}]")
    assert_no_sideways_scroll(page, f"the saved page [{lang}]")

    later = new_page(**PHONE)  # another browser: nothing but the link
    later.goto(link)
    assert later.locator("#f-full_name").count() == 0  # a GET shows no answer
    assert_accessible(later, f"the resume page [{lang}]")
    tab_to(later, "main form button[type=submit]")
    assert focus_matches(later, "main form button[type=submit]")
    with later.expect_navigation():
        later.keyboard.press("Enter")
    assert later.locator("#f-full_name").input_value() == "Oksana Kowalenko"
    assert later.locator(".held li").count() == 1  # the certificate is still there
    fill_za_zyciem_form_without_file(later)
    press_step(later, "check")
    press_step(later, "submit")
    assert reference_on(later)
    later.goto(link)
    assert later.locator("main form").count() == 0  # sent: the draft is gone


def fill_za_zyciem_form_without_file(page: Any) -> None:
    """The rest of the answers; the held certificate is not uploaded again."""
    page.check("#f-applicant")  # pregnant
    page.check("#f-has_pesel")  # yes
    page.fill("#f-pesel", valid_pesel(date(1994, 5, 15)))
    page.fill("#f-phone", "+48 601 234 567")
    page.fill("#f-street", "ul. Parkowa 1")
    page.fill("#f-city", "Gostynin")
    page.fill("#f-due_date", due_date().isoformat())
    page.check("#f-truthful")
