"""Helpers of the page editor's tests: save and publish through the panel's own forms."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def page_url(centre: str, slug: str, lang: str) -> str:
    return f"/panel/strony/{centre}/strona/{slug}/{lang}"


def page_form(
    title: str,
    body: str,
    *,
    action: str = "save",
    summary: str = "",
    order: str = "",
    nav: bool = True,
) -> dict[str, str]:
    data = {
        "page-title": title,
        "page-body": body,
        "page-summary": summary,
        "page-order": order,
        "action": action,
    }
    if nav:
        data["page-nav"] = "y"
    return data


def save_page(
    client: FlaskClient,
    centre: str,
    slug: str,
    lang: str,
    title: str,
    body: str,
    *,
    summary: str = "",
    order: str = "",
) -> int:
    """Save a page in the editor; returns the id of the revision it made."""
    data = page_form(title, body, summary=summary, order=order)
    response = client.post(page_url(centre, slug, lang), data=data)
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert "/wersje/" in location, location
    return int(location.rsplit("/", 1)[1])


def step(client: FlaskClient, centre: str, revision_id: int, name: str) -> TestResponse:
    """A step on a revision (publikuj, do-przegladu, zwroc, przywroc); returns the page after."""
    response = client.post(f"/panel/strony/{centre}/wersje/{revision_id}/{name}", data={})
    assert response.status_code == 302, response.text
    return client.get(response.headers["Location"])


def publish_page(
    client: FlaskClient, centre: str, slug: str, lang: str, title: str, body: str
) -> int:
    """Save and publish a page; returns the revision id."""
    revision_id = save_page(client, centre, slug, lang, title, body)
    page = step(client, centre, revision_id, "publikuj")
    assert "Opublikowano. Strona publiczna pokazuje już tę wersję." in page.text, page.text
    return revision_id
