"""How long the outbox keeps a message (it holds an applicant's address, encrypted).

A delivered message is kept a month, for "my mail did not arrive" questions. An
undelivered one is tried for `RETRY_WINDOW` (SMTP itself gives up after four or
five days, RFC 5321 4.5.4.1) and goes once that window has closed. A message
that was never handed to SMTP (no PORTAL_SMTP_URL: the panel's outbox is where
it is read) is kept as long as a delivered one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select

from portal.core.extensions import db
from portal.notifications.models import OutboxMessage

KEEP_DELIVERED = timedelta(days=30)
RETRY_WINDOW = timedelta(days=5)


def still_tried(now: datetime) -> ColumnElement[bool]:
    """Unsent messages inside their retry window (what `send-outbox` takes)."""
    return and_(OutboxMessage.sent_at.is_(None), OutboxMessage.created_at >= now - RETRY_WINDOW)


def _expired(now: datetime) -> ColumnElement[bool]:
    sent = OutboxMessage.sent_at
    return or_(
        and_(sent.is_not(None), sent < now - KEEP_DELIVERED),
        and_(
            sent.is_(None),
            OutboxMessage.attempts > 0,
            OutboxMessage.created_at < now - RETRY_WINDOW,
        ),
        and_(
            sent.is_(None),
            OutboxMessage.attempts == 0,
            OutboxMessage.created_at < now - KEEP_DELIVERED,
        ),
    )


def purge_outbox(now: datetime, *, dry_run: bool = False) -> int:
    """Delete (or, dry, count) the messages past their time; the caller commits."""
    expired = _expired(now)
    count = int(db.session.scalar(select(func.count(OutboxMessage.id)).where(expired)) or 0)
    if count and not dry_run:
        db.session.execute(delete(OutboxMessage).where(expired))
    return count
