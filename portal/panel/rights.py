"""A person's rights (RODO art. 15 and 17): find every request of one person, export all
of it, or erase it, with a reason.

Found through the blind index (`portal.referrals.people`), never by reading answers.
The identifier typed in arrives in a POST body and goes nowhere else: not into a URL,
a log or the audit record, which says only what kind of identifier was used, how many
requests were found, exported or erased, and why.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from flask_babel import gettext as _

from portal.audit import record
from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.access import MAX_ID, request_events, requests_for
from portal.panel.actions import ActionError, notes_for
from portal.panel.printout import CHANGES, request_document
from portal.panel.retention import erase_requests
from portal.referrals.conversation import shown
from portal.referrals.display import answer_rows, attachment_content, attachment_name
from portal.referrals.document import render
from portal.referrals.identity import KINDS
from portal.referrals.models import Request
from portal.referrals.people import matching

ERASE_REASONS = ("art17_request", "consent_withdrawn", "unlawful", "other")
FOUND_MAX = 200


def find(viewer: User, kind: str, value: str) -> list[Request]:
    """Every request of the viewer's centre about the person with this identifier."""
    if kind not in KINDS:
        raise ActionError(_("Wybierz rodzaj danych."), "kind")
    query = matching(requests_for(viewer), kind, value)
    if query is None:
        raise ActionError(_("Ta wartość nie wygląda na numer PESEL, e-mail ani telefon."), "value")
    found = list(db.session.scalars(query.limit(FOUND_MAX)))
    record(
        "person_search",
        centre_slug=viewer.centre_slug,
        actor_id=viewer.id,
        detail=f"kind={kind} found={len(found)}",
    )
    db.session.commit()
    return found


def chosen(viewer: User, ids: list[str]) -> list[Request]:
    """The requests named in a form, of those the viewer may read (others are not found)."""
    numbers = {int(i) for i in ids[:FOUND_MAX] if i.isdigit() and 0 < int(i) <= MAX_ID}
    if not numbers:
        return []
    query = requests_for(viewer).where(Request.id.in_(numbers)).order_by(Request.id)
    return list(db.session.scalars(query))


def _history(req: Request) -> list[dict[str, Any]]:
    return [
        {"at": e.at.isoformat(), "action": e.action, "detail": e.detail}
        for e in request_events(req, CHANGES)
    ]


def held_about(req: Request) -> dict[str, Any]:
    """Everything kept about a request, as JSON-ready data (files listed, not inlined)."""
    files = [
        {
            "name": attachment_name(a),
            "media_type": a.media_type,
            "size": a.size,
            "sha256": hashlib.sha256(attachment_content(a)).hexdigest(),
            "path": f"pliki/{n}-{attachment_name(a)}",
        }
        for n, a in enumerate(req.attachments, start=1)
    ]
    return {
        "reference": req.reference,
        "centre": req.centre_slug,
        "kind": req.kind,
        "status": req.status,
        "close_reason": req.close_reason,
        "language": req.lang,
        "received": req.created_at.isoformat(),
        "due_date": req.due_date.isoformat(),
        "interview_date": req.interview_date.isoformat() if req.interview_date else None,
        "consent_date": req.consent_date.isoformat() if req.consent_date else None,
        "answers": [{"question": q, "answer": a} for q, a in answer_rows(req, req.lang)],
        "files": files,
        "messages": [
            {"at": m.created_at.isoformat(), "from": m.sender, "kind": m.kind, "text": m.text}
            for m in shown(req)
        ],
        "notes": [{"at": n.created_at.isoformat(), "text": n.text} for n in notes_for(req)],
        "history": _history(req),
    }


def export_zip(viewer: User, reqs: list[Request]) -> bytes:
    """A ZIP of everything held about the person: per request its JSON, its PDF, its files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for req in reqs:
            data = held_about(req)
            folder = req.reference
            archive.writestr(
                f"{folder}/zgloszenie.json", json.dumps(data, ensure_ascii=False, indent=2)
            )
            archive.writestr(
                f"{folder}/{req.reference}.pdf",
                render(request_document(req, viewer, with_notes=True)),
            )
            for entry, att in zip(data["files"], req.attachments, strict=True):
                archive.writestr(f"{folder}/{entry['path']}", attachment_content(att))
            record(
                "person_export",
                centre_slug=req.centre_slug,
                actor_id=viewer.id,
                request_id=req.id,
                detail=f"requests={len(reqs)}",
            )
    db.session.commit()
    return out.getvalue()


def erase(viewer: User, reqs: list[Request], reason: str) -> int:
    """Delete the requests and all of theirs; the record keeps why, who and how many,
    not whom: the requests' earlier events are unlinked from them, as `purge` does."""
    if reason not in ERASE_REASONS:
        raise ActionError(_("Wybierz powód usunięcia."), "reason")
    if not reqs:
        return 0
    erase_requests([r.id for r in reqs])
    record(
        "person_erase",
        centre_slug=viewer.centre_slug,
        actor_id=viewer.id,
        detail=f"reason={reason} requests={len(reqs)}",
    )
    db.session.commit()
    return len(reqs)
