"""Recording audit events inside the caller's transaction.

Audit only writes. Who may read which events is the panel's to decide
(`portal.panel.access.audit_events_for`), so this layer knows no account or role.
"""

from __future__ import annotations

from portal.audit.models import AuditEvent
from portal.core.extensions import db


def record(
    action: str,
    *,
    centre_slug: str | None = None,
    actor_id: int | None = None,
    request_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    """Add an audit event to the session; it is committed with the change it records.

    `detail` holds codes and ids only (e.g. "new->in_review", "user=12"), never
    anything a person typed or anything about the family.
    """
    event = AuditEvent(
        action=action,
        centre_slug=centre_slug,
        actor_id=actor_id,
        request_id=request_id,
        detail=detail[:200],
    )
    db.session.add(event)
    return event
