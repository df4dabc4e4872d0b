"""Logging in, as plain functions: password step, second-factor step, enrolment.

Every outcome is an audit event; every failure is counted, slowed and may lock
the account and the address. Callers commit nothing: these functions do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.audit import record
from portal.auth import recovery, sessions, throttle, totp
from portal.auth.models import User
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.core.clock import utcnow
from portal.core.extensions import db


@dataclass(frozen=True)
class Outcome:
    """What a login step did; `waited` is the slowdown applied to a failure, in seconds."""

    ok: bool
    waited: float = 0.0


def find_user(email: str) -> User | None:
    """The account of an e-mail address (addresses are kept lower-case)."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _fail(user: User | None, address: str | None, reason: str) -> Outcome:
    now = utcnow()
    key = throttle.address_key(address)
    # While the account is locked only the address counts, so the lock is not prolonged.
    counted = None if throttle.account_locked(user, now) else user
    failures, locked_now = throttle.record_failure(counted, key, now)
    centre = user.centre_slug if user else None
    record("login_failed", centre_slug=centre, actor_id=user.id if user else None, detail=reason)
    if locked_now:
        record("lockout", centre_slug=centre, actor_id=user.id if user else None)
    db.session.commit()
    return Outcome(False, throttle.slow_down(failures))


def check_password(email: str, password: str, address: str | None, next_url: str | None) -> Outcome:
    """First step: e-mail and password; on success the session waits for the second factor."""
    user = find_user(email)
    locked = throttle.is_locked(user, throttle.address_key(address), utcnow())
    # The hash is always checked, so a locked or unknown account answers as slowly as any.
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active or locked or not matches:
        reason = (
            "unknown account"
            if user is None
            else "inactive"
            if not user.active
            else "locked"
            if locked
            else "password"
        )
        return _fail(user, address, reason)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    sessions.start_pending(user, sessions.safe_next(next_url))
    db.session.commit()
    return Outcome(True)


def _second_factor_ok(user: User, code: str) -> bool:
    if "".join(code.split()).isdigit():
        return totp.verify_code(user, code)
    if recovery.use_code(user, code):
        record("recovery_code_used", centre_slug=user.centre_slug, actor_id=user.id)
        return True
    return False


def check_code(user: User, code: str, address: str | None) -> Outcome:
    """Second step: a TOTP code or a recovery code; on success the full session starts."""
    if throttle.is_locked(user, throttle.address_key(address), utcnow()):
        return _fail(user, address, "locked")
    if not _second_factor_ok(user, code):
        return _fail(user, address, "second factor")
    _complete(user)
    return Outcome(True)


def confirm_enrolment(user: User, code: str, address: str | None) -> list[str] | None:
    """First login: the code proves the app holds the secret; returns new recovery codes."""
    if throttle.is_locked(user, throttle.address_key(address), utcnow()):
        _fail(user, address, "locked")
        return None
    if not totp.confirm_enrolment(user, code):
        _fail(user, address, "enrolment code")
        return None
    codes = recovery.new_codes(user)
    record("totp_enrolled", centre_slug=user.centre_slug, actor_id=user.id)
    _complete(user)
    return codes


def _complete(user: User) -> None:
    throttle.clear_failures(user)
    sessions.log_in(user)
    record("login", centre_slug=user.centre_slug, actor_id=user.id)
    db.session.commit()


def log_out(user: User | None) -> None:
    """End the session (and every copy of its cookie)."""
    if user is not None:
        record("logout", centre_slug=user.centre_slug, actor_id=user.id)
    sessions.log_out(user)
    db.session.commit()


def set_password(user: User, password: str) -> bool:
    """Set a password through a link; False when the link was used meanwhile."""
    from portal.auth.tokens import spend_token

    if not spend_token(user):
        db.session.rollback()
        return False
    user.password_hash = hash_password(password)
    throttle.clear_failures(user)
    sessions.end_all_sessions(user)
    record("password_set", centre_slug=user.centre_slug, actor_id=user.id)
    db.session.commit()
    return True
