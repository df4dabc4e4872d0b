"""`create-user`, `demo-setup` and `purge` from the command line."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.panel import retention
from portal.panel.models import Note
from portal.panel.retention import purge
from portal.referrals.models import Attachment, HeldUpload, Request
from tests.panel.factories import PDF, make_request, make_user

LINK_RE = re.compile(r"http://\S+/panel/haslo/\S+")


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def test_create_user_prints_a_one_time_link(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-user", "Ala@Tomice.example.org", "--centre", "tomice", "--role", "worker"]
    )
    assert result.exit_code == 0, result.output
    link = LINK_RE.search(result.output)
    assert link
    user = db.session.scalars(db.select(User)).one()
    assert user.email == "ala@tomice.example.org" and user.password_hash is None
    path = link.group(0)[link.group(0).index("/panel/") :]
    assert app.test_client().get(path).status_code == 200
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert event.action == "account_create" and event.detail.endswith("via=cli")


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["x@tomice.example.org", "--centre", "nie-ma", "--role", "worker"],
            "Nie ma takiego ośrodka",
        ),
        (["zly-adres", "--centre", "tomice", "--role", "worker"], "Niepoprawny adres e-mail"),
        (["x@tomice.example.org", "--centre", "tomice", "--role", "boss"], "Invalid value"),
    ],
)
def test_create_user_refuses_bad_input(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(args=["create-user", *args])
    assert result.exit_code != 0 and message in result.output


def test_create_user_refuses_a_duplicate(runner: FlaskCliRunner) -> None:
    make_user("ala@tomice.example.org")
    result = runner.invoke(
        args=["create-user", "ala@tomice.example.org", "--centre", "tomice", "--role", "worker"]
    )
    assert result.exit_code != 0 and "już istnieje" in result.output


def test_create_user_takes_no_password_option(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=[
            "create-user",
            "a@tomice.example.org",
            "--centre",
            "tomice",
            "--role",
            "worker",
            "--password",
            "x",
        ]
    )
    assert result.exit_code != 0


def test_demo_setup_is_idempotent(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["demo-setup"])
    assert first.exit_code == 0 and LINK_RE.search(first.output)
    second = runner.invoke(args=["demo-setup"])
    assert second.exit_code == 0 and LINK_RE.search(second.output)
    users = list(db.session.scalars(db.select(User)))
    assert [(u.email, u.centre_slug, u.role) for u in users] == [
        ("pracownik@tomice.example.org", "tomice", "worker")
    ]
    users[0].password_hash = "set"
    db.session.commit()
    third = runner.invoke(args=["demo-setup"])
    assert third.exit_code == 0 and "ma już hasło" in third.output
    assert not LINK_RE.search(third.output)


def test_demo_setup_does_nothing_in_production(app: Flask, runner: FlaskCliRunner) -> None:
    app.config["PORTAL_PRODUCTION"] = True
    result = runner.invoke(args=["demo-setup"])
    assert result.exit_code == 0 and "produkcji" in result.output
    assert db.session.scalars(db.select(User)).first() is None


def _closed(days_ago: int, centre: str = "tomice") -> int:
    rid = make_request(centre, status="closed", files=[("a.pdf", PDF)])
    req = db.session.get(Request, rid)
    assert req is not None
    req.retention_until = utcnow().date() - timedelta(days=days_ago)
    db.session.add(Note(request_id=rid, key_id="t1", text=b"x"))
    db.session.commit()
    return rid


def test_purge_deletes_what_is_past_retention(runner: FlaskCliRunner) -> None:
    gone = _closed(1)
    kept = _closed(-1)  # retention ends tomorrow
    open_overdue = make_request(status="in_review")
    req = db.session.get(Request, open_overdue)
    assert req is not None
    req.retention_until = utcnow().date() - timedelta(days=30)
    db.session.add(
        HeldUpload(
            id="h" * 43,
            form_key="k" * 30,
            key_id="t1",
            content=b"x",
            name=b"x",
            media_type="application/pdf",
            size=1,
            expires_at=utcnow() - timedelta(minutes=1),
        )
    )
    db.session.commit()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0 and "zgłoszenia: 1, przechowane pliki: 1" in dry.output
    assert db.session.get(Request, gone) is not None
    assert not db.session.scalars(db.select(AuditEvent)).all()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "zgłoszenia: 1, przechowane pliki: 1" in result.output
    assert "po terminie przechowywania: 1." in result.output  # reported, not deleted
    db.session.expire_all()
    assert db.session.get(Request, gone) is None
    assert db.session.get(Request, kept) is not None
    assert db.session.get(Request, open_overdue) is not None
    assert not db.session.scalars(db.select(Attachment).where(Attachment.request_id == gone)).all()
    assert not db.session.scalars(db.select(Note).where(Note.request_id == gone)).all()
    assert db.session.scalars(db.select(HeldUpload)).first() is None
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert event.action == "purge"
    assert event.detail == "requests=1 held_uploads=1 outbox=0 audit_events=0 drafts=0"


def test_purge_works_in_batches(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(7):
        _closed(3)
    monkeypatch.setattr(retention, "BATCH", 3)
    assert purge().requests == 7
    assert db.session.scalars(db.select(Request)).first() is None
