"""content-check reads what is published too; export-content writes it back as files that
content-check accepts and that serve the same pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from portal.core.extensions import db
from portal.pages.check import check_content
from portal.pages.links import routes_of
from portal.pages.models import ContentPublication, ContentRevision
from tests.conftest import ROOT, make_app
from tests.panel.conftest import panel_app
from tests.panel.editing import publish_page, save_page, step
from tests.panel.factories import log_in, make_user
from tests.panel.test_centre_details import details_form

PROSE_RE = re.compile(r'<div class="prose">(.*?)</div>', re.DOTALL)


def _manager(app: Flask) -> FlaskClient:
    client = app.test_client()
    log_in(client, make_user("kierownik@tomice.example.org", "tomice", "manager"))
    return client


def _force_publish(revision_id: int) -> None:
    """Publish without the editor's checks, as a bug or a hand-made row would."""
    revision = db.session.get_one(ContentRevision, revision_id)
    db.session.add(
        ContentPublication(
            revision_id=revision.id, centre_slug=revision.centre_slug, filename=revision.filename
        )
    )
    db.session.commit()


def test_content_check_reports_a_broken_published_page(tmp_path: Path) -> None:
    app = panel_app(tmp_path)
    with app.app_context():
        client = _manager(app)
        body = "Wstęp.\n\n# Zły nagłówek\n\n[dalej](nie-ma-takiej)"
        _force_publish(save_page(client, "tomice", "index", "pl", "Tytuł", body))
        result = app.test_cli_runner().invoke(args=["content-check"])
        assert result.exit_code == 1
        # The title's front matter takes lines 1-3, so the body starts on line 4.
        assert "database/tomice/index.pl.md:6: use '##' headings" in result.output
        assert (
            "database/tomice/index.pl.md:8: link 'nie-ma-takiej' leads to no page" in result.output
        )
        files_only = app.test_cli_runner().invoke(args=["content-check", "--files-only"])
        assert files_only.exit_code == 0, files_only.output


def test_content_check_reports_a_postal_code_published_twice(tmp_path: Path) -> None:
    app = panel_app(tmp_path)
    with app.app_context():
        client = _manager(app)
        response = client.post("/panel/strony/tomice/dane", data=details_form())
        revision_id = int(response.headers["Location"].rsplit("/", 1)[1])
        revision = db.session.get_one(ContentRevision, revision_id)
        revision.text = revision.text.replace("- 34-100", "- 34-100\n- 09-500")
        _force_publish(revision_id)
        result = app.test_cli_runner().invoke(args=["content-check"])
        assert result.exit_code == 1
        assert "postal code 09-500 is also served by" in result.output


def test_content_check_finds_a_broken_link_in_a_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    page = content / "rozan" / "index.pl.md"
    page.write_text(page.read_text() + "\n[Zgłoszenie](zgloszenie) [Nic](zgloszenie/nic)\n")
    app = make_app(tmp_path, PORTAL_CONTENT_DIR=content)
    result = app.test_cli_runner().invoke(args=["content-check"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "leads to no page" in line]
    assert lines == [
        f"{page}:{len(page.read_text().splitlines())}: link 'zgloszenie/nic' leads to no page"
    ]


def test_export_round_trips_to_files_content_check_accepts(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    app = panel_app(tmp_path / "one")
    target = tmp_path / "exported"
    with app.app_context():
        client = _manager(app)
        publish_page(client, "tomice", "index", "pl", "Tomice", "Nowy tekst. [Kontakt](kontakt)")
        publish_page(client, "tomice", "kontakt", "pl", "Kontakt", "Własny: {{ centre.phones }}")
        publish_page(client, "tomice", "grupy", "pl", "Grupy wsparcia", "We wtorki.")
        response = client.post(
            "/panel/strony/tomice/dane", data=details_form(**{"phones-0-number": "33 999 88 77"})
        )
        step(client, "tomice", int(response.headers["Location"].rsplit("/", 1)[1]), "publikuj")
        save_page(client, "tomice", "grupy", "pl", "Grupy", "Szkic, nie do eksportu.")
        pages = {
            path: client.get(path).text
            for path in ("/tomice/", "/tomice/kontakt", "/en/tomice/grupy")
        }
        result = app.test_cli_runner().invoke(args=["export-content", str(target)])
        assert result.exit_code == 0, result.output
        again = app.test_cli_runner().invoke(args=["export-content", str(target)])
        assert again.output.strip() == f"0 file(s) written to {target}"
    assert (target / "tomice" / "grupy.pl.md").read_text().endswith("We wtorki.\n")
    assert "33 999 88 77" in (target / "tomice" / "centre.yml").read_text()
    assert (target / "gostynin" / "index.pl.md").read_bytes() == (
        ROOT / "content" / "gostynin" / "index.pl.md"
    ).read_bytes()
    fresh = make_app(tmp_path / "two", PORTAL_CONTENT_DIR=target)  # an empty database
    assert [str(p) for p in check_content(target, routes=routes_of(fresh.url_map))] == []
    check = fresh.test_cli_runner().invoke(args=["content-check"])
    assert check.exit_code == 0, check.output
    visitor = fresh.test_client()
    for path, html in pages.items():
        assert PROSE_RE.findall(visitor.get(path).text) == PROSE_RE.findall(html), path
    assert "33 999 88 77" in visitor.get("/tomice/").text


def test_export_of_one_centre(tmp_path: Path) -> None:
    app = panel_app(tmp_path)
    target = tmp_path / "tomice-only"
    with app.app_context():
        publish_page(_manager(app), "tomice", "index", "pl", "Tomice", "Tylko Tomice.")
        result = app.test_cli_runner().invoke(
            args=["export-content", str(target), "--centre", "tomice"]
        )
        assert result.exit_code == 0, result.output
        unknown = app.test_cli_runner().invoke(
            args=["export-content", str(target), "--centre", "nie-ma"]
        )
        assert unknown.exit_code == 2 and "no centre 'nie-ma'" in unknown.output
    assert sorted(p.name for p in target.iterdir()) == ["_defaults", "tomice"]
    assert "Tylko Tomice." in (target / "tomice" / "index.pl.md").read_text()
