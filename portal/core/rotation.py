"""`rotate-key`: re-encrypt every stored secret under the current data key.

Each kind of encrypted row is described once (`ENCRYPTED`): which model, which
columns, and the associated data its blobs are bound to. Rows are taken in
batches of those still on an old key, so an interrupted run resumes where it
stopped, and a finished run has nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal.core.crypto import Keyring
from portal.core.extensions import db
from portal.core.keys import keyring


@dataclass(frozen=True)
class EncryptedRows:
    """One model whose rows hold blobs under `key_attr`'s key."""

    name: str
    model: Any
    key_attr: str
    blob_attrs: tuple[str, ...]
    aad: Callable[[Any], bytes]


def _registry() -> list[EncryptedRows]:
    from portal.auth.models import User
    from portal.auth.totp import totp_aad
    from portal.notifications.mail import OUTBOX_AAD
    from portal.notifications.models import OutboxMessage
    from portal.panel.models import Note, note_aad
    from portal.referrals.held import held_aad
    from portal.referrals.models import Attachment, HeldUpload, Request
    from portal.referrals.service import attachment_aad, request_aad

    rows = [
        EncryptedRows(
            "requests", Request, "key_id", ("answers",), lambda r: request_aad(r.reference)
        ),
        EncryptedRows(
            "attachments",
            Attachment,
            "key_id",
            ("content", "name"),
            lambda a: attachment_aad(a.request.reference),
        ),
        EncryptedRows(
            "held uploads",
            HeldUpload,
            "key_id",
            ("content", "name"),
            lambda h: held_aad(h.form_key, h.id),
        ),
        EncryptedRows("outbox", OutboxMessage, "key_id", ("message",), lambda _m: OUTBOX_AAD),
        EncryptedRows("users", User, "totp_key_id", ("totp_secret",), totp_aad),
        EncryptedRows("notes", Note, "key_id", ("text",), note_aad),
    ]
    return rows


def _stale(kind: EncryptedRows, current: str) -> Any:
    key = getattr(kind.model, kind.key_attr)
    return key.is_not(None) & (key != current)


def count_stale(current: str) -> dict[str, int]:
    """How many rows of each kind are still under another key."""
    return {
        kind.name: int(
            db.session.scalar(
                select(func.count()).select_from(kind.model).where(_stale(kind, current))
            )
            or 0
        )
        for kind in _registry()
    }


def _reencrypt(ring: Keyring, kind: EncryptedRows, row: Any) -> None:
    old_kid, aad = getattr(row, kind.key_attr), kind.aad(row)
    for attr in kind.blob_attrs:
        plain = ring.decrypt(old_kid, getattr(row, attr), aad)
        setattr(row, attr, ring.encrypt(plain, aad)[1])
    setattr(row, kind.key_attr, ring.current_kid)


def rotate(batch_size: int = 200) -> Iterator[int]:
    """Re-encrypt in batches; yields how many rows each committed batch moved."""
    ring = keyring()
    for kind in _registry():
        while True:
            rows = list(
                db.session.scalars(
                    select(kind.model)
                    .where(_stale(kind, ring.current_kid))
                    .order_by(*kind.model.__table__.primary_key.columns)
                    .limit(batch_size)
                )
            )
            if not rows:
                break
            for row in rows:
                _reencrypt(ring, kind, row)
            db.session.commit()
            yield len(rows)


@click.command("rotate-key")
@click.option("--batch-size", default=200, show_default=True, help="rows per transaction")
@with_appcontext
def rotate_key_command(batch_size: int) -> None:
    """Re-encrypt every request, file and secret under the first key of PORTAL_DATA_KEY.

    Safe to interrupt and run again: it continues with the rows still on old keys.
    """
    current = keyring().current_kid
    total = sum(count_stale(current).values())
    with click.progressbar(length=total, label=f"re-encrypting under '{current}'") as bar:
        for moved in rotate(batch_size):
            bar.update(moved)
    left = sum(count_stale(current).values())
    click.echo(f"{total - left} rows re-encrypted; {left} left on old keys")


def configure_rotation(app: Flask) -> None:
    """Register `rotate-key`."""
    app.cli.add_command(rotate_key_command)
