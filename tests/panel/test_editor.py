"""The page editor: who may edit what, revisions, preview, publishing, review, restoring."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.extensions import db
from portal.pages.models import ContentRevision
from tests.conftest import ROOT
from tests.panel.conftest import World
from tests.panel.editing import page_form, page_url, publish_page, save_page, step
from tests.panel.factories import log_in, make_user

PROSE_RE = re.compile(r'<div class="prose">(.*?)</div>\s*</(?:div|article)>', re.DOTALL)


def public_prose(client: FlaskClient, path: str) -> str:
    """The sanitised body of a public page, as sent."""
    found = PROSE_RE.search(client.get(path).text)
    assert found, path
    return found.group(1)


def revision_of(revision_id: int) -> ContentRevision:
    return db.session.get_one(ContentRevision, revision_id)


EDITOR_GETS = [
    "/panel/strony",
    "/panel/strony/tomice/",
    "/panel/strony/tomice/dane",
    "/panel/strony/tomice/strona/index/pl",
]


@pytest.mark.parametrize("path", EDITOR_GETS)
def test_a_worker_gets_403(client: FlaskClient, world: World, path: str) -> None:
    log_in(client, world.worker)
    assert client.get(path).status_code == 403
    if path != "/panel/strony":
        assert client.post(path, data=page_form("T", "x")).status_code in (403, 405)


def test_a_workers_post_changes_nothing(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    assert (
        client.post(page_url("tomice", "index", "pl"), data=page_form("T", "x")).status_code == 403
    )
    assert db.session.scalars(select(ContentRevision)).all() == []
    manager = make_user("drugi@tomice.example.org", "tomice", "manager")
    other = client.application.test_client()
    log_in(other, manager)
    revision_id = save_page(other, "tomice", "index", "pl", "T", "tekst")
    response = client.post(f"/panel/strony/tomice/wersje/{revision_id}/publikuj")
    assert response.status_code == 403
    assert revision_of(revision_id).status == "draft"


def test_a_manager_edits_only_its_own_centre(client: FlaskClient, world: World) -> None:
    log_in(client, world.other_manager)
    own = client.get("/panel/strony")
    assert own.status_code == 302 and own.headers["Location"].endswith("/panel/strony/gostynin/")
    log_in(client, world.manager)
    for path in [
        "/panel/strony/gostynin/",
        "/panel/strony/gostynin/dane",
        page_url("gostynin", "index", "pl"),
    ]:
        assert client.get(path).status_code == 404, path
    assert (
        client.post(page_url("gostynin", "index", "pl"), data=page_form("T", "x")).status_code
        == 404
    )
    # A revision of another centre is not found, whichever centre the URL names.
    gostynin = client.application.test_client()
    log_in(gostynin, world.other_manager)
    theirs = save_page(gostynin, "gostynin", "index", "pl", "Ich", "ich tekst")
    for path in [
        f"/panel/strony/gostynin/wersje/{theirs}",
        f"/panel/strony/tomice/wersje/{theirs}",
    ]:
        assert client.get(path).status_code == 404, path
        assert client.post(f"{path}/publikuj").status_code == 404, path
    assert revision_of(theirs).status == "draft"


def test_an_admin_edits_any_centre(client: FlaskClient, world: World) -> None:
    log_in(client, world.admin)
    listing = client.get("/panel/strony?q=gostynin")
    assert listing.status_code == 200 and "/panel/strony/gostynin/" in listing.text
    assert "/panel/strony/tomice/" not in listing.text
    publish_page(client, "gostynin", "index", "pl", "Strona od administratora", "Tekst admina.")
    assert "Tekst admina." in public_prose(client, "/gostynin/")


def test_the_overview_shows_own_default_and_missing_pages(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    publish_page(client, "tomice", "grupy", "pl", "Grupy wsparcia", "Spotkania we wtorki.")
    page = client.get("/panel/strony/tomice/").text
    row = page[page.index("Grupy wsparcia") :].split("</tr>")[0]
    assert row.count("własna") == 1 and row.count("<strong>brak</strong>") == 2
    kontakt = page[page.index(">Kontakt<") :].split("</tr>")[0]
    assert kontakt.count("domyślna") == 3
    editor = client.get(page_url("tomice", "grupy", "en")).text
    assert "odwiedzający widzą teraz wersję polską" in editor
    assert "Spotkania we wtorki." in editor  # the Polish text, to translate from
    assert "not available in your language yet" in client.get("/en/tomice/grupy").text


def test_a_translation_of_a_page_that_does_not_exist_is_404(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    assert client.get(page_url("tomice", "nie-ma-takiej", "en")).status_code == 404
    assert client.get(page_url("tomice", "nie-ma-takiej", "pl")).status_code == 200


def test_the_preview_is_the_public_rendering(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    body = (
        'Zadzwoń: {{ centre.phone }}.\n\n## Dyżur\n\n<span lang="en">Hello</span> '
        '<script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:alert(3)">'
        'zły</a> <b onclick="x()">gruby</b>'
    )
    preview = client.post(
        page_url("tomice", "index", "pl"), data=page_form("Tytuł", body, action="preview")
    )
    assert preview.status_code == 200
    shown = PROSE_RE.search(preview.text)
    assert shown is not None
    html = shown.group(1)
    assert "33 823 00 00" in html and '<h2 id="dyżur">Dyżur</h2>' in html
    assert '<span lang="en">Hello</span>' in html
    for removed in ("<script", "alert(1)", "<img", "onerror", "javascript:", "onclick", "<b"):
        assert removed not in html, removed
    assert db.session.scalars(select(ContentRevision)).all() == []  # a preview saves nothing
    publish_page(client, "tomice", "index", "pl", "Tytuł", body)
    assert public_prose(client, "/tomice/") == html


def test_the_preview_points_out_what_content_check_reports(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    body = (
        "Wstęp.\n\n# Za duży nagłówek\n\n[dalej](nie-ma-takiej) [kontakt](kontakt)\n"
        "{{ centre.sekret }} [zły](javascript:alert(1))"
    )
    page = client.post(
        page_url("tomice", "index", "pl"), data=page_form("T", body, action="preview")
    )
    findings = page.text[page.text.index("Do poprawy przed publikacją") :].split("</ul>")[0]
    assert "Wiersz 3: Nagłówek „# Za duży nagłówek”" in findings
    assert "Wiersz 5: Link „nie-ma-takiej” prowadzi do strony, której nie ma." in findings
    assert "Wiersz 6: Nie ma pola {{ centre.sekret }}" in findings
    assert "Wiersz 6: Link „javascript:alert(1)” zostanie usunięty" in findings
    assert "kontakt”" not in findings  # a page the centre has is fine
    revision_id = save_page(client, "tomice", "index", "pl", "T", body)  # a draft may be saved
    refused = step(client, "tomice", revision_id, "publikuj")
    assert "Tej wersji nie można opublikować" in refused.text
    assert revision_of(revision_id).status == "draft"
    assert "Do poprawy" not in public_prose(client, "/tomice/")


def test_editing_a_default_makes_the_centres_own_copy(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    form = client.get(page_url("tomice", "kontakt", "pl")).text
    assert "strona domyślna, wspólna dla wszystkich ośrodków" in form
    assert "{{ centre.phones }}" in form  # the default's own text, placeholders kept
    publish_page(
        client, "tomice", "kontakt", "pl", "Kontakt", "Nasz własny kontakt: {{ centre.email }}"
    )
    assert "Nasz własny kontakt: gops-tomice@example.org" in public_prose(client, "/tomice/kontakt")
    assert "Nasz własny" not in public_prose(client, "/rozan/kontakt")
    # The centre's own text comes before the defaults: English visitors now read the Polish
    # copy (and are told so), and the overview shows the translations as left to write.
    english = client.get("/en/tomice/kontakt").text
    assert "Nasz własny" in english and "not available in your language yet" in english
    row = client.get("/panel/strony/tomice/").text.split(">Kontakt<", 1)[1].split("</tr>")[0]
    assert row.count("własna") == 1 and row.count("<strong>brak</strong>") == 2
    start = client.get(page_url("tomice", "kontakt", "en")).text
    assert "odwiedzający widzą teraz wersję polską" in start
    assert "tekst strony domyślnej w tym języku" in start and "Contact" in start


def test_every_save_is_a_revision_with_author_time_and_diff(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    first = save_page(client, "tomice", "index", "pl", "Tytuł", "Pierwsza wersja.\nWspólna linia.")
    second = save_page(client, "tomice", "index", "pl", "Tytuł", "Druga wersja.\nWspólna linia.")
    revision = revision_of(second)
    assert revision.author_id == world.manager.id and revision.created_at is not None
    page = client.get(f"/panel/strony/tomice/wersje/{second}").text
    diff = page[page.index('class="diff"') :].split("</div>")[0]
    assert (
        "usunięto: </span>− Pierwsza wersja." in diff and "dodano: </span>+ Druga wersja." in diff
    )
    assert "<span>  Wspólna linia.</span>" in diff
    history = page[page.index("Historia wersji") :]
    assert f"nr {first}" in history and world.manager.email in history
    # The first revision is compared with the file it replaced, which is kept as a revision
    # of its own (the original), so it can be restored too.
    first_page = client.get(f"/panel/strony/tomice/wersje/{first}").text
    assert "usunięto: </span>− title: Asystent rodziny w gminie Tomice" in first_page
    original = revision_of(first - 1)
    assert original.status == "original" and original.author_id is None
    assert original.text == (ROOT / "content" / "tomice" / "index.pl.md").read_text()
    assert "z plików portalu" in history
    unchanged = client.post(
        page_url("tomice", "index", "pl"),
        data=page_form("Tytuł", "Druga wersja.\r\nWspólna linia.\r\n"),
    )
    assert unchanged.status_code == 302
    assert "Nic się nie zmieniło" in client.get(unchanged.headers["Location"]).text
    assert len(db.session.scalars(select(ContentRevision)).all()) == 3  # the original too


def test_a_revision_is_a_draft_until_published(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    revision_id = save_page(client, "tomice", "index", "pl", "Tytuł", "Tekst roboczy.")
    assert "Tekst roboczy." not in public_prose(client, "/tomice/")
    editor = client.get(page_url("tomice", "index", "pl")).text
    assert "Edytujesz wersję roboczą nr" in editor and "Tekst roboczy." in editor
    step(client, "tomice", revision_id, "publikuj")
    assert "Tekst roboczy." in public_prose(client, "/tomice/")
    assert revision_of(revision_id).status == "published"


def test_only_the_newest_revision_is_published(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    older = save_page(client, "tomice", "index", "pl", "Tytuł", "Starsza.")
    save_page(client, "tomice", "index", "pl", "Tytuł", "Nowsza.")
    assert "Zapisano już nowszą wersję" in step(client, "tomice", older, "publikuj").text
    assert "Starsza." not in public_prose(client, "/tomice/")


def test_restoring_brings_the_old_text_back(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    old = publish_page(client, "tomice", "index", "pl", "Tytuł", "Stary tekst.")
    publish_page(client, "tomice", "index", "pl", "Tytuł", "Nowy tekst.")
    assert "Nowy tekst." in public_prose(client, "/tomice/")
    restored_page = step(client, "tomice", old, "przywroc")
    assert "Przywrócono tekst jako nową wersję roboczą" in restored_page.text
    restored = db.session.scalars(
        select(ContentRevision).order_by(ContentRevision.id.desc())
    ).first()
    assert restored is not None and restored.restored_from_id == old
    assert restored.text == revision_of(old).text and restored.status == "draft"
    step(client, "tomice", restored.id, "publikuj")
    assert "Stary tekst." in public_prose(client, "/tomice/")
    # The text of content/ from before the first edit comes back the same way.
    original = db.session.scalars(
        select(ContentRevision).where(ContentRevision.status == "original")
    ).one()
    step(client, "tomice", original.id, "przywroc")
    newest = db.session.scalars(select(ContentRevision).order_by(ContentRevision.id.desc())).first()
    assert newest is not None and newest.text == original.text
    step(client, "tomice", newest.id, "publikuj")
    assert "Bywa, że w domu wszystko naraz się sypie" in public_prose(client, "/tomice/")


def test_with_the_review_rule_a_second_person_publishes(
    app: Flask, client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    client.post("/panel/strony/tomice/przeglad", data={"review-required": "y"})
    revision_id = save_page(client, "tomice", "index", "pl", "Tytuł", "Do przeglądu.")
    page = client.get(f"/panel/strony/tomice/wersje/{revision_id}").text
    assert "wersję publikuje druga osoba" in page and "/publikuj" not in page
    assert "poproś o przegląd" in step(client, "tomice", revision_id, "publikuj").text
    step(client, "tomice", revision_id, "do-przegladu")
    assert revision_of(revision_id).status == "review"
    reviewer = app.test_client()
    log_in(reviewer, make_user("drugi@tomice.example.org", "tomice", "manager"))
    step(reviewer, "tomice", revision_id, "zwroc")
    assert revision_of(revision_id).status == "draft"
    step(client, "tomice", revision_id, "do-przegladu")
    assert "Opublikowano" in step(reviewer, "tomice", revision_id, "publikuj").text
    assert "Do przeglądu." in public_prose(client, "/tomice/")


def test_without_the_rule_the_author_publishes_and_may_still_ask(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    revision_id = save_page(client, "tomice", "index", "pl", "Tytuł", "Prośba o przegląd.")
    step(client, "tomice", revision_id, "do-przegladu")
    assert revision_of(revision_id).status == "review"
    step(client, "tomice", revision_id, "publikuj")
    assert "Prośba o przegląd." in public_prose(client, "/tomice/")


def test_a_new_page_is_created_in_polish(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    bad = client.post("/panel/strony/tomice/nowa", data={"new-slug": "Grupy Wsparcia"})
    assert bad.status_code == 400 and "Użyj tylko małych liter" in bad.text
    taken = client.post("/panel/strony/tomice/nowa", data={"new-slug": "kontakt"})
    assert taken.status_code == 400 and "Ośrodek ma już stronę o tym adresie" in taken.text
    form = client.post("/panel/strony/tomice/nowa", data={"new-slug": "zgloszenie"})
    assert form.status_code == 400 and "Pod tym adresem jest już inna część portalu" in form.text
    assert client.get(page_url("tomice", "zgloszenie", "pl")).status_code == 404
    new = client.post("/panel/strony/tomice/nowa", data={"new-slug": "grupy-wsparcia"})
    assert new.headers["Location"].endswith(page_url("tomice", "grupy-wsparcia", "pl"))
    assert client.get("/tomice/grupy-wsparcia").status_code == 404
    publish_page(client, "tomice", "grupy-wsparcia", "pl", "Grupy wsparcia", "We wtorki.")
    public = client.get("/tomice/grupy-wsparcia")
    assert public.status_code == 200 and "We wtorki." in public.text
    assert 'href="/tomice/grupy-wsparcia"' in client.get("/tomice/").text  # in the menu


def test_bad_page_fields_keep_what_was_typed(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    response = client.post(
        page_url("tomice", "index", "pl"), data=page_form("", "Mój długi tekst", order="pierwsza")
    )
    assert response.status_code == 400
    assert "Wpisz tytuł strony." in response.text and "Mój długi tekst" in response.text
    assert db.session.scalars(select(ContentRevision)).all() == []


def test_everything_is_audited(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    client.post("/panel/strony/tomice/przeglad", data={})
    first = publish_page(client, "tomice", "index", "pl", "Tytuł", "Tajny szkic strony.")
    second = save_page(client, "tomice", "index", "pl", "Tytuł", "Inny.")
    step(client, "tomice", second, "do-przegladu")
    step(client, "tomice", first, "przywroc")
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "content_policy",
        "content_save",
        "content_publish",
        "content_save",
        "content_review",
        "content_restore",
    ]
    assert all(e.actor_id == world.manager.id and e.centre_slug == "tomice" for e in events)
    assert events[2].detail == f"file=index.pl.md rev={first}"
    assert not any("Tajny" in e.detail for e in events)
    log = client.get("/panel/dziennik").text
    assert "Publikacja wersji" in log and "Przywrócenie wcześniejszej wersji" in log
