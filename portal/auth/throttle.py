"""Failed logins: slowed, then locked for a while, per account and per network address.

Counters live in the database (not in a host's memory), so every host of the
portal sees the same failures. Updates are single SQL statements, so two
hosts counting at once do not lose a failure.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from time import sleep

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import LoginThrottle, User
from portal.core.extensions import db

# Delays grow with each failure up to this many times the base delay.
MAX_DELAY_STEPS = 5


def address_key(address: str | None) -> str:
    """A keyed hash of a network address: the table never holds the address itself."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, (address or "-").encode(), hashlib.sha256).hexdigest()


def _lock_for() -> timedelta:
    return timedelta(minutes=int(current_app.config["PORTAL_LOCKOUT_MINUTES"]))


def account_locked(user: User | None, now: datetime) -> bool:
    """True while the account is locked."""
    return user is not None and user.locked_until is not None and user.locked_until > now


def is_locked(user: User | None, key: str, now: datetime) -> bool:
    """True while the account or the address is locked."""
    if account_locked(user, now):
        return True
    row = db.session.get(LoginThrottle, key)
    return row is not None and row.locked_until is not None and row.locked_until > now


def _count_account(user: User, now: datetime) -> tuple[int, bool]:
    db.session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    )
    db.session.refresh(user, ["failed_logins"])
    if user.failed_logins < int(current_app.config["PORTAL_LOCKOUT_ATTEMPTS"]):
        return user.failed_logins, False
    # Locked: the count starts again once the lock has passed.
    user.locked_until, user.failed_logins = now + _lock_for(), 0
    return int(current_app.config["PORTAL_LOCKOUT_ATTEMPTS"]), True


def _count_address(key: str, now: datetime) -> tuple[int, bool]:
    window_start = now - _lock_for()
    row = db.session.get(LoginThrottle, key)
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(key=key, failures=0, window_start=now))
        except IntegrityError:  # another host counted the first failure a moment ago
            pass
        row = db.session.get(LoginThrottle, key)
    if row is None:  # inserted above or by the other host: it cannot be missing
        raise RuntimeError("login throttle row missing")
    if row.window_start < window_start:
        row.failures, row.window_start = 0, now
        db.session.flush()
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key)
        .values(failures=LoginThrottle.failures + 1)
    )
    db.session.refresh(row, ["failures"])
    if row.failures < int(current_app.config["PORTAL_IP_LOCKOUT_ATTEMPTS"]):
        return row.failures, False
    row.locked_until = now + _lock_for()
    return row.failures, True


def record_failure(user: User | None, key: str, now: datetime) -> tuple[int, bool]:
    """Count a failure against the address and the account: (failures, locked now)."""
    failures, locked = _count_address(key, now)
    if user is not None:
        account_failures, account_locked = _count_account(user, now)
        failures, locked = max(failures, account_failures), locked or account_locked
    return failures, locked


def clear_failures(user: User) -> None:
    """Forget the account's failures and lift its lock (a full login, a manager's reset)."""
    user.failed_logins = 0
    user.locked_until = None


def delay_for(failures: int) -> float:
    """Seconds to wait before answering a failed attempt."""
    base = float(current_app.config["PORTAL_LOGIN_DELAY"])
    return base * min(max(failures, 1), MAX_DELAY_STEPS)


def slow_down(failures: int) -> float:
    """Wait before answering a failure, so guessing is slow; returns the seconds waited."""
    seconds = delay_for(failures)
    if seconds > 0:
        sleep(seconds)
    return seconds
