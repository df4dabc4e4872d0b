"""The outbox: every message the portal sends, encrypted (addresses are personal data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.encryption import Encrypted, EncryptedFields
from portal.core.extensions import Base


class OutboxMessage(Encrypted, Base):
    """A message: sent through SMTP (sent_at set) or kept for the panel."""

    __tablename__ = "outbox"
    __encrypted__ = EncryptedFields(blobs=("message",))

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_slug: Mapped[str | None] = mapped_column(String(63), index=True, default=None)
    key_id: Mapped[str] = mapped_column(String(16))
    message: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted JSON: to, subject, body
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")

    def associated_data(self) -> bytes:
        return b"outbox"
