"""Several certificate files in a real browser, on a 360 px phone, in each language:
one added with a label, two at once, one removed, a label changed, then sent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.flows import (
    LANGS,
    PHONE,
    assert_accessible,
    assert_no_sideways_scroll,
    certificate_pdf,
    fill_za_zyciem_form,
    prefix,
    press_step,
    reference_on,
)

ADDED = {
    "pl": "Dodane pliki: {n} z 5",
    "en": "Files added: {n} of 5",
    "uk": "Додано файлів: {n} з 5",
}


def pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": certificate_pdf()}


def held_names(page: Any) -> list[str]:
    return [n.strip() for n in page.locator(".held-files .held-name").all_inner_texts()]


def add_files(page: Any, files: list[dict[str, Any]], label: str) -> None:
    page.set_input_files("#f-certificates", files)
    page.fill("#n-certificates", label)
    press_step(page, "add")


@pytest.mark.parametrize("lang", LANGS)
def test_several_files_with_labels(new_page: Any, lang: str) -> None:
    page = new_page(**PHONE)
    page.goto(f"{prefix(lang)}/gostynin/za-zyciem/wniosek")
    fill_za_zyciem_form(page)
    page.set_input_files("#f-certificates", [])  # files come below, one step at a time

    add_files(page, [pdf("strona1.pdf")], "strona 1")
    assert held_names(page) == ["strona1.pdf"]
    assert page.input_value("input[name^='label:']") == "strona 1"
    assert page.url.endswith("#f-certificates")  # back at the question
    assert page.input_value("#f-full_name") == "Maria Nowak"  # nothing typed is lost

    add_files(page, [pdf("wypis.pdf"), pdf("zbędny.pdf")], "wypis ze szpitala")
    assert held_names(page) == ["strona1.pdf", "wypis.pdf", "zbędny.pdf"]
    assert ADDED[lang].format(n=3) in page.inner_text("main")
    assert_accessible(page, f"the file question with three files ({lang})")
    assert_no_sideways_scroll(page, f"the file question with three files ({lang})")

    with page.expect_navigation():
        page.locator(".held-files li").nth(2).locator("button[name=step]").click()
    assert held_names(page) == ["strona1.pdf", "wypis.pdf"]
    page.locator("input[name^='label:']").first.fill("strona 1 z 2")
    page.check("#f-truthful")  # answers survive; ticking again is harmless

    press_step(page, "check")
    main = page.inner_text("main")
    assert "strona 1 z 2 – strona1.pdf" in main
    assert "wypis ze szpitala – wypis.pdf" in main
    assert "zbędny.pdf" not in main
    press_step(page, "submit")
    assert "/wyslano/" in page.url
    reference_on(page)


def test_enter_in_a_label_checks_the_form_and_removes_nothing(new_page: Any) -> None:
    page = new_page(**PHONE)
    page.goto("/gostynin/za-zyciem/wniosek")
    fill_za_zyciem_form(page)
    page.set_input_files("#f-certificates", [])
    add_files(page, [pdf("a.pdf"), pdf("b.pdf")], "")
    page.locator("input[name^='label:']").first.fill("strona 1")
    with page.expect_navigation():
        page.locator("input[name^='label:']").first.press("Enter")
    # The hidden default button is the check: both files are still there.
    main = page.inner_text("main")
    assert "strona 1 – a.pdf" in main and "b.pdf" in main
    assert page.locator("button[name=step][value=submit]").count() == 1
