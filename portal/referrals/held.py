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
from portal.referrals.builder import FileState, RequestForm
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
    form: RequestForm, form_key: str, kept: list[str], uploads: dict[str, list[FileStorage]]
) -> None:
    """Check new files, hold the good ones, and tell the form what each file question has."""
    max_mb = current_app.config["PORTAL_MAX_UPLOAD_MB"]
    held = held_files(form_key, kept)
    for spec in (s for s in form.spec.fields if s.type == "file"):
        state = FileState(held=[(h.id, h.unseal_text("name")) for h in held])
        for upload in uploads.get(spec.name, [])[:MAX_PARTS_READ]:
            if not upload.filename and not upload.content_length:
                continue  # an empty file input
            try:
                checked = check_upload(
                    upload.read(max_mb * 1024 * 1024 + 1),
                    upload.filename or "",
                    max_bytes=max_mb * 1024 * 1024,
                    clamd_socket=current_app.config["PORTAL_CLAMD_SOCKET"],
                )
            except UploadRejected as exc:
                name = safe_display_name(upload.filename) if upload.filename else ""
                state.errors.append(
                    f"{name}: {reject_message(exc.reason, max_mb=max_mb)}"
                    if name
                    else reject_message(exc.reason, max_mb=max_mb)
                )
                continue
            row = hold(form_key, checked.content, checked.display_name, checked.media_type)
            state.held.append((row.id, checked.display_name))
        form.file_states[spec.name] = state


def delete_expired() -> int:
    """Delete held files past their time; returns how many."""
    result = db.session.execute(delete(HeldUpload).where(HeldUpload.expires_at <= utcnow()))
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
