"""Audit events: who did what, when, to which request. No personal data in `detail`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.extensions import Base


class AuditEvent(Base):
    """One recorded step."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_centre_at", "centre_slug", "at"),
        # A manager's log: its centre's events, newest id first, paged by id.
        Index("ix_audit_centre_id", "centre_slug", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    centre_slug: Mapped[str | None] = mapped_column(String(63), default=None)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    action: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[int | None] = mapped_column(default=None, index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
