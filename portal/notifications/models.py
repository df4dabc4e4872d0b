"""The outbox: every message the portal sends, encrypted (addresses are personal data)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.encryption import Encrypted, EncryptedFields
from portal.core.extensions import Base

# What every message was sealed with before each was bound to its row; `rotate-key`
# re-seals such rows (uid NULL) under their own associated data.
LEGACY_AAD = b"outbox"


class OutboxMessage(Encrypted, Base):
    """A message: sent through SMTP by the mail worker (sent_at set) or kept for the panel.

    A worker claims a row before sending it (`claim`, valid until `claimed_until`), so
    several workers on several hosts never send the same message; `next_attempt_at`
    is when a message that could not be sent is tried again (empty once sent).
    """

    __tablename__ = "outbox"
    __encrypted__ = EncryptedFields(blobs=("message",), bound_by="uid")

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_slug: Mapped[str | None] = mapped_column(String(63), index=True, default=None)
    # Random, set when the message is sealed: its id does not exist yet at that moment.
    uid: Mapped[str | None] = mapped_column(String(32), default=None)
    key_id: Mapped[str] = mapped_column(String(16))
    message: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted JSON: to, subject, body
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow, index=True)
    claim: Mapped[str | None] = mapped_column(String(32), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)

    def bind(self) -> None:
        if self.uid is None:
            self.uid = secrets.token_hex(16)

    def associated_data(self) -> bytes:
        # Bound to its own row and to the centre whose outbox shows it: a message moved
        # to another row or another centre's outbox no longer decrypts.
        if self.uid is None:
            return LEGACY_AAD
        return f"outbox:{self.uid}:{self.centre_slug or ''}".encode()
