"""Files kept between posts of one form, so nobody uploads a valid file twice.

A held file is encrypted, bound to the form's idempotency key, and expires
after a few hours (`purge` deletes what is left). It remembers the centre and the
question it was added at, and the applicant's optional label ("strona 1").
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import ngettext
from sqlalchemy import delete, select
from werkzeug.datastructures import FileStorage

from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.referrals.builder import FileState, HeldFile
from portal.referrals.definitions import FieldSpec, FormSpec
from portal.referrals.models import HeldUpload
from portal.uploads import (
    UploadRejected,
    check_upload,
    reject_message,
    safe_display_name,
    safe_text,
)

HOLD_FOR = timedelta(hours=6)
# More held files than this in one post are not read: no form allows that many.
MAX_HELD = 20
# Reading more than this many parts of one file field is pointless: the limit is five.
MAX_PARTS_READ = 10
LABEL_MAX = 80


@dataclass(frozen=True)
class FileChanges:
    """What a post asks of the files besides new ones: labels typed for held files
    (by held id) and for the files added now (by question)."""

    labels: dict[str, str] = field(default_factory=dict)
    new_labels: dict[str, str] = field(default_factory=dict)


def clean_label(text: str) -> str:
    """A label as typed, reduced to short, harmless display text ("" if nothing is left)."""
    # The rules of a file name, but "strona 1/2" keeps its slash: a label is no path.
    return safe_text(text)[:LABEL_MAX].rstrip()


def held_files(form_key: str, ids: list[str], centre_slug: str | None = None) -> list[HeldUpload]:
    """The unexpired held files of this form among `ids`, in the order they were added.

    With `centre_slug`, only files added at that centre's form (or before files knew
    their centre) count.
    """
    if not ids:
        return []
    query = (
        select(HeldUpload)
        .where(HeldUpload.form_key == form_key, HeldUpload.id.in_(ids[:MAX_HELD]))
        .where(HeldUpload.expires_at > utcnow())
    )
    if centre_slug is not None:
        query = query.where(HeldUpload.centre_slug.in_([centre_slug, ""]))
    return sorted(db.session.scalars(query), key=lambda h: (h.created_at, h.expires_at))


def hold(
    form_key: str,
    content: bytes,
    name: str,
    media_type: str,
    *,
    centre_slug: str = "",
    question: str = "",
    label: str = "",
) -> HeldUpload:
    """Encrypt and keep a checked file; committed at once so a later error loses nothing."""
    row = HeldUpload(
        id=secrets.token_urlsafe(32),
        form_key=form_key,
        centre_slug=centre_slug,
        question=question,
        media_type=media_type,
        size=len(content),
        created_at=utcnow(),
        expires_at=utcnow() + HOLD_FOR,
    )
    row.seal(content=content, name=name.encode(), label=label.encode() or None)
    db.session.add(row)
    db.session.commit()
    return row


def as_held_file(row: HeldUpload) -> HeldFile:
    """What the pages show of a held file."""
    return HeldFile(row.id, row.unseal_text("name"), row.unseal_optional_text("label"))


def questions_of(spec: FormSpec, rows: list[HeldUpload]) -> dict[str, list[HeldUpload]]:
    """Held files by the file question they were added at; a file from before files knew
    their question goes to the form's first one."""
    questions = [q.name for q in spec.fields if q.type == "file"]
    grouped: dict[str, list[HeldUpload]] = {name: [] for name in questions}
    for row in rows:
        name = row.question if row.question in grouped else (questions or [""])[0]
        grouped.setdefault(name, []).append(row)
    return grouped


def receive_files(
    spec: FormSpec,
    centre_slug: str,
    form_key: str,
    kept: list[str],
    uploads: dict[str, list[FileStorage]],
    changes: FileChanges | None = None,
) -> dict[str, FileState]:
    """Check new files and hold the good ones; what each file question now has.

    Good files are committed at once, so an error elsewhere in the form loses none.
    A question takes at most its `max_files`: a file beyond that is not kept, and the
    applicant is told to remove one first.
    """
    changes = changes or FileChanges()
    rows = held_files(form_key, kept, centre_slug)
    _relabel(rows, changes.labels)
    states: dict[str, FileState] = {}
    grouped = questions_of(spec, rows)
    for question in (s for s in spec.fields if s.type == "file"):
        state = FileState(held=[as_held_file(r) for r in grouped.get(question.name, [])])
        label = clean_label(changes.new_labels.get(question.name, ""))
        for upload in _chosen(uploads.get(question.name, [])):
            if len(state.held) >= question.max_files:
                state.errors.append(_too_many(question))
                break
            where = Where(centre_slug, question.name, label)
            _receive(upload, form_key, state, where)
        states[question.name] = state
    return states


def _chosen(uploads: list[FileStorage]) -> list[FileStorage]:
    """The parts of a file input that hold a file (an empty input sends one empty part)."""
    parts = uploads[:MAX_PARTS_READ]
    return [u for u in parts if u.filename or u.content_length]


def _too_many(question: FieldSpec) -> str:
    return str(
        ngettext(
            "Możesz dodać najwyżej %(num)d plik. Usuń dodany plik, jeśli chcesz dodać inny.",
            "Możesz dodać najwyżej %(num)d pliki. Usuń któryś z dodanych, jeśli chcesz dodać inny.",
            question.max_files,
        )
    )


def _relabel(rows: list[HeldUpload], labels: dict[str, str]) -> None:
    """Keep the labels typed for held files (only those posted: the check page posts none)."""
    changed = False
    for row in rows:
        if row.id not in labels:
            continue
        label = clean_label(labels[row.id])
        if label != row.unseal_optional_text("label"):
            row.seal(
                content=row.unseal("content"), name=row.unseal("name"), label=label.encode() or None
            )
            changed = True
    if changed:
        db.session.commit()


def receive_uploads(
    form_key: str, kept: list[str], uploads: list[FileStorage], centre_slug: str = ""
) -> FileState:
    """Files of a form without a definition (a reply): those held, plus new ones checked
    exactly like a certificate and held too."""
    state = FileState(held=[as_held_file(r) for r in held_files(form_key, kept, centre_slug)])
    for upload in _chosen(uploads):
        _receive(upload, form_key, state, Where(centre_slug, "", ""))
    return state


@dataclass(frozen=True)
class Where:
    """Where a new file is added: the centre, the question, the label typed with it."""

    centre_slug: str
    question: str
    label: str


def _receive(upload: FileStorage, form_key: str, state: FileState, where: Where) -> None:
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
    row = hold(
        form_key,
        checked.content,
        checked.display_name,
        checked.media_type,
        centre_slug=where.centre_slug,
        question=where.question,
        label=where.label,
    )
    state.held.append(HeldFile(row.id, checked.display_name, where.label))


def delete_expired() -> int:
    """Delete held files past their time; returns how many."""
    result = db.session.execute(delete(HeldUpload).where(HeldUpload.expires_at <= utcnow()))
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
