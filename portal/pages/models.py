"""Pages and centre details edited in the panel: revisions, publications, review policy.

A revision holds one whole file as it would lie in `content/<centre>/`
(`index.pl.md`, `centre.yml`), so what is checked, previewed, exported and
diffed is exactly the text a file would hold. A revision is a draft until it is
published; each publication is a row of its own, and the newest publication of
a file is what the public site shows (in place of the file in `content/`).
Publications are also the change feed every host reads (`published.py`).

Page text is public: nothing here is personal data, so nothing is encrypted.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.extensions import Base

CENTRE_FILE = "centre.yml"


class RevisionStatus(StrEnum):
    """Where a revision stands. Published ones stay published (history keeps them)."""

    ORIGINAL = "original"  # the text of content/ a file had before its first revision
    DRAFT = "draft"
    REVIEW = "review"  # a second person was asked to look before it is published
    PUBLISHED = "published"


class ContentRevision(Base):
    """One saved version of one file of a centre."""

    __tablename__ = "content_revisions"
    __table_args__ = (Index("ix_content_revisions_file", "centre_slug", "filename", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_slug: Mapped[str] = mapped_column(String(63))
    filename: Mapped[str] = mapped_column(String(80))  # "index.pl.md", "centre.yml"
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The revision this one was restored from (its text is a copy of that one's).
    restored_from_id: Mapped[int | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(12), default=RevisionStatus.DRAFT.value)
    review_requested_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def is_centre(self) -> bool:
        """Centre details rather than a page."""
        return self.filename == CENTRE_FILE


class ContentPublication(Base):
    """A revision made public. The newest row of a file is what the site shows."""

    __tablename__ = "content_publications"
    __table_args__ = (Index("ix_content_publications_file", "centre_slug", "filename", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("content_revisions.id"), unique=True)
    centre_slug: Mapped[str] = mapped_column(String(63))
    filename: Mapped[str] = mapped_column(String(80))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class ContentPolicy(Base):
    """A centre's rule for publishing: whether a second person must review first."""

    __tablename__ = "content_policies"

    centre_slug: Mapped[str] = mapped_column(String(63), primary_key=True)
    review_required: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
