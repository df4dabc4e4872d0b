"""Which links lead somewhere: pages of the centre and the defaults, the portal's routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from portal.pages.documents import split_front_matter
from portal.pages.links import LinkChecker, routes_of

PAGES = {
    "tomice": frozenset({"index", "kontakt", "jak-uzyskac-wsparcie"}),
    "gostynin": frozenset({"index", "kontakt"}),
}
DEFAULT_PAGES = frozenset({"kontakt", "ochrona-danych"})


def pages_of(centre: str | None) -> frozenset[str] | None:
    return DEFAULT_PAGES if centre is None else PAGES.get(centre)


@pytest.fixture
def checker(app: Flask) -> LinkChecker:
    return LinkChecker(pages_of, routes_of(app.url_map))


@pytest.mark.parametrize(
    ("target", "verdict"),
    [
        ("kontakt", "ok"),
        ("./kontakt#godziny", "ok"),
        ("jak-uzyskac-wsparcie", "ok"),
        ("nie-ma-takiej", "broken"),
        ("index", "broken"),  # the home page is /tomice/, not /tomice/index
        ("zgloszenie", "ok"),
        ("/status/jakis-link", "ok"),
        ("za-zyciem/wniosek", "ok"),
        ("za-zyciem/nic", "broken"),
        ("../gostynin/kontakt", "ok"),
        ("../gostynin/jak-uzyskac-wsparcie", "broken"),
        ("/en/tomice/kontakt", "ok"),
        ("/uk/tomice/", "ok"),
        ("/tomice", "ok"),
        ("/", "ok"),
        ("/healthz", "ok"),
        ("/nie-ma-takiego-osrodka/", "broken"),
        ("#na-tej-stronie", "ok"),
        ("https://example.org/nie-sprawdzany", "ok"),
        ("mailto:gops@example.org", "ok"),
        ("tel:+48338230000", "ok"),
        ("{{ centre.bip }}", "ok"),
        ("javascript:alert(1)", "scheme"),
        ("data:text/html,x", "scheme"),
    ],
)
def test_a_centres_page_link(checker: LinkChecker, target: str, verdict: str) -> None:
    assert checker.verdict(target, "tomice") == verdict


def test_a_default_page_may_link_only_to_defaults(checker: LinkChecker) -> None:
    assert checker.verdict("ochrona-danych", None) == "ok"
    assert checker.verdict("jak-uzyskac-wsparcie", None) == "broken"  # only tomice has it
    assert checker.verdict("zgloszenie", None) == "ok"


def test_without_the_routes_only_pages_count(app: Flask) -> None:
    assert LinkChecker(pages_of, None).verdict("zgloszenie", "tomice") == "broken"
    assert LinkChecker(pages_of, None).verdict("kontakt", "tomice") == "ok"


def test_links_are_found_with_their_lines(checker: LinkChecker) -> None:
    text = (
        "---\ntitle: T\n---\nA [one](kontakt) and [two](nie-ma).\n\n```\n[not](a-link)\n```\n"
        "[ref]: /tomice/brak\n![img](obrazek)\n"
    )
    found = checker.problems(Path("x.pl.md"), split_front_matter(Path("x.pl.md"), text), "tomice")
    assert [(p.line, p.subject) for p in found] == [
        (4, "nie-ma"),
        (9, "/tomice/brak"),
        (10, "obrazek"),
    ]
