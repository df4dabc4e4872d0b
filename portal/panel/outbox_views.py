"""The outbox in the panel: what the portal sent (or could not send) for a centre."""

from __future__ import annotations

from flask import render_template

from portal.audit import record
from portal.auth.models import User
from portal.core.extensions import db
from portal.notifications.mail import read
from portal.notifications.models import OutboxMessage
from portal.panel.access import MANAGERS, outbox_for, roles_required, staff
from portal.panel.blueprint import bp

OUTBOX_PAGE = 100


def newest_messages(viewer: User) -> list[OutboxMessage]:
    """The newest messages `viewer` may read (its centre's; every centre's for an admin)."""
    query = outbox_for(viewer).order_by(OutboxMessage.id.desc()).limit(OUTBOX_PAGE)
    return list(db.session.scalars(query))


@bp.get("/poczta")
@roles_required(*MANAGERS)
def outbox() -> str:
    """Messages sent to applicants and to the centre's inbox, and any not sent yet."""
    user = staff()
    rows = newest_messages(user)
    # Recipients are applicants' addresses: reading them is a recorded step.
    record("outbox_view", centre_slug=user.centre_slug, actor_id=user.id)
    db.session.commit()
    return render_template("panel/outbox.html", messages=[(row, read(row)) for row in rows])
