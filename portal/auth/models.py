"""Staff accounts. Each belongs to one centre and has one role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Base
from portal.referrals.models import utcnow

ROLES = ("worker", "manager", "admin")


class User(Base):
    """A staff account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    centre_slug: Mapped[str] = mapped_column(String(63), index=True)
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    totp_key_id: Mapped[str | None] = mapped_column(String(16), default=None)
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)  # encrypted
    totp_last_step: Mapped[int] = mapped_column(default=0)  # refuses a code used twice
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    session_version: Mapped[int] = mapped_column(default=0)  # bump to end every session
    token_version: Mapped[int] = mapped_column(default=0)  # bump to spend set-password links
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
