"""Requests (a parent's self-referral, a "Za życiem" application) and their files.

Answers, file contents and file names are stored only encrypted (AES-GCM,
`portal.core.crypto`); `key_id` names the key so keys can be rotated.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.core.encryption import Encrypted, EncryptedFields
from portal.core.extensions import Base


class FormVersion(Base):
    """A form definition exactly as it was asked; requests point at one."""

    __tablename__ = "form_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(String(40))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    definition: Mapped[str] = mapped_column(Text)  # JSON, no personal data
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Request(Encrypted, Base):
    """One request to one centre."""

    __tablename__ = "requests"
    __encrypted__ = EncryptedFields(blobs=("answers",))
    __table_args__ = (
        UniqueConstraint("centre_slug", "idempotency_key", name="uq_requests_idempotency"),
        # The queue: a centre's requests, urgent and newest first, keyset-paginated by id.
        Index("ix_requests_queue", "centre_slug", "urgent", "created_at", "id"),
        Index("ix_requests_status", "centre_slug", "status", "created_at"),
        Index("ix_requests_retention", "retention_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    centre_slug: Mapped[str] = mapped_column(String(63))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), default="new")
    urgent: Mapped[bool] = mapped_column(default=False)
    outside_area: Mapped[bool] = mapped_column(default=False)
    lang: Mapped[str] = mapped_column(String(2), default="pl")
    idempotency_key: Mapped[str] = mapped_column(String(64))
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"))
    key_id: Mapped[str] = mapped_column(String(16))
    answers: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted JSON
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    retention_until: Mapped[date | None] = mapped_column(default=None)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    interview_date: Mapped[date | None] = mapped_column(default=None)
    consent_date: Mapped[date | None] = mapped_column(default=None)
    close_reason: Mapped[str | None] = mapped_column(String(30), default=None)

    form_version: Mapped[FormVersion] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    def associated_data(self) -> bytes:
        return self.aad_for(self.reference)

    @staticmethod
    def aad_for(reference: str) -> bytes:
        """The associated data of a request's answers (also for rows written in bulk)."""
        return f"request:{reference}".encode()


class StatusLink(Base):
    """An applicant's private status link: a random token, of which only the hash is kept.

    The token names nothing (the reference cannot be read out of it) and the database
    alone cannot give it back. A request may have several (its mail, its confirmation).
    """

    __tablename__ = "status_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256, hex
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Encrypted, Base):
    """A certificate file of a request; content and name encrypted."""

    __tablename__ = "attachments"
    __encrypted__ = EncryptedFields(blobs=("content", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    key_id: Mapped[str] = mapped_column(String(16))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    name: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted display name
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[Request] = relationship(back_populates="attachments")

    def associated_data(self) -> bytes:
        # Bound to its request (by reference, which exists before the row has an id).
        return f"attachment:{self.request.reference}".encode()


class HeldUpload(Encrypted, Base):
    """A valid file kept (encrypted, for hours) so a form with errors need not be re-uploaded."""

    __tablename__ = "held_uploads"
    __encrypted__ = EncryptedFields(blobs=("content", "name"))

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random token
    form_key: Mapped[str] = mapped_column(String(64), index=True)  # the form's idempotency key
    key_id: Mapped[str] = mapped_column(String(16))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    name: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    def associated_data(self) -> bytes:
        # Bound to the form it was uploaded with and to its own random id.
        return f"held:{self.form_key}:{self.id}".encode()


class Draft(Encrypted, Base):
    """Answers saved to finish later ("Zapisz i dokończ później"), found by a random token
    of which only the hash is kept; its files stay held under the form's key until it ends."""

    __tablename__ = "drafts"
    __encrypted__ = EncryptedFields(blobs=("answers",))

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_slug: Mapped[str] = mapped_column(String(40))
    form: Mapped[str] = mapped_column(String(40))
    form_key: Mapped[str] = mapped_column(String(64), index=True)
    key_id: Mapped[str] = mapped_column(String(16))
    answers: Mapped[bytes] = mapped_column(LargeBinary)  # JSON: the answers as typed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    def associated_data(self) -> bytes:
        # Bound to its centre and form: a blob moved to another centre's draft fails.
        return f"draft:{self.centre_slug}:{self.form}:{self.token_hash}".encode()
