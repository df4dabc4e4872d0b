"""Mail through a real SMTP session (aiosmtpd), the outbox, and a server that is down.

A request only stores its notices; the mail worker (`send-outbox`) sends them.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.notifications.mail import pending, read
from portal.notifications.models import OutboxMessage
from portal.notifications.smtp import parse_smtp_url
from portal.referrals.models import Request
from tests.conftest import make_app
from tests.referrals.helpers import NAME, PARENT, PESEL, ZZ, form_key, parent_answers, zz_answers


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def send_outbox(app: Flask) -> str:
    """Run the mail worker once, as a timer or an operator would."""
    result = app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 0, result.output
    return result.output


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_both_notices_over_smtp(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    app = make_app(tmp_path, PORTAL_SMTP_URL=f"smtp://127.0.0.1:{port}")
    client = app.test_client()
    key = form_key(client, PARENT)
    sent = client.post(
        PARENT, data={**parent_answers(key, child_in_danger="yes"), "step": "submit"}
    )
    assert sent.status_code == 302
    assert inbox.messages == []  # the request only stored them
    with app.app_context():
        assert len(pending()) == 2
    assert "2 sent; 0 still waiting" in send_outbox(app)
    assert len(inbox.messages) == 2
    (to_applicant, applicant), (to_centre, centre) = inbox.messages
    assert to_applicant == ["zofia@example.org"]
    assert to_centre == ["asystent-tomice@example.org"]
    applicant_text = body_of(applicant)
    with app.app_context():
        reference = db.session.scalars(select(Request.reference)).one()
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
        assert pending() == []
    assert reference in applicant_text and "/status/" in applicant_text
    assert reference in str(applicant["Subject"])
    centre_text = body_of(centre)
    assert "/panel/zgloszenia/" in centre_text and str(centre["Subject"]).startswith("[PILNE]")
    for text in (applicant_text, centre_text, str(applicant["Subject"]), str(centre["Subject"])):
        for secret in (NAME, "600", "Polna", "dzieci", "care", "Za życiem", "zaświadcz"):
            assert secret not in text


def test_za_zyciem_mail_says_nothing_of_health(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    import re

    from tests.referrals.helpers import pdf_bytes, upload

    inbox, port = smtp
    app = make_app(tmp_path, PORTAL_SMTP_URL=f"smtp://127.0.0.1:{port}")
    client = app.test_client()
    key = form_key(client, ZZ)
    data = zz_answers(key, email="anna@example.org")
    check = client.post(ZZ, data={**data, "certificates": [upload(pdf_bytes())]})
    held = re.findall(r'name="held" value="([^"]+)"', check.text)
    client.post(ZZ, data={**data, "held": held, "step": "submit"})
    send_outbox(app)
    assert len(inbox.messages) == 2
    for _to, message in inbox.messages:
        text = body_of(message) + str(message["Subject"])
        for secret in (NAME, PESEL, "ciąż", "Za życiem", "porod", "zaświadcz", "lekarsk"):
            assert secret not in text


def test_smtp_down_loses_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path, PORTAL_SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    client = app.test_client()
    sent = client.post(PARENT, data={**parent_answers(form_key(client, PARENT)), "step": "submit"})
    assert sent.status_code == 302
    assert client.get(sent.headers["Location"]).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(Request.id))) == 1
        # Nothing was tried in the request: it does not wait for a server that is down.
        assert [m.attempts for m in pending()] == [0, 0]
    output = send_outbox(app)
    assert "0 sent; 2 still waiting" in output and "could not be reached" in output
    with app.app_context():
        waiting = pending()
        # The first refusal ends the pass: the second message would fail the same way.
        assert [m.attempts for m in waiting] == [1, 0]
        assert waiting[0].last_error == "ConnectionRefusedError"
        assert read(waiting[0]).to == "zofia@example.org"


def test_outbox_without_smtp(app: Flask, client: FlaskClient) -> None:
    client.post(
        PARENT, data={**parent_answers(form_key(client, PARENT), email=""), "step": "submit"}
    )
    with app.app_context():
        waiting = pending()
        assert [read(m).to for m in waiting] == [
            app.extensions["portal.centres"].get("tomice").inbox
        ]
        raw = db.session.scalars(select(OutboxMessage.message)).one()
        assert b"example.org" not in raw


@pytest.mark.parametrize(
    ("url", "host", "port", "tls", "user"),
    [
        ("smtp://mail.example.org", "mail.example.org", 25, "none", None),
        (
            "smtp://u%40x:p@mail.example.org:587?starttls=1",
            "mail.example.org",
            587,
            "starttls",
            "u@x",
        ),
        ("smtps://mail.example.org", "mail.example.org", 465, "ssl", None),
    ],
)
def test_smtp_url(url: str, host: str, port: int, tls: str, user: str | None) -> None:
    settings = parse_smtp_url(url)
    assert (settings.host, settings.port, settings.tls, settings.username) == (
        host,
        port,
        tls,
        user,
    )


def test_bad_smtp_url() -> None:
    with pytest.raises(ValueError, match="smtp://"):
        parse_smtp_url("http://mail.example.org")


def test_a_broken_message_does_not_lose_the_request(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.referrals import notify

    def broken(*args: object) -> list[object]:
        raise RuntimeError("template missing")

    monkeypatch.setattr(notify, "_compose", broken)
    data = {**parent_answers(form_key(client, PARENT)), "step": "submit"}
    assert client.post(PARENT, data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Request.id))) == 1
        assert pending() == []


def test_notices_are_stored_with_the_request(app: Flask, client: FlaskClient) -> None:
    client.post(PARENT, data={**parent_answers(form_key(client, PARENT)), "step": "submit"})
    with app.app_context():
        request_id = db.session.scalars(select(Request.id)).one()
        rows = pending()
        assert len(rows) == 2 and all(row.centre_slug == "tomice" for row in rows)
        assert f"/panel/zgloszenia/{request_id}" in read(rows[1]).body
