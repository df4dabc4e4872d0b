"""Logging in: two steps, one generic error, a new session, logout, safe `next=`."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.sessions import safe_next
from portal.core.extensions import db
from tests.panel.conftest import World
from tests.panel.factories import current_code, log_in
from tests.panel.helpers import code_step, full_login, password_step, session_cookie

GENERIC = "Nieprawidłowy adres e-mail lub hasło."


def test_password_then_code_reaches_the_queue(client: FlaskClient, world: World) -> None:
    first = password_step(client, world.worker.email)
    assert first.status_code == 302 and first.headers["Location"] == "/panel/dwuetapowe"
    # Between the two steps the panel is still closed.
    assert client.get("/panel/").status_code == 302
    second = code_step(client, current_code(world.worker))
    assert second.status_code == 302 and second.headers["Location"] == "/panel/"
    assert client.get("/panel/").status_code == 200
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert actions == ["login"]


@pytest.mark.parametrize(
    "email,password",
    [
        ("pracownik@tomice.example.org", "to nie jest to hasło"),
        ("nikt@tomice.example.org", "to nie jest to hasło"),
        ("pracownik@tomice.example.org", ""),
    ],
)
def test_one_generic_error_for_every_failure(
    client: FlaskClient, world: World, email: str, password: str
) -> None:
    response = password_step(client, email, password)
    assert response.status_code == 400
    if password:
        assert GENERIC in response.text
        assert "nie istnieje" not in response.text


def test_unknown_and_wrong_password_answer_alike(client: FlaskClient, world: World) -> None:
    wrong = password_step(client, world.worker.email, "zupełnie złe hasło")
    unknown = password_step(client, "nikt@example.org", "zupełnie złe hasło")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.text.replace("nikt@example.org", "X").count(GENERIC) == unknown.text.count(GENERIC)
    failed = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert [e.detail for e in failed] == ["password", "unknown account"]


def test_inactive_account_cannot_log_in(client: FlaskClient, world: World) -> None:
    user = db.session.get(User, world.worker.id)
    assert user is not None
    user.active = False
    db.session.commit()
    assert GENERIC in password_step(client, world.worker.email).text


def test_login_starts_a_new_session(client: FlaskClient, world: World) -> None:
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    before = session_cookie(client)
    full_login(client, world.worker)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert set(sess) >= {"uid", "sv", "iat", "seen", "sid"}
        assert "pending" not in sess
    assert session_cookie(client) != before


def test_session_holds_only_ids_versions_and_times(client: FlaskClient, world: World) -> None:
    full_login(client, world.worker)
    with client.session_transaction() as sess:
        assert set(sess) <= {"uid", "sv", "iat", "seen", "sid", "panel_lang", "csrf_token"}


def test_session_cookie_flags(client: FlaskClient, world: World) -> None:
    password_step(client, world.worker.email)
    response = code_step(client, current_code(world.worker))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_ends_the_session_and_any_copy_of_its_cookie(
    app: Flask, client: FlaskClient, world: World
) -> None:
    full_login(client, world.worker)
    stolen = session_cookie(client)
    response = client.post("/panel/wyloguj")
    assert response.status_code == 302 and "/panel/logowanie" in response.headers["Location"]
    assert client.get("/panel/").status_code == 302
    # A copy of the old cookie is refused too: the session version moved on.
    other = app.test_client()
    assert stolen is not None
    other.set_cookie("portal_session", stolen)
    assert other.get("/panel/").status_code == 302
    assert "logout" in [e.action for e in db.session.scalars(db.select(AuditEvent))]


def test_logged_in_user_visiting_login_goes_to_the_panel(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    assert client.get("/panel/logowanie").headers["Location"] == "/panel/"


BAD_NEXT = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https://evil.example/panel/",
    "http:/panel/",
    "/panel/\t/evil",
    " /panel/",
    "/ panel",
    "/elsewhere",
    "/panel/../status/x",
    "//panel/",
    "/panel/\n",
    "JAVASCRIPT:alert(1)",
]


@pytest.mark.parametrize("value", BAD_NEXT)
def test_next_outside_the_panel_is_ignored(client: FlaskClient, world: World, value: str) -> None:
    assert safe_next(value) is None
    response = full_login(client, world.worker, next_url=value)
    assert response.headers["Location"] == "/panel/"


def test_next_inside_the_panel_is_followed(client: FlaskClient, world: World) -> None:
    target = f"/panel/zgloszenia/{world.request_id}"
    login_page = client.get(target)
    assert login_page.headers["Location"] == f"/panel/logowanie?next={target}"
    response = full_login(client, world.worker, next_url=target)
    assert response.headers["Location"] == target


def test_login_page_keeps_next_in_the_form(client: FlaskClient) -> None:
    page = client.get("/panel/logowanie?next=/panel/konta").text
    assert 'value="/panel/konta"' in page


def test_second_step_without_first_goes_back_to_login(client: FlaskClient, world: World) -> None:
    response = code_step(client, current_code(world.worker))
    assert response.headers["Location"] == "/panel/logowanie"


def test_panel_language_can_be_switched(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    page = client.get("/panel/?lang=en")
    assert page.status_code == 200 and '<html lang="en">' in page.text
    assert '<html lang="en">' in client.get("/panel/").text
    assert '<html lang="pl">' in client.get("/panel/?lang=pl").text
    assert '<html lang="pl">' in client.get("/panel/?lang=xx").text
