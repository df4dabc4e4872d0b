"""Each outbox message is bound to its own row (and centre) by its associated data;
messages stored under the old fixed b"outbox" still read, and `rotate-key` binds them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from portal.core.crypto import DecryptionError
from portal.core.encryption import json_bytes
from portal.core.extensions import db
from portal.core.keys import keyring
from portal.core.rotation import count_stale
from portal.notifications.mail import Mail, queue, read
from portal.notifications.models import LEGACY_AAD, OutboxMessage
from tests.conftest import make_app

MAIL = Mail("zofia@example.org", "Numer zgłoszenia TOM-2026-ABCDE", "Link: …")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path)
    with app.app_context():
        yield app


def _stored(mail: Mail, centre: str | None = "tomice") -> OutboxMessage:
    row = queue(mail, centre)
    db.session.commit()
    return row


def test_a_message_moved_to_another_row_does_not_decrypt(app: Flask) -> None:
    first, second = _stored(MAIL), _stored(Mail("other@example.org", "x", "y"))
    assert first.uid and second.uid and first.uid != second.uid
    second.message = first.message  # a copied ciphertext, as someone with the database could
    with pytest.raises(DecryptionError):
        read(second)
    assert read(first) == MAIL


def test_a_message_moved_to_another_centres_outbox_does_not_decrypt(app: Flask) -> None:
    row = _stored(MAIL, "tomice")
    row.centre_slug = "gostynin"  # the panel shows a centre the messages of its own slug
    with pytest.raises(DecryptionError):
        read(row)


def _legacy(mail: Mail) -> OutboxMessage:
    """A message as the outbox stored it before: one fixed associated data for all."""
    ring = keyring()
    kid, blob = ring.encrypt(json_bytes(mail.__dict__), LEGACY_AAD)
    row = OutboxMessage(centre_slug="tomice", key_id=kid, message=blob)
    db.session.add(row)
    db.session.commit()
    return row


def test_old_messages_still_read(app: Flask) -> None:
    row = _legacy(MAIL)
    assert row.uid is None and read(row) == MAIL


def test_rotate_key_binds_old_messages_to_their_row(app: Flask) -> None:
    row, new = _legacy(MAIL), _stored(MAIL)
    current = keyring().current_kid
    assert count_stale(current)["outbox"] == 1  # the key is current, the binding is not
    runner: FlaskCliRunner = app.test_cli_runner()
    result = runner.invoke(args=["rotate-key"])
    assert result.exit_code == 0 and "1 rows re-encrypted; 0 left" in result.output
    db.session.expire_all()
    assert row.uid is not None and read(row) == MAIL and read(new) == MAIL
    with pytest.raises(DecryptionError):
        keyring().decrypt(row.key_id, row.message, LEGACY_AAD)
    assert count_stale(current)["outbox"] == 0
