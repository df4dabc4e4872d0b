"""Accounts in the panel: managers run their own centre's, admins everybody's."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.extensions import db
from portal.core.settings import DEV_BASE_URL
from tests.panel.conftest import World
from tests.panel.factories import log_in

# Built on the site's address (the local default here), never on the request's Host.
LINK_RE = re.compile(rf"<code>({re.escape(DEV_BASE_URL)}/panel/haslo/[^<]+)</code>")


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def test_manager_invites_a_worker_and_gets_a_link(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    response = client.post(
        "/panel/konta/nowe",
        data={
            "email": "Nowa@Tomice.example.org",
            "name": "Nowa Osoba",
            "role": "worker",
            "centre": "gostynin",
        },
    )
    assert response.status_code == 200
    match = LINK_RE.search(response.text)
    assert match
    user = db.session.scalars(db.select(User).where(User.email == "nowa@tomice.example.org")).one()
    # A manager's accounts are always in its own centre, whatever the form says.
    assert user.centre_slug == "tomice" and user.role == "worker" and user.password_hash is None
    path = match.group(1)[len(DEV_BASE_URL) :]
    assert client.application.test_client().get(path).status_code == 200
    event = _events("account_create")[0]
    assert event.detail == f"user={user.id} role=worker" and "nowa" not in event.detail


@pytest.mark.parametrize(
    "data,message",
    [
        ({"email": "nie-adres", "name": "Ala", "role": "worker"}, "Niepoprawny adres e-mail"),
        (
            {"email": "pracownik@tomice.example.org", "name": "Ala", "role": "worker"},
            "już istnieje",
        ),
        ({"email": "x@tomice.example.org", "name": "Ala", "role": "admin"}, "Nieprawidłowy wybór"),
        ({"email": "x@tomice.example.org", "role": "worker"}, "Wpisz imię i nazwisko"),
    ],
)
def test_invite_errors(
    client: FlaskClient, world: World, data: dict[str, str], message: str
) -> None:
    log_in(client, world.manager)
    response = client.post("/panel/konta/nowe", data=data)
    assert response.status_code == 400
    assert "data-error-summary" in response.text and message in response.text


def test_manager_sees_only_own_centre_accounts(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    page = client.get("/panel/konta").text
    assert world.worker.email in page and world.other_worker.email not in page
    assert client.get(f"/panel/konta/{world.other_worker.id}").status_code == 404
    assert client.post(f"/panel/konta/{world.other_worker.id}/wylacz").status_code == 404


def test_admin_manages_every_centre(client: FlaskClient, world: World) -> None:
    log_in(client, world.admin)
    page = client.get("/panel/konta").text
    assert world.worker.email in page and world.other_worker.email in page
    response = client.post(
        "/panel/konta/nowe",
        data={
            "email": "k@gostynin.example.org",
            "name": "Kierowniczka",
            "role": "manager",
            "centre": "gostynin",
        },
    )
    assert response.status_code == 200
    user = db.session.scalars(db.select(User).where(User.email == "k@gostynin.example.org")).one()
    assert user.centre_slug == "gostynin" and user.role == "manager"
    assert client.post(f"/panel/konta/{world.other_worker.id}/wylacz").status_code == 302


def test_workers_manage_no_accounts(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    assert client.get("/panel/konta").status_code == 403
    assert client.get("/panel/konta/nowe").status_code == 403
    assert client.get("/panel/dziennik").status_code == 403
    assert "Brak uprawnień" in client.get("/panel/konta").text


def test_deactivate_and_reactivate(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    client.post(f"/panel/konta/{world.worker.id}/wylacz")
    user = db.session.get(User, world.worker.id)
    assert user is not None and not user.active
    client.post(f"/panel/konta/{world.worker.id}/wlacz")
    db.session.refresh(user)
    assert user.active
    assert [e.action for e in db.session.scalars(db.select(AuditEvent))] == [
        "account_deactivate",
        "account_activate",
    ]


def test_nobody_deactivates_themselves(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    response = client.post(f"/panel/konta/{world.manager.id}/wylacz", follow_redirects=True)
    assert "Nie możesz wyłączyć własnego konta" in response.text
    user = db.session.get(User, world.manager.id)
    assert user is not None and user.active


def test_new_password_link_replaces_the_old(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    first = LINK_RE.search(client.post(f"/panel/konta/{world.worker.id}/link").text)
    second = LINK_RE.search(client.post(f"/panel/konta/{world.worker.id}/link").text)
    assert first and second and first.group(1) != second.group(1)
    anonymous = client.application.test_client()
    assert anonymous.get(first.group(1)[len(DEV_BASE_URL) :]).status_code == 404
    assert anonymous.get(second.group(1)[len(DEV_BASE_URL) :]).status_code == 200
    assert len(_events("account_password_link")) == 2


def test_manager_cannot_make_an_admin(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    client.post(f"/panel/konta/{world.worker.id}/rola", data={"role": "admin"})
    user = db.session.get(User, world.worker.id)
    assert user is not None and user.role == "worker"
    client.post(f"/panel/konta/{world.worker.id}/rola", data={"role": "manager"})
    db.session.refresh(user)
    assert user.role == "manager"
    assert _events("account_role")[0].detail == f"user={world.worker.id} worker->manager"
