"""Recording audit events inside the caller's transaction, and reading them back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.extensions import db

if TYPE_CHECKING:
    from portal.auth.models import User

PAGE_SIZE = 100


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


def events_for(viewer: User, before: int | None = None, limit: int = PAGE_SIZE) -> list[AuditEvent]:
    """Newest events first: a manager's own centre, every centre for an admin, none else."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if viewer.role == "manager":
        query = query.where(AuditEvent.centre_slug == viewer.centre_slug)
    elif viewer.role != "admin":
        return []
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return list(db.session.scalars(query))


def request_history(request_id: int, limit: int = 50) -> list[AuditEvent]:
    """The latest steps taken on one request (the caller has scoped the request)."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.request_id == request_id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
