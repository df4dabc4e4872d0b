"""The mail worker: takes messages out of the outbox and hands them to SMTP.

Any number of workers, on any number of hosts, may run at once. Each message is
claimed with one conditional UPDATE before it is sent (on PostgreSQL its
candidate row is picked `FOR UPDATE SKIP LOCKED`, so workers do not queue behind
each other), and marked sent only by the worker holding the claim, so no two
workers send the same message. A claim lasts `CLAIM_SECONDS`: if a worker dies
holding one, another worker sends the message once the claim has run out.

A message SMTP did not take is tried again after a delay that doubles with each
attempt (`PORTAL_MAIL_RETRY_SECONDS` … `PORTAL_MAIL_RETRY_MAX_SECONDS`). When
the server cannot be reached at all, the pass ends: the next message would fail
the same way. Logs name outbox ids and error types, never an address.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.notifications import smtp
from portal.notifications.mail import read
from portal.notifications.models import OutboxMessage
from portal.notifications.retention import RETRY_WINDOW, still_tried

log = logging.getLogger(__name__)

# Far longer than one SMTP session can take (its timeout is SMTP_TIMEOUT per step), so a
# claim never runs out while its worker is still sending.
CLAIM_SECONDS = 300
# Messages one pass of the worker sends before it looks at the clock again.
PASS_LIMIT = 200


@dataclass(frozen=True)
class Claim:
    """One message this worker may send, and the token that proves it."""

    row_id: int
    token: str


@dataclass
class PassResult:
    """What one pass did: messages sent, not sent, and whether the server was unreachable."""

    sent: int = 0
    failed: int = 0
    server_down: bool = False

    @property
    def tried(self) -> int:
        return self.sent + self.failed


def retry_delay(attempts: int) -> timedelta:
    """How long a message waits after its `attempts`-th failed try (doubling, capped)."""
    base = float(current_app.config["PORTAL_MAIL_RETRY_SECONDS"])
    cap = float(current_app.config["PORTAL_MAIL_RETRY_MAX_SECONDS"])
    return timedelta(seconds=min(cap, base * 2 ** max(0, min(attempts - 1, 30))))


def _claimable(
    row: type[OutboxMessage], now: datetime, due_only: bool, row_id: int | None
) -> ColumnElement[bool]:
    # Unsent, inside the retry window (retention.py: SMTP itself gives up after days),
    # and not claimed by a worker that may still be sending it.
    free = and_(
        row.sent_at.is_(None),
        row.created_at >= now - RETRY_WINDOW,
        or_(row.claimed_until.is_(None), row.claimed_until < now),
    )
    if due_only:
        free = and_(free, row.next_attempt_at <= now)
    if row_id is not None:
        free = and_(free, row.id == row_id)
    return free


def claim(now: datetime, *, due_only: bool = True, row_id: int | None = None) -> Claim | None:
    """Claim the next message to send (or the one given), committed; None if there is none.

    The UPDATE repeats the conditions of its candidate, so a row another worker claimed
    in between is not taken (SQLite runs the statement under its write lock; PostgreSQL
    re-checks the condition on the row it waited for).
    """
    candidate_row = aliased(OutboxMessage)
    candidate = (
        select(candidate_row.id)
        .where(_claimable(candidate_row, now, due_only, row_id))
        .order_by(candidate_row.next_attempt_at, candidate_row.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    token = secrets.token_hex(16)
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id == candidate, _claimable(OutboxMessage, now, due_only, None))
        .values(
            claim=token,
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    claimed = db.session.execute(statement).scalar_one_or_none()
    db.session.commit()
    return None if claimed is None else Claim(claimed, token)


def _finish(claimed: Claim, **values: object) -> None:
    """Record the outcome, only while the claim is still this worker's."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claimed.row_id, OutboxMessage.claim == claimed.token)
        .values(claim=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def build_message(row: OutboxMessage) -> EmailMessage:
    """The e-mail of an outbox row, with a Message-ID of its own (the same on every try)."""
    mail = read(row)
    sender = str(current_app.config["PORTAL_MAIL_FROM"])
    domain = sender.rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    stamp = int(row.created_at.replace(tzinfo=UTC).timestamp())
    message["Message-ID"] = f"<outbox.{row.id}.{stamp}@{domain}>"
    message.set_content(mail.body)
    return message


def send_claimed(claimed: Claim, settings: smtp.SmtpSettings) -> tuple[bool, bool]:
    """Send one claimed message; (sent, server unreachable). Never raises for SMTP trouble."""
    row = db.session.get(OutboxMessage, claimed.row_id)
    if row is None:  # purged meanwhile
        return False, False
    attempts = row.attempts
    try:
        smtp.send(settings, build_message(row))
    except Exception as exc:  # any failure leaves the message waiting, never a lost worker
        down = isinstance(exc, smtp.SERVER_DOWN)
        # The type only: smtplib's messages may quote the recipient's address.
        log.warning("mail not sent: outbox id=%s (%s)", claimed.row_id, type(exc).__name__)
        db.session.rollback()
        _finish(
            claimed,
            last_error=type(exc).__name__[:200],
            next_attempt_at=utcnow() + retry_delay(attempts),
        )
        return False, down
    _finish(claimed, sent_at=utcnow(), next_attempt_at=None, last_error="")
    log.info("mail sent: outbox id=%s", claimed.row_id)
    return True, False


def _settings() -> smtp.SmtpSettings:
    url = current_app.config.get("PORTAL_SMTP_URL")
    if not url:
        raise RuntimeError("PORTAL_SMTP_URL is not set: messages stay in the outbox")
    return smtp.parse_smtp_url(str(url))


def send_due(limit: int = PASS_LIMIT) -> PassResult:
    """One pass of the worker: the messages due now, until none is left or SMTP is down."""
    settings, result = _settings(), PassResult()
    while result.tried < limit:
        claimed = claim(utcnow())
        if claimed is None:
            break
        if not _count(result, send_claimed(claimed, settings)):
            break
    return result


def send_waiting() -> PassResult:
    """Try every message not sent yet, once, whatever its retry time (`send-outbox`)."""
    settings, result = _settings(), PassResult()
    waiting = db.session.scalars(
        select(OutboxMessage.id).where(still_tried(utcnow())).order_by(OutboxMessage.id)
    ).all()
    for row_id in waiting:
        claimed = claim(utcnow(), due_only=False, row_id=row_id)
        if claimed is not None and not _count(result, send_claimed(claimed, settings)):
            break
    return result


def _count(result: PassResult, outcome: tuple[bool, bool]) -> bool:
    """Add one outcome to the pass; False when the pass should stop (server unreachable)."""
    sent, down = outcome
    result.sent += sent
    result.failed += not sent
    result.server_down = down
    return not down


def watch(stop: threading.Event, report: Callable[[PassResult], None] | None = None) -> None:
    """Send what is due, again and again, until `stop` is set (SIGTERM in the CLI).

    `report` hears of every pass that tried something (the CLI prints a line).
    """
    poll = float(current_app.config["PORTAL_MAIL_POLL_SECONDS"])
    _settings()  # a worker without SMTP says so at once, not at the first message
    while not stop.is_set():
        try:
            result = send_due()
        except SQLAlchemyError as exc:  # the database restarting: wait and try again
            log.warning("outbox not read: %s", type(exc).__name__)
            db.session.rollback()
            result = PassResult(server_down=True)
        finally:
            db.session.remove()
        if report is not None and result.tried:
            report(result)
        busy = result.tried >= PASS_LIMIT and not result.server_down
        if not busy:
            stop.wait(poll)
