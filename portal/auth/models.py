"""Staff accounts. Each belongs to one centre and has one role.

Tables of this module: the account itself, its recovery codes, a second
factor being enrolled, and failed-login counters per network address.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from portal.auth.roles import Role, RoleColumn
from portal.core.clock import utcnow
from portal.core.encryption import Encrypted, EncryptedFields
from portal.core.extensions import Base


class User(Encrypted, Base):
    """A staff account."""

    __tablename__ = "users"
    __encrypted__ = EncryptedFields(blobs=("totp_secret",), key="totp_key_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # How the panel names the person (assignee, author, audit log); the e-mail until set.
    display_name: Mapped[str] = mapped_column(String(80), default="")
    centre_slug: Mapped[str] = mapped_column(String(63), index=True)
    role: Mapped[Role] = mapped_column(RoleColumn())
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

    def associated_data(self) -> bytes:
        # The same as its pending enrolment's, so a confirmed secret moves over as it is.
        return b"totp:%d" % self.id

    @validates("role")
    def _parse_role(self, _key: str, value: str) -> Role:
        # A name given as text ("worker") becomes the Role at once, not only after a reload.
        return Role(value)

    @property
    def shown_name(self) -> str:
        """The name the panel shows for this account: its display name, else its e-mail."""
        return self.display_name or self.email

    @property
    def totp_enabled(self) -> bool:
        """A confirmed second factor: the secret is only stored here once a code matched."""
        return self.totp_secret is not None

    @property
    def can_read_requests(self) -> bool:
        """Admins manage accounts of every centre but never read a request."""
        return self.role.reads_requests

    @property
    def manages_accounts(self) -> bool:
        """Managers manage their centre's accounts, admins everybody's."""
        return self.role.manages_accounts


class RecoveryCode(Base):
    """A single-use code that stands in for the second factor; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class TotpEnrolment(Encrypted, Base):
    """A second-factor secret shown to the user but not yet confirmed with a code.

    Kept apart from `User.totp_secret` so an unconfirmed secret never counts as enrolled,
    and in the database (encrypted) because the cookie session is signed, not secret.
    """

    __tablename__ = "totp_enrolments"
    __encrypted__ = EncryptedFields(blobs=("secret",))

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key_id: Mapped[str] = mapped_column(String(16))
    secret: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def associated_data(self) -> bytes:
        return b"totp:%d" % self.user_id


class LoginThrottle(Base):
    """Failed logins from one network address, shared by every host of the portal.

    `key` is a keyed hash of the address, so the table holds no raw IP addresses.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(default=None, index=True)
