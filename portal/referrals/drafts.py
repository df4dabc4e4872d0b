"""Save a form to finish later, and restore it ("Zapisz i dokończ później").

A draft keeps the answers as typed (encrypted like a request) and the form's key,
under which its files stay held until the draft expires. It is found by a random
token of which only the hash is stored; the link carries the token. Restoring needs
a POST (mail scanners and link previews open links), and a draft restores only into
its own centre's own form. Sending the request deletes its draft.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.referrals.models import Draft, HeldUpload
from portal.referrals.status import token_hash

TOKEN_BYTES = 32


class DraftNotFound(LookupError):
    """No draft for this token: never saved, expired, sent, or of another form."""


def save_draft(
    centre_slug: str, form: str, form_key: str, answers: dict[str, Any], held_ids: list[str]
) -> str:
    """Keep the answers and the held files; returns the token for the link (committed)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    expires = now + timedelta(days=current_app.config["PORTAL_DRAFT_DAYS"])
    row = Draft(
        token_hash=token_hash(token),
        centre_slug=centre_slug,
        form=form,
        form_key=form_key,
        created_at=now,
        expires_at=expires,
    )
    row.seal(answers=json.dumps(answers, ensure_ascii=False).encode())
    db.session.add(row)
    if held_ids:  # the files live as long as the draft that names them
        db.session.execute(
            update(HeldUpload)
            .where(HeldUpload.form_key == form_key, HeldUpload.id.in_(held_ids[:10]))
            .values(expires_at=expires)
        )
    db.session.commit()
    return token


def find_draft(token: str) -> Draft:
    """The unexpired draft of this token; DraftNotFound otherwise."""
    row = db.session.get(Draft, token_hash(token[:100]))
    if row is None or row.expires_at <= utcnow():
        raise DraftNotFound(token)
    return row


def restore_draft(token: str, centre_slug: str, form: str) -> tuple[str, dict[str, Any]]:
    """(form key, answers) of the draft, only into its own centre's own form."""
    row = find_draft(token)
    if (row.centre_slug, row.form) != (centre_slug, form):
        raise DraftNotFound(token)
    answers: dict[str, Any] = json.loads(row.unseal("answers"))
    return row.form_key, answers


def held_of(form_key: str) -> list[HeldUpload]:
    """The unexpired held files of a draft's form, oldest first."""
    rows = db.session.scalars(
        select(HeldUpload)
        .where(HeldUpload.form_key == form_key, HeldUpload.expires_at > utcnow())
        .order_by(HeldUpload.expires_at)
    )
    return list(rows)


def discard_drafts(form_key: str) -> None:
    """The request of this form was sent: its drafts are spent (committed by the caller)."""
    db.session.execute(delete(Draft).where(Draft.form_key == form_key))


def purge_drafts(now: Any, *, dry_run: bool = False) -> int:
    """Delete (or count) the expired drafts; their files expire with them."""
    expired = list(db.session.scalars(select(Draft.token_hash).where(Draft.expires_at <= now)))
    if not dry_run and expired:
        db.session.execute(delete(Draft).where(Draft.token_hash.in_(expired)))
    return len(expired)
