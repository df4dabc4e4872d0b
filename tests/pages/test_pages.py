"""Every centre × page × language, the centre list and search, error pages, healthz."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.core.centres import CentreRegistry
from portal.core.settings import DEV_BASE_URL
from portal.pages.store import PageStore

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = CentreRegistry.load(ROOT / "content")
CENTRES = [c.slug for c in REGISTRY]
REQUIRED_PAGES = [
    "index",
    "za-zyciem",
    "jak-uzyskac-wsparcie",
    "kontakt",
    "ochrona-danych",
    "deklaracja-dostepnosci",
]
PREFIX = {"pl": "", "en": "/en", "uk": "/uk"}
MATRIX = [
    (centre.slug, page, lang)
    for centre in REGISTRY
    for page in PageStore(ROOT / "content").slugs(centre)
    for lang in PREFIX
]


def url(slug: str, page: str, lang: str) -> str:
    return f"{PREFIX[lang]}/{slug}/" + ("" if page == "index" else page)


def test_four_centres_with_required_pages() -> None:
    assert sorted(CENTRES) == ["gostynin", "redziny", "rozan", "tomice"]
    store = PageStore(ROOT / "content")
    for centre in REGISTRY:
        assert set(REQUIRED_PAGES) <= set(store.slugs(centre)), centre.slug
        for page in REQUIRED_PAGES:
            for lang in PREFIX:
                found = store.page(centre, page, lang)
                assert found is not None and not found.fallback, (centre.slug, page, lang)


@pytest.mark.parametrize(("slug", "page", "lang"), MATRIX)
def test_every_page_in_every_language(client: FlaskClient, slug: str, page: str, lang: str) -> None:
    response = client.get(url(slug, page, lang))
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    assert html.count("<h1") == 1
    assert 'href="#main"' in html and 'id="main"' in html
    for other, prefix in PREFIX.items():
        # On the site's address (the local default in tests), not the request's Host.
        assert f'hreflang="{other}" href="{DEV_BASE_URL}{prefix}/{slug}/' in html
    centre = REGISTRY.get(slug)
    assert centre is not None and centre.name in html
    assert f'{PREFIX[lang]}/{slug}/ochrona-danych"' in html
    assert f'{PREFIX[lang]}/{slug}/deklaracja-dostepnosci"' in html
    assert "Set-Cookie" not in response.headers


def test_gostynin_facts(client: FlaskClient) -> None:
    html = client.get("/gostynin/kontakt").text
    assert "Parkowa 22" in html and "24 236 13 60" in html and "24 236 13 65" in html


def test_redziny_programme_and_rozan_list(client: FlaskClient) -> None:
    assert "15 309,00" in client.get("/redziny/").text
    assert client.get("/rozan/zadania-asystenta").text.count("<li>") >= 19


def test_interface_is_translated(client: FlaskClient) -> None:
    assert "Skip to main content" in client.get("/en/tomice/").text
    assert "Перейти до основного вмісту" in client.get("/uk/tomice/").text
    assert "Przejdź do treści" in client.get("/tomice/").text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 4),
        ("gostynin", 1),
        ("Rędziny", 1),
        ("redziny", 1),
        ("09-500", 1),
        ("rozan", 1),
        ("nie-ma-takiego", 0),
        ("<script>", 0),
        ("x" * 500, 0),
    ],
)
def test_search(client: FlaskClient, query: str, expected: int) -> None:
    response = client.get("/", query_string={"q": query})
    assert response.status_code == 200
    assert len(re.findall(r'<li class="card">', response.text)) == expected
    assert "<script>" not in response.text


def test_search_without_results_offers_a_way_on(client: FlaskClient) -> None:
    html = client.get("/en/?q=zzzz").text
    assert 'href="/en/"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/nie-ma/",
        "/tomice/nie-ma",
        "/en/nie-ma/",
        "/de/tomice/",
        "/panel-x/",
        "/tomice/index",
        "/uk/tomice/../../etc/passwd",
    ],
)
def test_404_in_the_visitors_language(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    lang = "uk" if path.startswith("/uk/") else "en" if path.startswith("/en/") else "pl"
    assert f'<html lang="{lang}">' in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize("slug", ["en", "uk", "pl", "panel", "status", "static", "healthz"])
def test_reserved_words_are_not_centres(client: FlaskClient, slug: str) -> None:
    assert client.get(f"/{slug}/kontakt", follow_redirects=True).status_code == 404


def test_500_page_is_friendly(client: FlaskClient, app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom-for-test")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = client.get("/boom-for-test")
    assert response.status_code == 500
    assert "secret detail" not in response.text and "Traceback" not in response.text
    assert 'href="/"' in response.text


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "virus_scanner": "off"}
    assert response.headers["Cache-Control"] == "no-store"
