"""Set-password links: single use, 72 hours, newer links replace older ones; password rules."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.auth.accounts import new_password_link
from portal.auth.models import User
from portal.auth.passwords import common_passwords, password_problems, verify_password
from portal.auth.tokens import TokenError, issue_token, user_for_token
from portal.core.extensions import db
from tests.panel.conftest import World
from tests.panel.factories import make_user
from tests.panel.helpers import password_step

NEW = "zielone jabłko na rowerze"


def _path(link: str) -> str:
    return link[link.index("/panel/") :]


def _new_account() -> tuple[User, str]:
    staff = make_user("nowy@tomice.example.org", password=None, totp=False)
    user = db.session.get(User, staff.id)
    assert user is not None
    return user, _path(new_password_link(user, actor=None))


def test_link_sets_the_password_once(client: FlaskClient) -> None:
    user, path = _new_account()
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 200 and "Hasło ustawione" in done.text
    db.session.refresh(user)
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, NEW)
    again = client.post(path, data={"password": NEW + "!", "confirm": NEW + "!"})
    assert again.status_code == 404 and "Link nie działa" in again.text
    assert client.get(path).status_code == 404
    assert password_step(client, user.email, NEW).status_code == 302


def test_a_newer_link_replaces_the_older_one(client: FlaskClient) -> None:
    user, old = _new_account()
    new = _path(new_password_link(user, actor=None))
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_link_expires_after_72_hours(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = make_user("nowy@tomice.example.org", password=None, totp=False)
    user = db.session.get(User, staff.id)
    assert user is not None
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: 1_000_000_000.0)  # the link was made long ago
        token = issue_token(user)
    db.session.commit()
    with pytest.raises(TokenError) as caught:
        user_for_token(token)
    assert caught.value.expired
    page = client.get(f"/panel/haslo/{token}")
    assert page.status_code == 404 and "72 godziny" in page.text


def test_tampered_link_is_refused(client: FlaskClient) -> None:
    _user, path = _new_account()
    assert client.get(path[:-2] + "xx").status_code == 404


def test_deactivated_account_link_does_not_work(client: FlaskClient) -> None:
    user, path = _new_account()
    user.active = False
    db.session.commit()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "password,message",
    [
        ("krótkie", "co najmniej 12 znaków"),
        ("qwertyuiopasdfghjkl", "zbyt popularne"),
        ("Kochanie2024!", "zbyt popularne"),
        ("aaaaaaaaaaaaaaaa", "zbyt popularne"),
        ("nowy12345678nowy", "adresu e-mail"),
    ],
)
def test_weak_passwords_are_refused(client: FlaskClient, password: str, message: str) -> None:
    user, path = _new_account()
    response = client.post(path, data={"password": password, "confirm": password})
    assert response.status_code == 400 and message in response.text
    assert 'href="#password"' in response.text  # the error summary links to the field
    db.session.refresh(user)
    assert user.password_hash is None


def test_passwords_must_match(client: FlaskClient) -> None:
    _user, path = _new_account()
    response = client.post(path, data={"password": NEW, "confirm": NEW + "x"})
    assert response.status_code == 400 and "nie są takie same" in response.text


def test_common_password_list_is_shipped_and_large(app: Flask) -> None:
    words = common_passwords()
    assert len(words) > 2000
    assert "password1234" in words and all(len(w) >= 12 for w in words)
    assert password_problems("Password1234") != []


def test_setting_a_password_ends_existing_sessions(client: FlaskClient, world: World) -> None:
    user = db.session.get(User, world.worker.id)
    assert user is not None
    version = user.session_version
    path = _path(new_password_link(user, actor=None))
    client.post(path, data={"password": NEW, "confirm": NEW})
    db.session.refresh(user)
    assert user.session_version == version + 1
