"""Staff sessions in Flask's signed cookie: who, which session version, and when.

The cookie holds only ids, versions and times (it is signed, not encrypted).
Every panel request checks it against the database: an account deactivated or
logged out elsewhere (its `session_version` bumped) is out at once; a session
idle for 30 minutes or older than 12 hours ends.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, session

from portal.auth.models import User
from portal.core.clock import utcnow
from portal.core.extensions import db

# Between the password and the second factor (an app may need installing first).
PENDING_SECONDS = 15 * 60
PANEL_PREFIX = "/panel/"


@dataclass(frozen=True)
class Loaded:
    """The outcome of reading the session: the user, or why there is none."""

    user: User | None
    ended: str | None = None  # "idle", "absolute" or "revoked" when a session just ended


def _now() -> int:
    return int(time.time())


def _fresh_session() -> None:
    """Drop everything but the language choice: a new session, a new cookie."""
    lang = session.get("panel_lang")
    session.clear()
    if lang:
        session["panel_lang"] = lang


def start_pending(user: User, next_url: str | None) -> None:
    """The password was right: a fresh session that only allows the second step."""
    _fresh_session()
    session["pending"] = {
        "uid": user.id,
        "sv": user.session_version,
        "at": _now(),
        "next": next_url or "",
    }


def pending_user() -> User | None:
    """The account between password and second factor, while that step is still open."""
    data = session.get("pending")
    if not isinstance(data, dict) or _now() - int(data.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.session_version != data.get("sv"):
        return None
    return user


def pending_next() -> str | None:
    """Where the user wanted to go before logging in."""
    data = session.get("pending")
    return safe_next(data.get("next")) if isinstance(data, dict) else None


def log_in(user: User) -> None:
    """Both factors passed: drop the old session and start a new one."""
    _fresh_session()
    now = _now()
    # The nonce makes every login's cookie differ, even for the same account and second.
    session.update(
        uid=user.id, sv=user.session_version, iat=now, seen=now, sid=secrets.token_urlsafe(12)
    )
    user.last_login_at = utcnow()


def log_out(user: User | None) -> None:
    """End this session and, by bumping the version, any copy of its cookie."""
    if user is not None:
        user.session_version += 1
    _fresh_session()


def end_all_sessions(user: User) -> None:
    """Every session of the account ends at its next request."""
    user.session_version += 1


def _expired(now: int) -> str | None:
    idle = int(current_app.config["PORTAL_SESSION_IDLE_MINUTES"]) * 60
    absolute = int(current_app.config["PORTAL_SESSION_MAX_HOURS"]) * 3600
    if now - int(session.get("iat", 0)) > absolute:
        return "absolute"
    if now - int(session.get("seen", 0)) > idle:
        return "idle"
    return None


def load_user() -> Loaded:
    """The logged-in account of this request, checked against the database."""
    if "uid" not in session:
        return Loaded(None)
    now = _now()
    ended = _expired(now)
    user = db.session.get(User, session.get("uid"))
    if ended is None and (
        user is None or not user.active or user.session_version != session.get("sv")
    ):
        ended = "revoked"
    if ended is not None:
        _fresh_session()
        return Loaded(None, ended)
    session["seen"] = now
    return Loaded(user)


def safe_next(value: str | None) -> str | None:
    """A `next=` address only if it is a path inside the panel; anything else is dropped.

    Refused: other hosts (`//host`, `/\\host`), schemes (`javascript:`), and control
    characters or spaces that browsers strip before reading a URL.
    """
    if not value or len(value) > 500 or "\\" in value:
        return None
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith(PANEL_PREFIX):
        return None
    if value.startswith("//") or "/../" in parts.path or parts.path.endswith("/.."):
        return None
    return value
