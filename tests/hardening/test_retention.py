"""`purge` also deletes old outbox mail and old audit events; a purged request leaves
audit events that lead back to no one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from portal.audit import record
from portal.audit.models import AuditEvent
from portal.core.clock import add_months, utcnow
from portal.core.extensions import db
from portal.notifications.mail import Mail, pending, queue
from portal.notifications.models import OutboxMessage
from portal.panel.retention import purge
from portal.referrals.models import Request, StatusLink
from portal.referrals.status import make_token
from tests.panel.conftest import panel_app
from tests.panel.factories import PDF, make_request, make_user


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = panel_app(tmp_path)
    with app.app_context():
        yield app


def _message(
    label: str, *, created_days_ago: float, sent_days_ago: float | None = None, attempts: int = 0
) -> int:
    now = utcnow()
    row = queue(Mail(f"{label}@example.org", label, "body"), "tomice")
    row.created_at = now - timedelta(days=created_days_ago)
    row.sent_at = None if sent_days_ago is None else now - timedelta(days=sent_days_ago)
    row.attempts = attempts
    db.session.commit()
    return row.id


def _outbox_ids() -> set[int]:
    return set(db.session.scalars(select(OutboxMessage.id)))


def test_outbox_mail_goes_when_its_time_is_up(app: Flask) -> None:
    gone = {
        _message("delivered-long-ago", created_days_ago=32, sent_days_ago=31),
        _message("failed-past-retries", created_days_ago=6, attempts=4),
        _message("never-sent-no-smtp", created_days_ago=31),
    }
    kept = {
        _message("delivered-recently", created_days_ago=29, sent_days_ago=29),
        _message("failed-still-tried", created_days_ago=4, attempts=2),
        _message("waiting-no-smtp", created_days_ago=10),
    }
    assert purge(dry_run=True).outbox == 3
    assert _outbox_ids() == gone | kept
    assert purge().outbox == 3
    db.session.expire_all()
    assert _outbox_ids() == kept


def test_send_outbox_gives_up_after_the_retry_window(app: Flask) -> None:
    late = _message("failed-past-retries", created_days_ago=6, attempts=4)
    due = _message("failed-still-tried", created_days_ago=1, attempts=1)
    waiting = {row.id for row in pending()}
    assert due in waiting and late not in waiting


def _event(action: str, *, at: datetime, request_id: int | None = None, detail: str = "") -> int:
    event = record(action, centre_slug="tomice", request_id=request_id, detail=detail)
    event.at = at
    db.session.commit()
    return event.id


def _event_ids() -> set[int]:
    return set(db.session.scalars(select(AuditEvent.id)))


def _months_ago(months: int) -> datetime:
    return datetime.combine(add_months(utcnow().date(), -months), datetime.min.time())


def test_audit_events_go_after_sixty_months(app: Flask) -> None:
    old = _event("login", at=_months_ago(60) - timedelta(days=1))
    kept = {
        _event("login", at=_months_ago(60) + timedelta(days=1)),
        _event("view", at=_months_ago(1)),
    }
    assert purge(dry_run=True).audit_events == 1
    result = purge()
    assert result.audit_events == 1
    db.session.expire_all()
    remaining = _event_ids()
    assert old not in remaining and kept <= remaining


def test_the_audit_term_is_a_setting(tmp_path: Path) -> None:
    app = panel_app(tmp_path, PORTAL_AUDIT_RETENTION_MONTHS=12)
    with app.app_context():
        old = _event("login", at=utcnow() - timedelta(days=400))
        recent = _event("login", at=utcnow() - timedelta(days=300))
        purge()
        db.session.expire_all()
        remaining = _event_ids()
        assert old not in remaining and recent in remaining


def _closed_past_retention() -> int:
    rid = make_request("tomice", status="closed", files=[("a.pdf", PDF)])
    req = db.session.get_one(Request, rid)
    req.retention_until = utcnow().date() - timedelta(days=1)
    db.session.commit()
    return rid


def test_a_purged_request_leaves_events_that_lead_nowhere(app: Flask) -> None:
    worker = make_user("pracownik@tomice.example.org", "tomice", "worker")
    gone, stays = _closed_past_retention(), make_request("tomice", status="in_review")
    recent = utcnow() - timedelta(days=3)
    steps = [
        ("view", ""),
        ("download", "file=1"),
        ("status", "in_review->closed reason=family_declined"),
    ]
    for action, detail in steps:
        for rid in (gone, stays):
            event = record(
                action, centre_slug="tomice", actor_id=worker.id, request_id=rid, detail=detail
            )
            event.at = recent
    make_token(db.session.get_one(Request, gone))
    db.session.commit()

    assert purge().requests == 1
    db.session.expire_all()
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action != "purge")))
    of_gone = [e for e in events if e.request_id is None]
    # Who did what, when, in which centre is still on the record; which family, not.
    assert sorted(e.action for e in of_gone) == ["download", "status", "view"]
    assert all(e.detail == "" and e.actor_id == worker.id for e in of_gone)
    assert all(e.centre_slug == "tomice" for e in of_gone)
    of_stays = [e for e in events if e.request_id == stays]
    assert {e.detail for e in of_stays} == {d for _a, d in steps}
    assert (
        db.session.scalars(select(StatusLink).where(StatusLink.request_id == gone)).first() is None
    )


def test_the_command_says_how_many_of_each(app: Flask, runner: FlaskCliRunner) -> None:
    _message("delivered-long-ago", created_days_ago=40, sent_days_ago=40)
    _event("login", at=utcnow() - timedelta(days=61 * 31))
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert "wiadomości: 1, zdarzenia dziennika: 1." in dry.output
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and "wiadomości: 1, zdarzenia dziennika: 1." in done.output
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "purge"))
    assert event.detail == "requests=0 held_uploads=0 outbox=1 audit_events=1 drafts=0"
