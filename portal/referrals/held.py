"""Files kept between posts of one form, so nobody uploads a valid file twice.

A held file is encrypted, bound to the form's idempotency key, and expires
after a few hours (`purge` deletes what is left).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from werkzeug.datastructures import FileStorage

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.referrals.builder import FileState
from portal.referrals.definitions import FormSpec
from portal.referrals.models import HeldUpload
from portal.uploads import UploadRejected, check_upload, reject_message, safe_display_name

HOLD_FOR = timedelta(hours=6)
# Reading more than this many parts of one file field is pointless: the limit is three.
MAX_PARTS_READ = 6


def held_files(form_key: str, ids: list[str]) -> list[HeldUpload]:
    """The unexpired held files of this form among `ids`, oldest first."""
    if not ids:
        return []
    rows = db.session.scalars(
        select(HeldUpload)
        .where(HeldUpload.form_key == form_key, HeldUpload.id.in_(ids[:10]))
        .where(HeldUpload.expires_at > utcnow())
    )
    return sorted(rows, key=lambda h: h.expires_at)


def hold(form_key: str, content: bytes, name: str, media_type: str) -> HeldUpload:
    """Encrypt and keep a checked file; committed at once so a later error loses nothing."""
    row = HeldUpload(
        id=secrets.token_urlsafe(32),
        form_key=form_key,
        media_type=media_type,
        size=len(content),
        expires_at=utcnow() + HOLD_FOR,
    )
    row.seal(content=content, name=name.encode())
    db.session.add(row)
    db.session.commit()
    return row


def receive_files(
    spec: FormSpec, form_key: str, kept: list[str], uploads: dict[str, list[FileStorage]]
) -> dict[str, FileState]:
    """Check new files and hold the good ones; what each file question now has.

    Good files are committed at once, so an error elsewhere in the form loses none.
    """
    held = held_files(form_key, kept)
    states: dict[str, FileState] = {}
    for question in (s for s in spec.fields if s.type == "file"):
        state = FileState(held=[(h.id, h.unseal_text("name")) for h in held])
        for upload in uploads.get(question.name, [])[:MAX_PARTS_READ]:
            if not upload.filename and not upload.content_length:
                continue  # an empty file input
            _receive(upload, form_key, state)
        states[question.name] = state
    return states


def receive_uploads(form_key: str, kept: list[str], uploads: list[FileStorage]) -> FileState:
    """Files of a form without a definition (a reply): those held, plus new ones checked
    exactly like a certificate and held too."""
    held = held_files(form_key, kept)
    state = FileState(held=[(h.id, h.unseal_text("name")) for h in held])
    for upload in uploads[:MAX_PARTS_READ]:
        if upload.filename or upload.content_length:
            _receive(upload, form_key, state)
    return state


def _receive(upload: FileStorage, form_key: str, state: FileState) -> None:
    """Hold one uploaded file, or note why it was refused."""
    max_mb = current_app.config["PORTAL_MAX_UPLOAD_MB"]
    try:
        checked = check_upload(
            upload.read(max_mb * 1024 * 1024 + 1),
            upload.filename or "",
            max_bytes=max_mb * 1024 * 1024,
            clamd_socket=current_app.config["PORTAL_CLAMD_SOCKET"],
        )
    except UploadRejected as exc:
        message = reject_message(exc.reason, max_mb=max_mb)
        name = safe_display_name(upload.filename) if upload.filename else ""
        state.errors.append(f"{name}: {message}" if name else message)
        return
    row = hold(form_key, checked.content, checked.display_name, checked.media_type)
    state.held.append((row.id, checked.display_name))


def delete_expired() -> int:
    """Delete held files past their time; returns how many."""
    result = db.session.execute(delete(HeldUpload).where(HeldUpload.expires_at <= utcnow()))
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
