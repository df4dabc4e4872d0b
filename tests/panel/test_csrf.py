"""Every panel form needs its CSRF token; with the token, the forms work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.auth.accounts import new_password_link
from portal.auth.models import User
from portal.core.extensions import db
from tests.panel.conftest import World, panel_app
from tests.panel.factories import PASSWORD, current_code, log_in

TOKEN_RE = re.compile(
    r'name="([a-z-]*csrf_token)" type="hidden" value="([^"]+)"'
    r'|name="(csrf_token)" value="([^"]+)"'
)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """This module's app checks CSRF tokens, as production does."""
    app = panel_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _tokens(html: str) -> dict[str, str]:
    found = {}
    for match in TOKEN_RE.finditer(html):
        name, value = (
            (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        )
        found[name] = value
    return found


def _post_urls(app: Flask, world: World) -> list[str]:
    values = {
        "request_id": world.request_id,
        "attachment_id": world.attachment_id,
        "user_id": world.worker.id,
        "token": "x",
        "centre_slug": "tomice",
        "page_slug": "index",
        "language": "pl",
        "revision_id": 1,
        "view_id": 1,
    }
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        rules = [
            r
            for r in app.url_map.iter_rules()
            if r.endpoint.startswith(("panel.", "auth.")) and "POST" in (r.methods or ())
        ]
        return [adapter.build(r.endpoint, {k: values[k] for k in r.arguments}) for r in rules]


def test_every_panel_post_without_a_token_is_refused(
    app: Flask, client: FlaskClient, world: World
) -> None:
    urls = _post_urls(app, world)
    assert len(urls) >= 15
    log_in(client, world.manager)
    for url in urls:
        response = client.post(url, data={"note-text": "x", "status-status": "in_review"})
        assert response.status_code == 400, url
        assert "Formularz wygasł" in response.text, url
    # Nothing happened.
    actions = {e.action for e in db.session.scalars(db.select(AuditEvent))}
    assert actions <= {"login_failed"}


def test_a_wrong_token_is_refused(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    response = client.post(
        f"/panel/zgloszenia/{world.request_id}/notatki",
        data={"note-text": "x", "note-csrf_token": "forged"},
    )
    assert response.status_code == 400


def test_login_with_tokens_works(client: FlaskClient, world: World) -> None:
    tokens = _tokens(client.get("/panel/logowanie").text)
    first = client.post(
        "/panel/logowanie", data={"email": world.worker.email, "password": PASSWORD, **tokens}
    )
    assert first.status_code == 302
    tokens = _tokens(client.get("/panel/dwuetapowe").text)
    second = client.post("/panel/dwuetapowe", data={"code": current_code(world.worker), **tokens})
    assert second.status_code == 302, second.text[second.text.find("<main") :][:800]
    assert client.get("/panel/").status_code == 200
    logout = _tokens(client.get("/panel/").text)
    assert client.post("/panel/wyloguj", data=logout).status_code == 302


def test_request_forms_with_their_tokens_work(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    page = client.get(f"/panel/zgloszenia/{world.request_id}").text
    tokens = _tokens(page)
    assert {
        "status-csrf_token",
        "assign-csrf_token",
        "note-csrf_token",
        "interview-csrf_token",
        "consent-csrf_token",
    } <= set(tokens)
    response = client.post(
        f"/panel/zgloszenia/{world.request_id}/notatki",
        data={
            "note-text": "Telefon do rodziny: wieczorem.",
            "note-csrf_token": tokens["note-csrf_token"],
        },
    )
    assert response.status_code == 302


def test_account_buttons_with_their_token_work(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    tokens = _tokens(client.get(f"/panel/konta/{world.worker.id}").text)
    response = client.post(
        f"/panel/konta/{world.worker.id}/wylacz", data={"csrf_token": tokens["csrf_token"]}
    )
    assert response.status_code == 302
    user = db.session.get(User, world.worker.id)
    assert user is not None and not user.active


def test_set_password_form_with_its_token_works(client: FlaskClient, world: World) -> None:
    user = db.session.get(User, world.worker.id)
    assert user is not None
    link = new_password_link(user, actor=None)
    path = link[link.index("/panel/") :]
    tokens = _tokens(client.get(path).text)
    new = "nowe długie hasło na zimę"
    response = client.post(path, data={"password": new, "confirm": new, **tokens})
    assert response.status_code == 200 and "Hasło ustawione" in response.text


def test_a_refused_step_is_reported_at_a_visible_field(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    tokens = _tokens(client.get(f"/panel/zgloszenia/{world.request_id}").text)
    response = client.post(
        f"/panel/zgloszenia/{world.request_id}/status",
        data={
            "status-status": "in_review",
            "status-expected": "closed",
            "status-csrf_token": tokens["status-csrf_token"],
        },
    )
    assert response.status_code == 400
    assert 'href="#status-status"' in response.text and "Ktoś właśnie zmienił" in response.text


def test_the_editor_forms_with_their_tokens_work(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    editor = "/panel/strony/tomice/strona/index/pl"
    tokens = _tokens(client.get(editor).text)
    saved = client.post(
        editor,
        data={
            "page-title": "Tytuł",
            "page-body": "Nowy tekst.",
            "page-nav": "y",
            "action": "save",
            **tokens,
        },
    )
    assert saved.status_code == 302, saved.text[saved.text.find("<main") :][:800]
    revision = saved.headers["Location"]
    tokens = _tokens(client.get(revision).text)
    published = client.post(f"{revision}/publikuj", data={"csrf_token": tokens["csrf_token"]})
    assert published.status_code == 302
    assert "Nowy tekst." in client.get("/tomice/").text
    details = "/panel/strony/tomice/dane"
    assert "centre-csrf_token" in _tokens(client.get(details).text)
    overview = _tokens(client.get("/panel/strony/tomice/").text)
    assert {"new-csrf_token", "review-csrf_token"} <= set(overview)
