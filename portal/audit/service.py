"""Recording audit events inside the caller's transaction."""

from __future__ import annotations

from portal.audit.models import AuditEvent
from portal.extensions import db


def record(
    action: str,
    *,
    centre_slug: str | None = None,
    actor_id: int | None = None,
    request_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    """Add an audit event to the session; it is committed with the change it records."""
    event = AuditEvent(
        action=action,
        centre_slug=centre_slug,
        actor_id=actor_id,
        request_id=request_id,
        detail=detail[:200],
    )
    db.session.add(event)
    return event
