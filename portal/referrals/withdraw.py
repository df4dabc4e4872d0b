"""The applicant withdraws their request from the status page.

The request is not deleted: it is marked withdrawn (a final status, kept until its
retention ends like any closed request), and the step is on the audit record.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import update

from portal.audit import record
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.referrals.lifecycle import WITHDRAWN_REASON, can_withdraw, retention_until
from portal.referrals.models import Request


def withdraw(req: Request) -> bool:
    """Mark the request withdrawn by the applicant; False when it was no longer open."""
    old, now = req.status, utcnow()
    if not can_withdraw(old):
        return False
    months = int(current_app.config["PORTAL_RETENTION_MONTHS"])
    # Conditional on the old status: a change by staff at the same moment wins cleanly.
    result = db.session.execute(
        update(Request)
        .where(Request.id == req.id, Request.status == old)
        .values(
            status="withdrawn",
            status_changed_at=now,
            close_reason=WITHDRAWN_REASON,
            retention_until=retention_until(now.date(), months),
        )
    )
    if not getattr(result, "rowcount", 0):
        db.session.rollback()
        return False
    record(
        "withdraw",
        centre_slug=req.centre_slug,
        request_id=req.id,
        detail=f"{old}->withdrawn reason={WITHDRAWN_REASON}",
    )
    db.session.commit()
    db.session.refresh(req)
    return True
