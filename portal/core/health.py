"""`/healthz`: liveness, a database round trip, and what features register, as JSON.

Core names no feature: a feature that has something to report (the virus scanner
of `uploads`) registers a check with `register_check` when it is configured.
A check answers one word: "ok", "off" (not configured, on purpose) or what is
wrong. A failed critical check (the database) makes the answer a 503, so a load
balancer takes the host out; a failed non-critical one (the scanner: uploads are
refused while it is down, everything else works) is reported as "degraded" with
a 200, for monitoring to raise an alarm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.core.extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)
FINE = ("ok", "off")


@dataclass(frozen=True)
class Check:
    """One line of the health report."""

    name: str
    run: Callable[[], str]
    critical: bool


def register_check(
    app: Flask, name: str, run: Callable[[], str], *, critical: bool = False
) -> None:
    """Add `name` to the report of `/healthz`; `run` answers "ok", "off" or what is wrong."""
    app.extensions.setdefault("portal.health_checks", []).append(Check(name, run, critical))


def database_ok() -> bool:
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        return False
    return True


def _database() -> str:
    return "ok" if database_ok() else "error"


def _run(check: Check) -> str:
    try:
        return check.run()
    except Exception:  # a broken check is reported, never a 500
        log.exception("health check %s failed", check.name)
        return "error"


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    checks: list[Check] = current_app.extensions.get("portal.health_checks", [])
    states = {check.name: _run(check) for check in checks}
    failed = [check for check in checks if states[check.name] not in FINE]
    status = "ok" if not failed else "error" if any(c.critical for c in failed) else "degraded"
    response = jsonify(status=status, **states)
    response.headers["Cache-Control"] = "no-store"
    return response, 503 if status == "error" else 200


def configure_health(app: Flask) -> None:
    """Register `/healthz` and its database check."""
    register_check(app, "database", _database, critical=True)
    app.register_blueprint(bp)
