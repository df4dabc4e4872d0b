"""The outbox in the panel, and `send-outbox` retrying what SMTP refused."""

from __future__ import annotations

import socket
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.extensions import db
from portal.notifications.mail import Mail, pending, queue
from portal.notifications.models import OutboxMessage
from tests.panel.conftest import World, panel_app
from tests.panel.factories import log_in


def _message(centre: str, to: str, subject: str) -> None:
    queue(Mail(to, subject, "treść"), centre)
    db.session.commit()


def test_a_manager_sees_the_centres_outbox_only(
    app: Flask, client: FlaskClient, world: World
) -> None:
    _message("tomice", "rodzic@example.org", "Numer Twojej sprawy: TOM-2026-AAAAA")
    _message("gostynin", "inna@example.org", "Numer Twojej sprawy: GOS-2026-BBBBB")
    log_in(client, world.manager)
    page = client.get("/panel/poczta")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "rodzic@example.org" in page.text and "TOM-2026-AAAAA" in page.text
    assert "inna@example.org" not in page.text
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "outbox_view"))
    assert [e.actor_id for e in events] == [world.manager.id]


def test_workers_do_not_see_the_outbox(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    assert client.get("/panel/poczta").status_code == 403


def test_send_outbox_retries_when_smtp_is_back(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    from tests.referrals.test_mail import Inbox

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    app = panel_app(tmp_path, PORTAL_SMTP_URL=f"smtp://127.0.0.1:{port}")
    runner = app.test_cli_runner()
    with app.app_context():
        _message("tomice", "rodzic@example.org", "Temat")
        down = runner.invoke(args=["send-outbox"])
        assert "0 sent; 1 still waiting" in down.output
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            up = runner.invoke(args=["send-outbox"])
        finally:
            controller.stop()
        assert "1 sent; 0 still waiting" in up.output
        assert [to for to, _m in inbox.messages] == [["rodzic@example.org"]]
        assert pending() == []
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.sent_at is not None and row.attempts == 2


def test_send_outbox_needs_smtp(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 1 and "PORTAL_SMTP_URL" in result.output
