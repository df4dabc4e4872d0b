"""No two entries of an error summary read the same: each says which answer it is about."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.visitor.pages import form_pages

SUMMARY_RE = re.compile(r'<div class="error-summary".*?</div>', re.S)
ENTRY_RE = re.compile(r"<li><a [^>]*>(.*?)</a></li>", re.S)


def summary_entries(html: str) -> list[str]:
    summary = SUMMARY_RE.search(html)
    if summary is None:
        return []
    return [" ".join(unescape(e).split()) for e in ENTRY_RE.findall(summary.group(0))]


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_no_two_entries_of_an_error_summary_read_the_same(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path)
    pages = [p for p in form_pages(app.test_client(), lang) if p.status == 400]
    assert len(pages) >= 5  # empty forms, wrong answers, conditional questions, two dates
    for page in pages:
        entries = summary_entries(page.html)
        assert entries, page.label
        repeated = sorted({e for e in entries if entries.count(e) > 1})
        assert not repeated, f"{page.label} [{lang}]: the summary repeats {repeated}"


def test_an_empty_form_names_each_missing_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    client = app.test_client()
    html = client.post("/tomice/zgloszenie", data={"step": "check"}).text
    entries = summary_entries(html)
    assert "Wpisz imię i nazwisko." in entries and "Wpisz kod pocztowy." in entries
    assert "Zaznacz, czy któremuś dziecku grozi teraz niebezpieczeństwo." in entries
    assert "To pole jest wymagane." not in entries
