"""How long the audit trail is kept, and what it keeps of a request that is gone.

Events go after PORTAL_AUDIT_RETENTION_MONTHS (60: five years, the usual term for
records of who accessed what). When a request is purged, its events stay as a
record of what staff did and when, but nothing in them leads back to the family:
the request id (which a backup could still resolve) and the detail (a close
reason, a file or note id) are cleared.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select, update

from portal.audit.models import AuditEvent
from portal.core.clock import add_months
from portal.core.extensions import db


def retention_start(today: date, months: int) -> datetime:
    """Events before this moment are past their retention."""
    start = add_months(today, -months)
    return datetime(start.year, start.month, start.day)


def forget_requests(request_ids: Sequence[int]) -> None:
    """Unlink the events of purged requests from them (in the caller's transaction)."""
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.request_id.in_(request_ids))
        .values(request_id=None, detail="")
    )


def purge_events(before: datetime, *, dry_run: bool = False) -> int:
    """Delete (or, dry, count) events older than `before`; the caller commits."""
    old = AuditEvent.at < before
    count = int(db.session.scalar(select(func.count(AuditEvent.id)).where(old)) or 0)
    if count and not dry_run:
        db.session.execute(delete(AuditEvent).where(old))
    return count
