"""An iPhone photo (HEIC) of the certificate, chosen in a real browser in each language:
accepted, listed as the JPEG it becomes, and sent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.flows import LANGS, PHONE, fill_za_zyciem_form, prefix, press_step, reference_on
from tests.heic import heic_bytes


@pytest.mark.parametrize("lang", LANGS)
def test_a_heic_photo_is_accepted_and_sent(new_page: Any, lang: str) -> None:
    page = new_page(**PHONE)
    page.goto(f"{prefix(lang)}/gostynin/za-zyciem/wniosek")
    accept = page.get_attribute("#f-certificates", "accept") or ""
    assert ".heic" in accept and "image/heic" in accept  # the phone offers its photos
    fill_za_zyciem_form(page)
    photo = {"name": "IMG_0042.HEIC", "mimeType": "image/heic", "buffer": heic_bytes(orientation=6)}
    page.set_input_files("#f-certificates", photo)
    press_step(page, "check")
    main = page.inner_text("main")
    assert "IMG_0042.jpg" in main, main[:800]
    assert page.locator(".error-summary").count() == 0
    press_step(page, "submit")
    assert "/wyslano/" in page.url
    reference_on(page)
