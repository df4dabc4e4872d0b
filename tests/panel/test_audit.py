"""Every step is on the record (who, what, when, which request), with no personal data."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.core.extensions import db
from tests.panel.conftest import World
from tests.panel.factories import current_code, log_in
from tests.panel.helpers import code_step, password_step

SECRET_TEXT = "Syn ma padaczkę, leczenie w Krakowie"


def _walk_through_everything(app: Flask, client: FlaskClient, world: World) -> None:
    """A worker's and a manager's day, touching every audited action."""
    password_step(client, world.worker.email, "złe hasło na pewno złe")
    password_step(client, world.worker.email)
    code_step(client, current_code(world.worker))
    rid, base = world.request_id, f"/panel/zgloszenia/{world.request_id}"
    client.get(base)
    client.get(f"{base}/pliki/{world.attachment_id}")
    client.post(f"{base}/status", data={"status-status": "in_review"})
    client.post(f"{base}/prowadzacy", data={"assign-assignee": str(world.worker.id)})
    client.post(f"{base}/notatki", data={"note-text": SECRET_TEXT})
    client.post(f"{base}/wywiad", data={"interview-day": "2026-12-01"})
    client.post(f"{base}/zgoda", data={"consent-day": "2026-11-01"})
    client.post("/panel/wyloguj")
    manager = app.test_client()
    log_in(manager, world.manager)
    manager.get("/panel/eksport.csv")
    manager.post(
        "/panel/konta/nowe",
        data={"email": "nowa@tomice.example.org", "name": "Nowa", "role": "worker"},
    )
    manager.post(f"/panel/konta/{world.worker.id}/link")
    manager.post(f"/panel/konta/{world.worker.id}/dwuetapowe")
    manager.post(f"/panel/konta/{world.worker.id}/rola", data={"role": "manager"})
    manager.post(f"/panel/konta/{world.worker.id}/wylacz")
    manager.post(f"/panel/konta/{world.worker.id}/wlacz")
    assert rid


EXPECTED = {
    "login_failed": False,
    "login": False,
    "view": True,
    "download": True,
    "status": True,
    "assign": True,
    "note": True,
    "interview": True,
    "consent": True,
    "logout": False,
    "export": False,
    "account_create": False,
    "account_password_link": False,
    "account_reset_2fa": False,
    "account_role": False,
    "account_deactivate": False,
    "account_activate": False,
}


def test_every_action_is_an_audit_event(app: Flask, client: FlaskClient, world: World) -> None:
    _walk_through_everything(app, client, world)
    events = list(db.session.scalars(db.select(AuditEvent)))
    by_action = {e.action: e for e in events}
    missing = set(EXPECTED) - set(by_action)
    assert not missing, f"no audit event for {sorted(missing)}"
    for action, about_request in EXPECTED.items():
        event = by_action[action]
        assert event.at is not None and event.centre_slug == "tomice", action
        assert event.actor_id is not None, action
        assert (event.request_id == world.request_id) is about_request, action


def test_no_personal_data_in_audit_details_or_logs(
    app: Flask, client: FlaskClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _walk_through_everything(app, client, world)
    personal = [SECRET_TEXT, "Zofia", "Testowa", "@", "2026-12-01", "2026-11-01", "zaświadczenie"]
    for event in db.session.scalars(db.select(AuditEvent)):
        assert not any(p in event.detail for p in personal), (event.action, event.detail)
    assert not any(p in caplog.text for p in personal if p != "@"), caplog.text
    assert "example.org" not in caplog.text


def test_manager_sees_own_centre_events_admin_all(
    app: Flask, client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    client.get(f"/panel/zgloszenia/{world.request_id}")
    other = app.test_client()
    log_in(other, world.other_manager)
    other.get(f"/panel/zgloszenia/{world.other_request_id}")
    page = client.get("/panel/dziennik").text
    assert world.manager.email in page and world.other_manager.email not in page
    assert "Otwarcie zgłoszenia" in page
    log_in(client, world.admin)
    page = client.get("/panel/dziennik").text
    assert world.manager.email in page and world.other_manager.email in page


def test_request_page_shows_its_history(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    client.post(f"/panel/zgloszenia/{world.request_id}/status", data={"status-status": "in_review"})
    page = client.get(f"/panel/zgloszenia/{world.request_id}").text
    assert "Zmiana statusu: Nowe → W analizie" in page


def test_audit_log_pages_by_id(app: Flask, client: FlaskClient, world: World) -> None:
    from portal.audit import record

    for _ in range(105):
        record("view", centre_slug="tomice", actor_id=world.worker.id, request_id=world.request_id)
    db.session.commit()
    log_in(client, world.manager)
    first = client.get("/panel/dziennik").text
    assert 'rel="next"' in first
    # Rows only: the filter of kinds of event names it once more.
    assert client.get("/panel/dziennik?przed=6").text.count("<td>Otwarcie zgłoszenia</td>") == 5
