"""`/healthz`: liveness and a database round trip, as JSON."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.core.extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


def database_ok() -> bool:
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        return False
    return True


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    ok = database_ok()
    response = jsonify(status="ok" if ok else "error", database="ok" if ok else "error")
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ok else 503


def configure_health(app: Flask) -> None:
    """Register `/healthz`."""
    app.register_blueprint(bp)
