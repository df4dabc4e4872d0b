"""An English or Ukrainian visitor reads no Polish interface text on any kind of page.

The reference is the project's own sources of interface text, so the test needs no list
of words: every message of the catalogues, every text of the form definitions and every
label of the centres' `centre.yml` is a Polish source with its translations. A page in
`en` or `uk` fails when its visible text still holds a Polish source whose translation
differs, unless that text is inside an element marked `lang="pl"` (a proper name, or a
page shown in Polish because it has no translation yet).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from tests.conftest import make_app
from tests.visitor.pages import ROOT, every_page_kind
from tests.visitor.visible import visible_lines

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _catalogue_pairs(lang: str) -> Iterator[tuple[str, str]]:
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalogue = read_po(po, locale=lang)
    for message in catalogue:
        if not message.id:
            continue
        ids = [str(i) for i in (message.id if isinstance(message.id, tuple) else (message.id,))]
        raw = message.string if isinstance(message.string, tuple) else (message.string,)
        strings = [str(s or "") for s in raw]
        for index, source in enumerate(ids):
            yield source, strings[min(index, len(strings) - 1)] if strings else ""


def _texts(node: Any) -> Iterator[dict[str, str]]:
    """Every {pl, en, uk…} mapping inside a YAML document."""
    if isinstance(node, dict):
        if "pl" in node and all(isinstance(v, str) for v in node.values()):
            yield {str(k): str(v) for k, v in node.items()}
        else:
            for value in node.values():
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _yaml_pairs(lang: str) -> Iterator[tuple[str, str]]:
    paths = [*ROOT.glob("forms/**/*.yml"), *ROOT.glob("content/*/centre.yml")]
    for path in sorted(paths):
        for text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield text["pl"].strip(), text.get(lang, "").strip()


def _pattern(source: str) -> re.Pattern[str]:
    """A Polish source as it may appear on a page: placeholders stand for any text."""
    literal = [re.escape(" ".join(part.split())) for part in PLACEHOLDER.split(source)]
    body = ".+?".join(part.replace(r"\ ", r"\s+") for part in literal)
    return re.compile(rf"(?<!\w){body}(?!\w)")


def polish_sources(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    """Polish sources that a page in `lang` must not show.

    Left out: sources translated as themselves ("PESEL"), and sources that appear as
    words inside some text of `lang` itself ("E-mail" in "E-mail address"): seeing
    them proves nothing.
    """
    pairs = [*_catalogue_pairs(lang), *_yaml_pairs(lang)]
    own_texts = "\n".join(target for _source, target in pairs)
    sources = {}
    for source, target in pairs:
        literal = "".join(PLACEHOLDER.split(source)).strip()
        if not literal or " ".join(source.split()) == " ".join(target.split()):
            continue
        pattern = _pattern(source)
        if not pattern.search(own_texts):
            sources[source] = pattern
    return sorted(sources.items())


@pytest.fixture(scope="module", params=["en", "uk"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    lang = str(request.param)
    app = make_app(Path(tmp_path_factory.mktemp(f"lang-{lang}")))
    return lang, every_page_kind(app, lang)


def test_the_reference_is_not_empty() -> None:
    sources = dict(polish_sources("uk"))
    assert len(sources) > 300
    assert "Potrzebujesz wsparcia?" in sources and "Sekretariat" in sources
    assert "Czy któremuś dziecku grozi teraz niebezpieczeństwo?" in sources


def test_every_page_kind_is_in_the_visitors_language(rendered: Any) -> None:
    lang, pages = rendered
    sources = polish_sources(lang)
    problems = []
    for page in pages:
        assert page.status < 600 and f'<html lang="{lang}">' in page.html, page.label
        for line in visible_lines(page.html):
            found = [source for source, pattern in sources if pattern.search(line)]
            problems += [f"{page.label}: {source!r} in {line[:120]!r}" for source in found]
    assert not problems, f"Polish text on {lang} pages:\n" + "\n".join(problems)


def test_the_page_kinds_are_all_there(rendered: Any) -> None:
    _lang, pages = rendered
    labels = " | ".join(page.label for page in pages)
    for kind in (
        "home",
        "search found nothing",
        "centre page",
        "parent form, all errors",
        "za-zyciem check page",
        "confirmation, urgent",
        "status, withdrawn",
        "withdraw confirmation",
        "error 500",
        "error csrf",
        "404 page",
    ):
        assert kind in labels, kind
    assert {page.status for page in pages} >= {200, 400, 404, 413, 429, 500}
