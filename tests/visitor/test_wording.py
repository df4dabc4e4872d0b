"""Words as a visitor and a member of staff read them: for everyone, and spelt one way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import make_app
from tests.visitor.pages import ROOT, every_page_kind
from tests.visitor.visible import visible_lines

# Polish first and second person past tense marks a gender: "zapisałem", "wysłałeś",
# "zrobiłam". Interface text addresses and speaks for everyone, so it avoids them. (A vowel
# before the ł: nouns such as "hasłem" or "tytułem" are not verbs.)
GENDERED = re.compile(r"\b\w+[aeiyą]ł(?:em|eś|am|aś)\b", re.IGNORECASE)
# The apostrophe inside Ukrainian words: U+02BC (ʼ), as the project settled on; any other
# (', ’, `, ′) between two Cyrillic letters is a second spelling of the same word.
CYRILLIC = "а-яіїєґА-ЯІЇЄҐ"
OTHER_APOSTROPHE = re.compile(f"[{CYRILLIC}]['’`′ʹ][{CYRILLIC}]")


def polish_sources() -> list[str]:
    with (ROOT / "translations" / "pl" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale="pl")
    ids: list[str] = []
    for message in catalogue:
        if message.id:  # obsolete entries (#~) are not part of the catalogue
            ids += [str(i) for i in (message.id if isinstance(message.id, tuple) else [message.id])]
    forms = [line for p in ROOT.glob("forms/**/*.yml") for line in p.read_text().splitlines()]
    return ids + [line for line in forms if line.strip().startswith("pl:")]


def test_interface_text_is_for_everyone() -> None:
    gendered = sorted({m.group(0) for text in polish_sources() for m in GENDERED.finditer(text)})
    assert gendered == [], f"gendered first/second person in the interface: {gendered}"


def ukrainian_files() -> list[Path]:
    return [
        ROOT / "translations" / "uk" / "LC_MESSAGES" / "messages.po",
        *ROOT.glob("forms/**/*.yml"),
        *ROOT.glob("content/**/*.uk.md"),
        *ROOT.glob("content/*/centre.yml"),
    ]


@pytest.mark.parametrize("path", ukrainian_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_ukrainian_apostrophe_is_spelt_one_way(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = sorted({m.group(0) for m in OTHER_APOSTROPHE.finditer(text)})
    assert found == [], f"use ʼ (U+02BC): {found}"


def test_ukrainian_pages_spell_the_apostrophe_one_way(tmp_path: Path) -> None:
    pages = every_page_kind(make_app(tmp_path), "uk")
    found = sorted(
        {
            f"{page.label}: {m.group(0)}"
            for page in pages
            for line in visible_lines(page.html)
            for m in OTHER_APOSTROPHE.finditer(line)
        }
    )
    assert found == [], found
    assert any("сімʼї" in page.html for page in pages)
