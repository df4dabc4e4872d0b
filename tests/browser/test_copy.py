"""The applicant's PDF copy in a real browser, in pl, en and uk: downloaded from the
confirmation page as an attachment with the reference and the answers; another
browser with the same addresses gets no copy."""

from __future__ import annotations

from typing import Any

import pytest
from pypdf import PdfReader

from tests.browser.flows import (
    LANGS,
    PHONE,
    assert_accessible,
    fill_parent_form,
    prefix,
    press_step,
    reference_on,
)

WORDS = {"pl": "Twoje odpowiedzi", "en": "Your answers", "uk": "Ваші відповіді"}


@pytest.mark.parametrize("lang", LANGS)
def test_download_the_copy_only_in_the_sending_browser(new_page: Any, lang: str) -> None:
    page = new_page(accept_downloads=True, **PHONE)
    page.goto(prefix(lang) + "/tomice/zgloszenie")
    fill_parent_form(page)
    page.fill("#f-description", "Прошу допомоги: ґанок, їжак, щастя")
    press_step(page, "check")
    press_step(page, "submit")
    reference = reference_on(page)
    assert_accessible(page, f"the confirmation with the copy [{lang}]")
    link = page.locator("a[download]")
    with page.expect_download() as download:
        link.focus()
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"{reference}.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert reference in text and WORDS[lang] in text
    assert "Прошу допомоги: ґанок, їжак, щастя" in text

    other = new_page()
    response = other.request.get(link.get_attribute("href") or "")
    assert response.status == 404
    other.goto(page.url)  # the confirmation itself, in another browser: no copy offered
    assert other.locator("a[download]").count() == 0
