"""Every public page carries the quick exit, first after the skip link; the panel does not.

A visitor who may be watched must be able to leave any page at once: the link leads to
`PORTAL_QUICK_EXIT_URL` (a neutral site), tells that site nothing (`noreferrer`), and
beside it, on a centre's pages, is the centre's page on using the site safely.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.visitor.pages import every_page_kind, prefix

EXIT_URL = "https://pogoda.example.org/prognoza"


class _Focusables(HTMLParser):
    """The links, buttons and fields of a page, in document (= tab) order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if (tag == "a" and "href" in values) or tag in ("button", "input", "select", "textarea"):
            if values.get("type") != "hidden":
                self.found.append({"tag": tag, **values})


def focusables(html: str) -> list[dict[str, str]]:
    parser = _Focusables()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_every_public_page_starts_with_the_quick_exit(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, PORTAL_QUICK_EXIT_URL=EXIT_URL)
    shown = every_page_kind(app, lang)
    assert len(shown) > 40
    for page in shown:
        links = focusables(page.html)
        assert links[0].get("class") == "skip-link", page.label
        exit_link = links[1]
        assert exit_link.get("class") == "quick-exit", page.label
        assert exit_link["href"] == EXIT_URL, page.label
        assert set(exit_link.get("rel", "").split()) == {"nofollow", "noreferrer"}, page.label
        assert sum(1 for link in links if link.get("class") == "quick-exit") == 1, page.label


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_a_centre_page_links_its_safety_page_beside_the_exit(tmp_path: Path, lang: str) -> None:
    client = make_app(tmp_path).test_client()
    for centre, path in [
        ("tomice", "/tomice/"),
        ("tomice", "/tomice/zgloszenie"),
        ("gostynin", "/gostynin/za-zyciem/wniosek"),
    ]:
        links = focusables(client.get(prefix(lang) + path).text)
        assert links[2].get("class") == "safety-link", path
        assert links[2]["href"] == f"{prefix(lang)}/{centre}/bezpieczenstwo", path


@pytest.mark.parametrize(
    ("lang", "heading", "line"),
    [
        ("pl", "Jak bezpiecznie korzystać z tej strony", "Niebieska Linia"),
        ("en", "Using this site safely", "private window"),
        ("uk", "Як безпечно користуватися цим сайтом", "приватному вікні"),
    ],
)
def test_the_safety_page_exists_for_every_centre_with_the_helplines(
    tmp_path: Path, lang: str, heading: str, line: str
) -> None:
    client = make_app(tmp_path).test_client()
    for centre in ("tomice", "gostynin", "rozan", "redziny"):
        html = client.get(f"{prefix(lang)}/{centre}/bezpieczenstwo").text
        assert f"<h1>{heading}</h1>" in html, centre
        assert line in html
        for number in ("tel:112", "tel:116111", "tel:800120002"):
            assert f'href="{number}"' in html, (centre, number)


def test_the_panel_has_no_quick_exit(tmp_path: Path) -> None:
    client = make_app(tmp_path).test_client()
    login = client.get("/panel/logowanie")
    assert login.status_code == 200
    assert "quick-exit" not in login.text
    assert "skip-link" in login.text
    missing = client.get("/panel/nie-ma-takiej-strony")
    assert missing.status_code == 404
    assert "quick-exit" not in missing.text
    assert "quick-exit" in client.get("/panelowa-strona/").text  # a public 404


def test_the_exit_address_must_be_a_web_address() -> None:
    from portal.core.settings import SETTINGS, ConfigError

    setting = next(s for s in SETTINGS if s.env == "PORTAL_QUICK_EXIT_URL")
    assert setting.read({}).startswith("https://")
    assert setting.read({"PORTAL_QUICK_EXIT_URL": EXIT_URL}) == EXIT_URL
    with pytest.raises(ConfigError):
        setting.read({"PORTAL_QUICK_EXIT_URL": "javascript:alert(1)"})
