"""Every interface string has an English and a Ukrainian translation, and the catalogues
are not stale: what the code says is what the catalogues hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def extracted() -> set[str]:
    """Message ids as the code and templates have them now."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]  # Babel ships no hints for it
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "portal"), method_map, options_map, keywords=keywords
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def catalogue(lang: str) -> Catalog:
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


@pytest.fixture(scope="module")
def source_ids() -> set[str]:
    return extracted()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_string_is_translated(lang: str, source_ids: set[str]) -> None:
    cat = catalogue(lang)
    missing = []
    for msgid in sorted(source_ids):
        message = cat.get(msgid)
        strings = (
            []
            if message is None
            else (list(message.string) if isinstance(message.string, tuple) else [message.string])
        )
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert missing == [], f"{lang}: untranslated: {missing[:10]} (run `make extract`, translate)"


def _texts(value: object) -> list[str]:
    """A catalogue entry's id or string as a list (plural entries hold several)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    assert isinstance(value, tuple | list), value
    return [str(v) for v in value]


@pytest.mark.parametrize("lang", ["en", "uk", "pl"])
def test_placeholders_survive_translation(lang: str) -> None:
    for message in catalogue(lang):
        if not message.id or not message.string:
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(_texts(message.id))))
        for text in _texts(message.string):
            assert set(PLACEHOLDER.findall(text)) <= wanted | {"num"}, (lang, message.id)


def test_polish_plurals_have_three_forms(source_ids: set[str]) -> None:
    cat = catalogue("pl")
    for message in cat:
        if isinstance(message.id, tuple) and message.id[0] in source_ids:
            forms = _texts(message.string)
            assert len(forms) == 3 and all(forms), message.id
