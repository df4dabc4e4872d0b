"""English and Ukrainian pages mark the Polish names they show with lang="pl" (WCAG 3.1.2).

The centre's name and address stay in Polish in every language; a screen reader
reads them with a Polish voice only when the markup says so. Markdown content is
its authors' business, so only the pages' own frame and forms are checked here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser.flows import form_steps, prefix

CONTENT = Path(__file__).resolve().parents[2] / "content"
CENTRE_NAMES = sorted(
    yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
    for path in CONTENT.glob("*/centre.yml")
)

# Text nodes outside the Markdown content that contain a centre's name, with the
# language their nearest `lang` attribute gives them.
NAMES_JS = """
(names) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent;
    if (!el || el.closest('.prose')) continue;
    if (names.some((name) => text.includes(name))) {
      found.push({lang: el.closest('[lang]').getAttribute('lang'),
                  where: el.tagName.toLowerCase() + '.' + el.className,
                  text: text.trim().slice(0, 80)});
    }
  }
  return found;
}
"""


def unmarked_names(page: Any) -> list[str]:
    found = page.evaluate(NAMES_JS, CENTRE_NAMES)
    return [f"{f['where']} [{f['lang']}]: {f['text']}" for f in found if f["lang"] != "pl"]


def test_centre_names_are_known() -> None:
    assert len(CENTRE_NAMES) >= 4


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("path", ["/", "/tomice/", "/gostynin/kontakt", "/tomice/ochrona-danych"])
def test_polish_names_are_marked_on_pages(page: Any, lang: str, path: str) -> None:
    page.goto(prefix(lang) + path)
    problems = unmarked_names(page)
    assert not problems, f"Polish names without lang=pl on {page.url}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_polish_names_are_marked_in_the_form_flow(page: Any, lang: str) -> None:
    problems = []
    for step in form_steps(page, lang, "zgloszenie"):
        problems += [f"{step}: {p}" for p in unmarked_names(page)]
    assert not problems, "Polish names without lang=pl:\n" + "\n".join(problems)
