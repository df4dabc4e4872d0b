"""The panel blueprint and what runs around every panel view.

Views live in `views.py` (requests) and `account_views.py` (accounts, audit);
they register on this blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, has_request_context, render_template, request, url_for
from werkzeug.utils import redirect
from werkzeug.wrappers import Response as BaseResponse

from portal.auth.current import load_staff, staff_context
from portal.auth.roles import Role
from portal.core.clock import utcnow
from portal.panel import labels, timefmt

bp = Blueprint("panel", __name__, url_prefix="/panel")


def require_login() -> BaseResponse | None:
    """Anyone not logged in goes to the login page, coming back here afterwards."""
    if g.get("user") is not None:
        return None
    args: dict[str, Any] = {}
    if request.method == "GET":
        args["next"] = request.full_path.rstrip("?")
    if g.get("session_ended"):
        args["koniec"] = str(g.session_ended)
    return redirect(url_for("auth.login", **args))


def staff_helpers() -> dict[str, Any]:
    """Labels and time formatting for the templates of the panel and the login pages."""
    # Templates are also rendered outside requests (mail from a command): nothing to add there.
    if not has_request_context() or request.blueprint not in ("panel", "auth"):
        return {}
    return {
        "status_labels": labels.STATUS_LABELS,
        "kind_labels": labels.KIND_LABELS,
        "reason_labels": labels.CLOSE_REASON_LABELS,
        "role_labels": labels.ROLE_LABELS,
        "action_labels": labels.ACTION_LABELS,
        "fmt_datetime": timefmt.local_datetime,
        "fmt_date": timefmt.local_date,
        "ago": timefmt.ago,
        "now": utcnow(),
        "event_text": labels.event_text,
        "Role": Role,
        "revision_labels": labels.REVISION_LABELS,
        "origin_labels": labels.ORIGIN_LABELS,
        "problem_text": labels.problem_text,
    }


def forbidden(_exc: Exception) -> tuple[str, int]:
    """A role that may not do this: a plain page, still inside the panel."""
    return render_template("panel/forbidden.html"), 403


def no_store(response: Response) -> Response:
    """Panel pages hold personal data: never kept by a browser or a proxy."""
    if request.path == "/panel" or request.path.startswith("/panel/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


bp.before_request(load_staff)
bp.before_request(require_login)
bp.context_processor(staff_context)
bp.register_error_handler(403, forbidden)
