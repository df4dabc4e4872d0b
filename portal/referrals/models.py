"""Requests (a parent's self-referral, a "Za życiem" application) and their files.

Answers, file contents and file names are stored only encrypted (AES-GCM,
`portal.core.crypto`); `key_id` names the key so keys can be rotated.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.core.crypto import Keyring
from portal.core.encryption import BlindFields, BlindIndexed, Encrypted, EncryptedFields
from portal.core.extensions import Base
from portal.referrals.identity import FIELDS, normalise


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
        # "After the deadline" and its count: open statuses of a centre, by due date.
        Index("ix_requests_due", "centre_slug", "status", "due_date", "id"),
        # The figures of a year (`portal.panel.stats`): a centre's requests by arrival, with
        # every column the figures group or test, so the database reads the index alone.
        Index(
            "ix_requests_figures",
            "centre_slug",
            "created_at",
            "kind",
            "status",
            "close_reason",
            "postal_code",
            "first_contact_on",
            "due_date",
            "contact_days",
            "decision_days",
        ),
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
    # The working day the centre must answer by (`lifecycle.due_date`); staff may move it.
    due_date: Mapped[date]
    retention_until: Mapped[date | None] = mapped_column(default=None)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    interview_date: Mapped[date | None] = mapped_column(default=None)
    consent_date: Mapped[date | None] = mapped_column(default=None)
    close_reason: Mapped[str | None] = mapped_column(String(30), default=None)
    # The applicant answered a message of the centre and nobody responsible has read it yet.
    reply_waiting: Mapped[bool] = mapped_column(default=False)
    # For the centre's figures (SQL aggregates): the area's postal code (no personal data on
    # its own), and the working days from receipt to the first answer and to a decision.
    postal_code: Mapped[str | None] = mapped_column(String(6), default=None)
    first_contact_on: Mapped[date | None] = mapped_column(default=None)
    contact_days: Mapped[int | None] = mapped_column(default=None)
    decided_on: Mapped[date | None] = mapped_column(default=None)
    decision_days: Mapped[int | None] = mapped_column(default=None)

    form_version: Mapped[FormVersion] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    identifiers: Mapped[list[RequestIdentifier]] = relationship(
        back_populates="request", cascade="all, delete-orphan"
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
    """A file of a request (a certificate, a reply's file); content, name and label encrypted.

    Rows are read in id order, which is the order the applicant added the files in; a
    file of the request names the question it answers. The label is the applicant's own
    ("strona 1"), if any.
    """

    __tablename__ = "attachments"
    __encrypted__ = EncryptedFields(blobs=("content", "name", "label"), optional=("label",))

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    key_id: Mapped[str] = mapped_column(String(16))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    name: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted display name
    label: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)  # encrypted
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    question: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A file sent with the applicant's reply (None: sent with the request itself).
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), default=None, index=True
    )

    request: Mapped[Request] = relationship(back_populates="attachments")

    def associated_data(self) -> bytes:
        # Bound to its request (by reference, which exists before the row has an id).
        return f"attachment:{self.request.reference}".encode()

    def label_text(self) -> str:
        """The applicant's label for the file, or "" if none was given."""
        return self.unseal_optional_text("label")


class Message(Encrypted, Base):
    """One message between the centre and the applicant, shown on the status page.

    `sender` is "centre" or "applicant"; `kind` is "question" (the centre asks),
    "news" (a step the applicant should know of) or "reply". The body is encrypted
    JSON: {"text": ...} for words, {"news": ..., ...codes} for news, worded when shown.
    """

    __tablename__ = "messages"
    __encrypted__ = EncryptedFields(blobs=("body",))
    __table_args__ = (
        # A reply posted twice (a double click, a resent form) is stored once.
        UniqueConstraint("request_id", "form_key", name="uq_messages_form_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    form_key: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    key_id: Mapped[str] = mapped_column(String(16))
    body: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted JSON

    def associated_data(self) -> bytes:
        return f"message:{self.request_id}".encode()


class RequestIdentifier(BlindIndexed, Base):
    """A keyed blind index of one identifier of a request (PESEL, e-mail or phone).

    Only the HMAC of the normalised value is kept, under a key derived from the data
    key; it finds every request of one person without storing who they are.
    """

    __tablename__ = "request_identifiers"
    __blind__ = BlindFields()
    __table_args__ = (Index("ix_request_identifiers_digest", "kind", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    digest: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))

    request: Mapped[Request] = relationship(back_populates="identifiers")

    def blind_value(self, ring: Keyring) -> str | None:
        answers = json.loads(self.request.unseal("answers", ring)).get("fields", {})
        return normalise(self.kind, answers.get(FIELDS[self.kind]))


class HeldUpload(Encrypted, Base):
    """A valid file kept (encrypted, for hours) so a form with errors need not be re-uploaded."""

    __tablename__ = "held_uploads"
    __encrypted__ = EncryptedFields(blobs=("content", "name", "label"), optional=("label",))

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random token
    form_key: Mapped[str] = mapped_column(String(64), index=True)  # the form's idempotency key
    # The centre and question it was added at ("" for a reply's file, or from before).
    centre_slug: Mapped[str] = mapped_column(String(40), default="", server_default="")
    question: Mapped[str] = mapped_column(String(40), default="", server_default="")
    key_id: Mapped[str] = mapped_column(String(16))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    name: Mapped[bytes] = mapped_column(LargeBinary)
    label: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)  # encrypted
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    # The order files were added in (a draft moves every expiry to the same time).
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
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
