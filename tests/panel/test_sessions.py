"""Sessions end after 30 idle minutes or 12 hours, and at once when an account changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from portal.auth.models import User
from portal.core.extensions import db
from tests.panel.conftest import World
from tests.panel.factories import log_in


def test_active_session_is_kept_and_refreshed(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker, age=timedelta(hours=2), idle=timedelta(minutes=29))
    with client.session_transaction() as sess:
        before = dict(sess)
    assert client.get("/panel/").status_code == 200
    with client.session_transaction() as sess:
        # Activity moved the idle clock, not the absolute one.
        assert sess["seen"] > before["seen"] and sess["iat"] == before["iat"]


@pytest.mark.parametrize(
    "age,idle,reason",
    [
        (timedelta(hours=1), timedelta(minutes=31), "idle"),
        (timedelta(hours=12, minutes=1), timedelta(0), "absolute"),
    ],
)
def test_session_expires(
    client: FlaskClient, world: World, age: timedelta, idle: timedelta, reason: str
) -> None:
    log_in(client, world.worker, age=age, idle=idle)
    response = client.get("/panel/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/panel/logowanie?next=/panel/&koniec={reason}"
    with client.session_transaction() as sess:
        assert "uid" not in sess
    assert "wygasła" in client.get(response.headers["Location"]).text


def test_deactivation_ends_sessions_at_once(client: FlaskClient, world: World) -> None:
    manager = client.application.test_client()
    log_in(client, world.worker)
    log_in(manager, world.manager)
    assert client.get("/panel/").status_code == 200
    assert manager.post(f"/panel/konta/{world.worker.id}/wylacz").status_code == 302
    response = client.get("/panel/")
    assert response.status_code == 302 and "koniec=revoked" in response.headers["Location"]


def test_changing_the_role_ends_sessions(client: FlaskClient, world: World) -> None:
    manager = client.application.test_client()
    log_in(client, world.worker)
    log_in(manager, world.manager)
    manager.post(f"/panel/konta/{world.worker.id}/rola", data={"role": "manager"})
    assert client.get("/panel/").status_code == 302


def test_a_forged_session_version_is_refused(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    user = db.session.get(User, world.worker.id)
    assert user is not None
    user.session_version += 1
    db.session.commit()
    assert client.get("/panel/").status_code == 302


@pytest.mark.parametrize("path", ["/panel/", "/panel/logowanie", "/panel/nie-ma", "/panel/konta"])
def test_panel_pages_are_never_cached(client: FlaskClient, world: World, path: str) -> None:
    log_in(client, world.manager)
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_set_no_session_cookie(client: FlaskClient) -> None:
    response = client.get("/tomice/")
    assert "Set-Cookie" not in response.headers
    assert response.headers.get("Cache-Control") != "no-store"
