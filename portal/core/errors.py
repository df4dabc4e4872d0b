"""Error pages in the visitor's language, with a way back; never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

TEMPLATES = {
    400: "errors/400.html",
    404: "errors/404.html",
    405: "errors/404.html",
    413: "errors/413.html",
    429: "errors/429.html",
}


def render_error(exc: HTTPException) -> tuple[str, int]:
    """Render the page for an HTTP error."""
    code = exc.code or 500
    template = TEMPLATES.get(code, "errors/500.html")
    return render_template(template, code=code), code


def handle_http(exc: HTTPException) -> Response | tuple[str, int] | HTTPException:
    if exc.code is None or exc.code < 400:
        return exc
    if request_ctx.url_adapter is None:
        # No URL can be built (e.g. a Host header outside TRUSTED_HOSTS): answer plainly.
        return Response("Bad request\n", status=exc.code, mimetype="text/plain")
    return render_error(exc)


def handle_csrf(exc: CSRFError) -> tuple[str, int]:
    return render_template("errors/csrf.html", code=400), 400


def handle_unexpected(exc: Exception) -> tuple[str, int]:
    # Logged with the traceback for operators; the visitor sees a plain page.
    log.exception("unhandled error")
    return render_error(InternalServerError())


def configure_errors(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
