"""Recovery codes: single-use stand-ins for the second factor.

The codes are random (60 bits each), so a plain SHA-256 is enough to keep them
unreadable in the database; a slow hash would only slow the login.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import delete, func, select, update

from portal.auth.models import RecoveryCode, User
from portal.core.clock import utcnow
from portal.core.extensions import db

COUNT = 10
# Crockford base32 without look-alikes, easy to read from paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def new_codes(user: User) -> list[str]:
    """Replace the account's codes with fresh ones; returns them to show once."""
    delete_codes(user)
    codes = []
    for _ in range(COUNT):
        raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    return codes


def delete_codes(user: User) -> None:
    """Forget every recovery code of the account."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def use_code(user: User, code: str) -> bool:
    """Spend one unused code; a code works once, also when two logins race."""
    if len(_normalise(code)) != 12:
        return False
    wanted = _digest(code)
    rows = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    match = next((r for r in rows if hmac.compare_digest(r.code_hash, wanted)), None)
    if match is None:
        return False
    # The conditional update makes the single use hold across hosts.
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == match.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


def remaining(user: User) -> int:
    """How many unused codes the account has."""
    query = select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return int(db.session.scalar(query) or 0)
