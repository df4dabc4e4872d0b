"""The mail worker: claims, retries with backoff, and several workers on one outbox."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask
from sqlalchemy import select, update

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.notifications import delivery
from portal.notifications.mail import Mail, pending, queue
from portal.notifications.models import OutboxMessage
from tests.conftest import ROOT, database_url, make_app
from tests.referrals.test_mail import free_port

WAIT = 60.0  # seconds any wait below may take at most


class Sink:
    """An aiosmtpd handler: refuses the first try of every `refuse_every`-th message."""

    def __init__(self, refuse_every: int = 0, delay: float = 0.0) -> None:
        self.accepted: list[str] = []
        self.refused: list[str] = []
        self.refuse_every, self.delay = refuse_every, delay

    # aiosmtpd calls the handler's methods by these names.
    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message = message_from_bytes(envelope.original_content or b"")
        message_id = str(message["Message-ID"])
        await asyncio.sleep(self.delay)  # a real server takes a moment: workers overlap
        number = int(message_id.split(".")[1])
        if self.refuse_every and number % self.refuse_every == 0:
            if message_id not in self.refused:
                self.refused.append(message_id)
                return "451 4.3.0 try again later"
        self.accepted.append(message_id)
        return "250 OK"


def serve(sink: Sink, port: int) -> Controller:
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def mail_app(tmp_path: Path, port: int) -> Flask:
    return make_app(
        tmp_path,
        PORTAL_SMTP_URL=f"smtp://127.0.0.1:{port}",
        PORTAL_MAIL_RETRY_SECONDS=30.0,
        PORTAL_MAIL_RETRY_MAX_SECONDS=300.0,
    )


def _queue(count: int) -> None:
    for n in range(count):
        queue(Mail(f"osoba{n}@example.org", f"Temat {n}", "treść"), "tomice")
    db.session.commit()


def test_a_claimed_message_is_not_claimed_again(mail_app: Flask) -> None:
    with mail_app.app_context():
        _queue(1)
        now = utcnow()
        first = delivery.claim(now)
        assert first is not None
        assert delivery.claim(now) is None
        assert delivery.claim(now, due_only=False, row_id=first.row_id) is None
        # A worker that died holding the claim: once it runs out, another takes the message…
        later = now + timedelta(seconds=delivery.CLAIM_SECONDS + 1)
        second = delivery.claim(later)
        assert second is not None and second.row_id == first.row_id
        # …and the first worker, should it come back, can no longer mark it.
        delivery._finish(first, sent_at=now)
        row = db.session.get(OutboxMessage, first.row_id)
        assert row is not None and row.sent_at is None and row.attempts == 2
        assert row.claim == second.token


def test_a_refused_message_waits_longer_after_each_failure(mail_app: Flask, port: int) -> None:
    sink = Sink(refuse_every=1)
    controller = serve(sink, port)
    try:
        with mail_app.app_context():
            _queue(1)
            assert delivery.send_due().failed == 1
            row = db.session.scalars(select(OutboxMessage)).one()
            assert row.last_error == "SMTPDataError" and row.attempts == 1
            assert row.next_attempt_at is not None
            wait = (row.next_attempt_at - utcnow()).total_seconds()
            assert 25 < wait <= 30
            assert delivery.send_due().tried == 0  # not due yet
            db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
            db.session.commit()
            assert delivery.send_due().sent == 1  # the sink takes a message's second try
            db.session.refresh(row)
            assert row.sent_at is not None and row.next_attempt_at is None and row.claim is None
    finally:
        controller.stop()
    assert len(sink.accepted) == 1 and sink.accepted == sink.refused
    with mail_app.app_context():
        assert [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3, 5, 20)] == [
            30,
            60,
            120,
            300,
            300,
        ]


def test_an_unreachable_server_ends_the_pass(mail_app: Flask) -> None:
    with mail_app.app_context():
        _queue(3)
        result = delivery.send_due()
        assert (result.sent, result.failed, result.server_down) == (0, 1, True)
        assert sorted(m.attempts for m in pending()) == [0, 0, 1]


def test_no_address_in_the_log(mail_app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    with mail_app.app_context():
        _queue(1)
        delivery.send_due()
    assert "mail not sent" in caplog.text and "example.org" not in caplog.text


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "portal", "send-outbox", "--watch"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"waited {WAIT:.0f} s for {what}")


@pytest.fixture
def workers(
    tmp_path: Path, mail_app: Flask, port: int
) -> Iterator[list[tuple[subprocess.Popen[bytes], Path]]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PORTAL_DATABASE_URL": database_url(tmp_path),
        "PORTAL_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "PORTAL_MAIL_POLL_SECONDS": "0.1",
        "PORTAL_MAIL_RETRY_SECONDS": "0.2",
        "PORTAL_MAIL_RETRY_MAX_SECONDS": "0.5",
    }
    started = [_start_worker(env, tmp_path / f"worker{n}.log") for n in range(3)]
    logs = [tmp_path / f"worker{n}.log" for n in range(3)]
    try:
        yield list(zip(started, logs, strict=True))
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


def test_three_workers_send_each_message_exactly_once(
    mail_app: Flask, port: int, workers: list[tuple[subprocess.Popen[bytes], Path]]
) -> None:
    count = 60
    sink = Sink(refuse_every=4, delay=0.01)
    controller = serve(sink, port)
    try:
        _wait_for(
            lambda: all("watching the outbox" in log.read_text() for _p, log in workers),
            "three workers",
        )
        with mail_app.app_context():
            _queue(count)  # one commit: all three find work at the same moment
        _wait_for(lambda: len(set(sink.accepted)) == count, f"{count} messages")
        time.sleep(1.0)  # room for a duplicate to show, if a worker were to send one
        for proc, _log in workers:
            proc.send_signal(signal.SIGTERM)
        for proc, _log in workers:
            assert proc.wait(timeout=WAIT) == 0
    finally:
        controller.stop()
    assert len(sink.accepted) == count
    assert set(Counter(sink.accepted).values()) == {1}
    assert len(sink.refused) == count // 4  # each refused once, then sent once
    outputs = [log.read_text() for _p, log in workers]
    assert all("mail worker: stopped" in out for out in outputs)
    sent_by = [sum(int(n) for n in re.findall(r"mail worker: (\d+) sent", out)) for out in outputs]
    assert sum(sent_by) == count
    assert sum(1 for n in sent_by if n) >= 2, sent_by  # the work was shared out
    with mail_app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert all(r.sent_at is not None and r.claim is None for r in rows)
        assert sum(r.attempts for r in rows) == count + count // 4
