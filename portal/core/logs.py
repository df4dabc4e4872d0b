"""Structured logs: one JSON object a line in production, plain text in development.

What is logged is chosen at each call site: ids, slugs and error types only,
never a name, PESEL, diagnosis, address or cookie.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from flask import Flask, has_request_context, request


class JsonFormatter(logging.Formatter):
    """Formats a record as a single JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            # The path may hold a status token: log only the route's name.
            entry["endpoint"] = request.endpoint or ""
            entry["method"] = request.method
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """JSON lines on standard error in production; Flask's default otherwise."""
    if not app.config["PORTAL_PRODUCTION"]:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    portal_logger = logging.getLogger("portal")
    portal_logger.handlers[:] = [handler]
    portal_logger.setLevel(logging.INFO)
    portal_logger.propagate = False
