"""Finding a centre as visitors type it, the no-result page, and what every page's head
gives a browser (an icon) and a search engine (a description)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


def found(client: FlaskClient, query: str, prefix: str = "") -> list[str]:
    html = client.get(f"{prefix}/", query_string={"q": query}).text
    return re.findall(r'<li class="card">\s*<h3><a href="(?:/\w\w)?/([a-z-]+)/"', html)


@pytest.mark.parametrize(
    ("query", "prefix", "slug"),
    [
        ("34100", "", "tomice"),  # the forms accept a postal code without its dash
        ("09500", "/en", "gostynin"),
        ("Гостинін", "/uk", "gostynin"),  # Ukrainian spelling of Gostynin
        ("Томіце", "/uk", "tomice"),
        ("Рендзіни", "/uk", "redziny"),  # ę heard as "en"
        ("Рожан", "/uk", "rozan"),
    ],
)
def test_search_finds_what_visitors_type(
    client: FlaskClient, query: str, prefix: str, slug: str
) -> None:
    assert found(client, query, prefix) == [slug]


def test_a_longer_number_is_not_taken_for_a_postal_code(client: FlaskClient) -> None:
    assert found(client, "341001") == []


def test_no_result_page_says_every_gmina_has_a_centre(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "Zzyzx"}).text
    assert "Każda gmina w Polsce ma ośrodek pomocy społecznej" in html
    assert "zadzwoń do urzędu swojej gminy" in html
    uk = client.get("/uk/", query_string={"q": "Zzyzx"}).text
    assert "Кожна ґміна в Польщі має центр соціальної допомоги" in uk


@pytest.mark.parametrize("path", ["/", "/tomice/", "/en/tomice/zgloszenie", "/status/x"])
def test_every_page_links_an_icon_that_exists(client: FlaskClient, path: str) -> None:
    html = client.get(path).text
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert len(icons) == 2
    for icon in icons:
        response = client.get(icon)
        response.close()  # a static file is streamed from disk
        assert response.status_code == 200


def test_favicon_ico_is_served(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    data = response.get_data()
    response.close()
    assert response.status_code == 200
    assert data[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("lang", ["", "/en", "/uk"])
@pytest.mark.parametrize("form", ["/tomice/zgloszenie", "/gostynin/za-zyciem/wniosek"])
def test_form_pages_have_a_description(client: FlaskClient, lang: str, form: str) -> None:
    html = client.get(lang + form).text
    description = re.search(r'<meta name="description" content="([^"]{40,})">', html)
    assert description, form
