"""axe-core (WCAG 2.0 and 2.1, levels A and AA) finds nothing on any kind of page, in pl, en, uk."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.flows import (
    LANGS,
    assert_accessible,
    axe_violations,
    describe_violations,
    form_steps,
    prefix,
)

# (label, path after the language prefix, expected status)
PAGES = [
    ("centres", "/", 200),
    ("search-found", "/?q=Tomice", 200),
    ("search-postal-code", "/?q=09-500", 200),
    ("search-nothing", "/?q=Zzyzx", 200),
    ("centre-home", "/tomice/", 200),
    ("content-tasks", "/rozan/zadania-asystenta", 200),
    ("content-contact", "/gostynin/kontakt", 200),
    ("content-za-zyciem", "/gostynin/za-zyciem", 200),
    ("content-privacy", "/tomice/ochrona-danych", 200),
    ("content-safety", "/gostynin/bezpieczenstwo", 200),
    ("content-accessibility", "/tomice/deklaracja-dostepnosci", 200),
    ("404-page", "/tomice/nie-ma-takiej-strony", 404),
    ("404-centre", "/nie-ma-takiego-osrodka/", 404),
    ("status-bad-link", "/status/nieprawidlowy-link", 404),
    ("form-parent", "/tomice/zgloszenie", 200),
    ("form-za-zyciem", "/gostynin/za-zyciem/wniosek", 200),
]
PAGE_IDS = [label for label, _path, _status in PAGES]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("label", "path", "status"), PAGES, ids=PAGE_IDS)
def test_page_has_no_axe_violations(
    page: Any, lang: str, label: str, path: str, status: int
) -> None:
    response = page.goto(prefix(lang) + path)
    assert response is not None and response.status == status, f"{path}: {response.status}"
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page, f"{label} [{lang}]")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("form", ["zgloszenie", "za-zyciem"])
def test_form_flow_has_no_axe_violations(page: Any, lang: str, form: str) -> None:
    """The form, its errors, the check page, the confirmation and the status page."""
    problems = []
    for step in form_steps(page, lang, form):
        assert page.locator("html").get_attribute("lang") == lang
        violations = axe_violations(page)
        if violations:
            problems.append(f"{step} ({page.url}):\n{describe_violations(violations)}")
    assert not problems, f"axe-core violations in the {form} flow [{lang}]:\n" + "\n".join(problems)
