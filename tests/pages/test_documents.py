"""The content loader: centres, front matter, placeholders, fallbacks, caching, broken files."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from flask import Flask

from portal.core.centres import CentreError, CentreRegistry, fold, parse_centre
from portal.pages.check import check_content
from portal.pages.documents import PageError, fill_placeholders, read_source
from portal.pages.links import routes_of
from portal.pages.store import PageStore

CENTRE_YML = textwrap.dedent(
    """\
    name: Gminny Ośrodek Pomocy Społecznej w Łące
    short_name: GOPS Łąka
    kind: GOPS
    gmina: Łąka
    powiat: łącki
    address: {street: ul. Polna 1, postal_code: 11-111, city: Łąka}
    phones:
      - number: "11 111 11 11"
        label: {pl: Sekretariat, en: Office, uk: Секретаріат}
    email: gops@example.org
    hours:
      - days: {pl: poniedziałek–piątek, en: Monday to Friday, uk: понеділок–пʼятниця}
        time: "7:30–15:30"
    postal_codes: ["11-111", "11-112"]
    bip: https://example.org/bip
    inbox: inbox@example.org
    dpo_email: iod@example.org
    answer_days: 7
    reference_prefix: LAK
    """
)


def page(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\n{body}\n"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    (tmp_path / "laka").mkdir()
    (tmp_path / "_defaults").mkdir()
    (tmp_path / "laka" / "centre.yml").write_text(CENTRE_YML)
    (tmp_path / "laka" / "index.pl.md").write_text(page("Asystent", "Witamy w {{ centre.name }}."))
    (tmp_path / "laka" / "index.en.md").write_text(page("Assistant", "Welcome."))
    (tmp_path / "_defaults" / "kontakt.pl.md").write_text(
        page("Kontakt", "Adres: {{ centre.address }}. Godziny: {{centre.hours}}.", "order: 30\n")
    )
    (tmp_path / "_defaults" / "kontakt.uk.md").write_text(
        page("Контакти", "Адреса: {{ centre.address }}. {{ centre.hours }}", "order: 30\n")
    )
    return tmp_path


def test_centre_is_read(content: Path) -> None:
    centre = parse_centre("laka", content / "laka" / "centre.yml")
    assert centre.address == "ul. Polna 1, 11-111 Łąka"
    assert centre.hours_text("uk") == "понеділок–пʼятниця 7:30–15:30"
    assert centre.facts("en")["phones"] == "Office: 11 111 11 11"


def test_centre_problems_name_line(content: Path) -> None:
    path = content / "laka" / "centre.yml"
    path.write_text(CENTRE_YML.replace("answer_days: 7", "answer_days: soon"))
    with pytest.raises(CentreError) as err:
        parse_centre("laka", path)
    line = CENTRE_YML.splitlines().index("answer_days: 7") + 1
    assert f"centre.yml:{line}: answer_days" in str(err.value)


def test_search_folds_polish_letters(content: Path) -> None:
    registry = CentreRegistry.load(content)
    assert [c.slug for c in registry.search("laka")] == ["laka"]
    assert [c.slug for c in registry.search("ŁĄKA 11-112")] == ["laka"]
    assert registry.search("gostynin") == []
    assert fold("Rędziny") == "redziny"


def test_placeholders_are_plain_text(content: Path) -> None:
    body = fill_placeholders(
        "{{ centre.name }} {{centre.email}}", {"name": "<b>*A*</b>", "email": "x@y"}
    )
    assert "<b>" not in body and "\\*A\\*" in body


def test_translation_and_fallback(content: Path) -> None:
    store = PageStore(content)
    centre = CentreRegistry.load(content).get("laka")
    assert centre is not None
    home_en = store.page(centre, "index", "en")
    assert home_en is not None and not home_en.fallback and "Welcome" in home_en.html
    home_uk = store.page(centre, "index", "uk")
    assert home_uk is not None and home_uk.fallback and home_uk.lang == "pl"
    assert "Gminny Ośrodek Pomocy Społecznej w Łące" in home_uk.html
    contact = store.page(centre, "kontakt", "uk")
    assert contact is not None and "11-111 Łąka" in contact.html and "понеділок" in contact.html
    assert [i.slug for i in store.navigation(centre, "pl")] == ["index", "kontakt"]


def test_cache_follows_file_changes(content: Path) -> None:
    store = PageStore(content)
    centre = CentreRegistry.load(content).get("laka")
    assert centre is not None
    path = content / "laka" / "index.pl.md"
    first = store.page(centre, "index", "pl")
    assert first is not None and "Witamy" in first.html
    path.write_text(page("Asystent", "Zmieniona treść strony."))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = store.page(centre, "index", "pl")
    assert second is not None and "Zmieniona" in second.html


def test_broken_page_is_left_out_others_served(content: Path) -> None:
    (content / "laka" / "zle.pl.md").write_text("---\ntitle: [unclosed\n---\nx\n")
    store = PageStore(content)
    centre = CentreRegistry.load(content).get("laka")
    assert centre is not None
    assert store.page(centre, "zle", "pl") is None
    assert store.page(centre, "index", "pl") is not None
    assert "zle" not in [i.slug for i in store.navigation(centre, "pl")]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("no front matter\n", "must start with '---'", 1),
        ("---\ntitle: A\n", "no closing '---'", 1),
        ("---\nsummary: x\n---\nbody\n", "needs a 'title'", 2),
        ("---\ntitle: A\nwho: x\n---\nbody\n", "unknown front matter key 'who'", 2),
        ("---\ntitle: A\n---\nline\n# Heading\n", "use '##' headings", 5),
        ("---\ntitle: A\n---\n\n{{ centre.secret }}\n", "unknown placeholder", 5),
        ("---\ntitle: A\n---\n{{ config }}\n", "outside a {{ centre.<key> }}", 4),
        ("---\ntitle: A\norder: first\n---\nx\n", "'order' must be int", 2),
    ],
)
def test_page_problems(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = tmp_path / "x.pl.md"
    path.write_text(text)
    with pytest.raises(PageError) as err:
        read_source(path)
    assert f"x.pl.md:{line}: " in str(err.value) and message in str(err.value)


def test_check_content_reports_every_problem(content: Path) -> None:
    (content / "laka" / "index.de.md").write_text(page("A", "b"))
    (content / "laka" / "tylko.en.md").write_text(page("A", "b"))
    (content / "nowy").mkdir()
    problems = [str(p) for p in check_content(content)]
    assert any("index.de.md:1: expected <page>.<pl|en|uk>.md" in p for p in problems)
    assert any("tylko.pl.md:1: every page needs its Polish source" in p for p in problems)
    assert any("nowy:1: centre folder has no centre.yml" in p for p in problems)


def test_shipped_content_is_clean(app: Flask) -> None:
    root = Path(__file__).resolve().parents[2]
    routes = routes_of(app.url_map)
    assert [str(p) for p in check_content(root / "content", routes=routes)] == []
