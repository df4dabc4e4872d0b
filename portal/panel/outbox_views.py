"""The outbox in the panel: what the portal sent (or could not send) for a centre."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from portal.audit.service import record
from portal.core.extensions import db
from portal.notifications.mail import read
from portal.notifications.models import OutboxMessage
from portal.panel.access import roles_required, staff
from portal.panel.blueprint import bp

OUTBOX_PAGE = 100


def outbox_for_staff() -> list[OutboxMessage]:
    """The newest messages of the manager's centre (every centre's for an admin)."""
    user = staff()
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(OUTBOX_PAGE)
    if user.role != "admin":
        query = query.where(OutboxMessage.centre_slug == user.centre_slug)
    return list(db.session.scalars(query))


@bp.get("/poczta")
@roles_required("manager", "admin")
def outbox() -> str:
    """Messages sent to applicants and to the centre's inbox, and any not sent yet."""
    user = staff()
    rows = outbox_for_staff()
    # Recipients are applicants' addresses: reading them is a recorded step.
    record("outbox_view", centre_slug=user.centre_slug, actor_id=user.id)
    db.session.commit()
    return render_template("panel/outbox.html", messages=[(row, read(row)) for row in rows])
