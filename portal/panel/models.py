"""Internal notes on requests, saved views of the queue, and the extra indexes the
queue's filters need.

Notes may hold health data, so their text is stored only encrypted, bound to
their request by the aad.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.encryption import Encrypted, EncryptedFields
from portal.core.extensions import Base
from portal.referrals.models import Request


class Note(Encrypted, Base):
    """A staff member's internal note on a request."""

    __tablename__ = "notes"
    __encrypted__ = EncryptedFields(blobs=("text",))

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    key_id: Mapped[str] = mapped_column(String(16))
    text: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted

    def associated_data(self) -> bytes:
        return f"note:{self.request_id}".encode()


class SavedView(Base):
    """A named set of queue filters one account keeps (the query string, codes only)."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_views_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    query: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Declared here (they serve the panel's filters) but they belong to the requests table.
# One status: equality on (centre, status), then the queue's order straight from the index.
Index(
    "ix_requests_queue_status",
    Request.centre_slug,
    Request.status,
    Request.urgent,
    Request.created_at,
    Request.id,
)
# "Mine" and "unassigned": equality on (centre, assignee), same order.
Index(
    "ix_requests_queue_assignee",
    Request.centre_slug,
    Request.assignee_id,
    Request.urgent,
    Request.created_at,
    Request.id,
)
