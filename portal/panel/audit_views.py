"""The audit log page (managers: their centre; admins: every centre)."""

from __future__ import annotations

from flask import render_template, request

from portal.panel import audit_log
from portal.panel.access import MANAGERS, actor_names, roles_required, staff
from portal.panel.blueprint import bp


@bp.get("/dziennik", endpoint="audit_log")
@roles_required(*MANAGERS)
def audit_log_page() -> str:
    """The audit trail in words, filtered by person, kind of event, dates and reference."""
    viewer = staff()
    f = audit_log.AuditFilter.from_args(request.args)
    before = request.args.get("przed", "")
    events = audit_log.events_page(viewer, f, int(before[:10]) if before.isdigit() else None)
    names = actor_names(events)
    return render_template(
        "panel/audit.html",
        events=events,
        names=names,
        f=f,
        references=audit_log.references(viewer, events),
        people=audit_log.people(viewer),
        more=len(events) == audit_log.AUDIT_PAGE,
    )
