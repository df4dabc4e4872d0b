"""Published revisions over content/: on every host within two seconds, caches and ETags too."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from portal.core.extensions import db
from portal.pages.models import ContentPublication, ContentRevision
from portal.pages.published import PublishedContent
from tests.conftest import make_app
from tests.panel.conftest import panel_app
from tests.panel.editing import publish_page, step
from tests.panel.factories import log_in, make_user
from tests.panel.test_centre_details import details_form

LANGS = ("", "/en", "/uk")


def wait_for(check: Callable[[], bool], limit: float = 5.0) -> float:
    """Seconds until `check()` holds (polled every 50 ms); fails after `limit`."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < limit, "not seen in time"
        time.sleep(0.05)
    return time.monotonic() - start


def test_a_change_published_on_one_host_shows_on_the_other_within_two_seconds(
    tmp_path: Path,
) -> None:
    editing_host = panel_app(tmp_path)
    other_host = make_app(tmp_path)  # the same database, its own caches
    visitor = other_host.test_client()
    before = {p: visitor.get(f"{p}/tomice/") for p in LANGS}
    assert all(r.status_code == 200 and "33 823 00 00" in r.text for r in before.values())
    with editing_host.app_context():
        manager = make_user("kierownik@tomice.example.org", "tomice", "manager")
        client = editing_host.test_client()
        log_in(client, manager)
        response = client.post(
            "/panel/strony/tomice/dane", data=details_form(**{"phones-0-number": "33 999 88 77"})
        )
        step(client, "tomice", int(response.headers["Location"].rsplit("/", 1)[1]), "publikuj")
        publish_page(
            client,
            "tomice",
            "index",
            "pl",
            "Asystent rodziny w gminie Tomice",
            "Nowy tekst strony głównej.",
        )
        published_at = time.monotonic()

    def everywhere() -> bool:
        pages = {p: visitor.get(f"{p}/tomice/").text for p in LANGS}
        return "Nowy tekst strony głównej." in pages[""] and all(
            "33 999 88 77" in page and "33 823 00 00" not in page for page in pages.values()
        )

    wait_for(everywhere)
    assert time.monotonic() - published_at < 2.0
    for prefix, old in before.items():
        old_etag = old.headers["ETag"]
        fresh = visitor.get(f"{prefix}/tomice/", headers={"If-None-Match": old_etag})
        assert fresh.status_code == 200 and fresh.headers["ETag"] != old_etag, prefix
        again = visitor.get(f"{prefix}/tomice/", headers={"If-None-Match": fresh.headers["ETag"]})
        assert again.status_code == 304, prefix


def test_the_centre_list_follows_published_names(tmp_path: Path) -> None:
    editing_host = panel_app(tmp_path)
    other_host = make_app(tmp_path)
    visitor = other_host.test_client()
    assert "Gminny Ośrodek Pomocy Społecznej w Tomicach" in visitor.get("/").text
    with editing_host.app_context():
        client = editing_host.test_client()
        log_in(client, make_user("kierownik@tomice.example.org", "tomice", "manager"))
        response = client.post(
            "/panel/strony/tomice/dane", data=details_form(name="Ośrodek Pomocy w Tomicach")
        )
        step(client, "tomice", int(response.headers["Location"].rsplit("/", 1)[1]), "publikuj")
    assert wait_for(lambda: "Ośrodek Pomocy w Tomicach" in visitor.get("/").text) < 2.0
    assert "Ośrodek Pomocy w Tomicach" in visitor.get("/?q=Tomice").text


def _publish_row(app: Flask, publication_id: int, filename: str, body: str) -> None:
    """A revision and its publication with a chosen id, as a host that commits late leaves."""
    with app.app_context():
        revision = ContentRevision(
            centre_slug="tomice",
            filename=filename,
            text=f"---\ntitle: T\n---\n{body}\n",
            status="published",
        )
        db.session.add(revision)
        db.session.flush()
        db.session.add(
            ContentPublication(
                id=publication_id, revision_id=revision.id, centre_slug="tomice", filename=filename
            )
        )
        db.session.commit()


def test_a_publication_committed_late_is_still_applied(app: Flask, client: FlaskClient) -> None:
    published: PublishedContent = app.extensions["portal.published"]
    published.recheck_seconds = 0
    _publish_row(app, 50, "index.pl.md", "Pięćdziesiąta.")
    assert "Pięćdziesiąta." in client.get("/tomice/").text
    # Id 40 was handed out before 50 but committed after it (PostgreSQL allows that).
    _publish_row(app, 40, "kontakt.pl.md", "Czterdziesta.")
    assert "Czterdziesta." in client.get("/tomice/kontakt").text
    # An older publication of a file never replaces a newer one.
    _publish_row(app, 45, "index.pl.md", "Czterdziesta piąta.")
    assert "Pięćdziesiąta." in client.get("/tomice/").text
    fresh = PublishedContent(0)  # a host starting now reads the same state
    with app.app_context():
        assert fresh.current("tomice", "index.pl.md") == published.current("tomice", "index.pl.md")
        assert fresh.current("tomice", "kontakt.pl.md") is not None


def test_pages_are_served_from_content_when_the_database_is_unreadable(
    app: Flask, client: FlaskClient
) -> None:
    published: PublishedContent = app.extensions["portal.published"]
    published.recheck_seconds = 0
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP TABLE content_publications"))
    response = client.get("/tomice/")
    assert response.status_code == 200 and "Asystent rodziny w gminie Tomice" in response.text
