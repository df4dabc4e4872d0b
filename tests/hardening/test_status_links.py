"""The status link is a random token kept only as a hash; signed links already sent work
until they expire."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from portal.core.extensions import db
from portal.notifications.mail import read
from portal.notifications.models import OutboxMessage
from portal.panel.retention import purge
from portal.referrals import status
from portal.referrals.models import Request, StatusLink
from tests.conftest import make_app
from tests.referrals.helpers import PARENT, form_key, parent_answers


def _send(client: FlaskClient) -> str:
    """Send a request; the token in the confirmation's address."""
    data = {**parent_answers(form_key(client, PARENT)), "step": "submit"}
    return str(client.post(PARENT, data=data).headers["Location"]).rsplit("/", 1)[1]


def _reference(app: Flask) -> str:
    with app.app_context():
        return db.session.scalars(select(Request.reference)).one()


def _decodings(token: str) -> list[bytes]:
    """Whatever the token's parts say when read as base64 (how signed tokens carry data)."""
    found = []
    for part in re.split(r"[.]", token):
        try:
            found.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        except (binascii.Error, ValueError):
            continue
    return found


def test_the_link_names_nothing(app: Flask, client: FlaskClient) -> None:
    token = _send(client)
    reference = _reference(app)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert not [d for d in _decodings(token) if reference.encode() in d]
    with app.app_context():
        links = list(db.session.scalars(select(StatusLink)))
        # The database keeps hashes only: nothing stored gives the token back.
        assert hashlib.sha256(token.encode()).hexdigest() in {link.token_hash for link in links}
        assert token not in {link.token_hash for link in links}
        mails = [read(row) for row in db.session.scalars(select(OutboxMessage))]
    mailed = re.search(r"/status/([A-Za-z0-9_-]+)", mails[0].body)
    assert mailed and mailed.group(1) != token  # the mail has a link of its own
    for link in (token, mailed.group(1)):
        page = client.get(f"/status/{link}")
        assert page.status_code == 200 and reference in page.text


def test_the_database_file_holds_no_token(tmp_path: Path) -> None:
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'links.sqlite3'}")
    token = _send(app.test_client())
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert token.encode() not in (tmp_path / "links.sqlite3").read_bytes()


def _signed(app: Flask, reference: str) -> str:
    """A link as the portal sent them before: the reference, signed."""
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=status.SALT).dumps(reference)


def test_a_signed_link_already_sent_still_works(app: Flask, client: FlaskClient) -> None:
    _send(client)
    old = _signed(app, _reference(app))
    page = client.get(f"/status/{old}")
    assert page.status_code == 200 and _reference(app) in page.text
    # ...also after the secret key is rotated, while the old key is a fallback.
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "a-new-secret-key-after-rotation"
    assert client.get(f"/status/{old}").status_code == 200


def test_a_signed_link_stops_when_it_expires(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _send(client)
    old = _signed(app, _reference(app))
    later = time.time() + status.MAX_AGE + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    page = client.get(f"/status/{old}")
    assert page.status_code == 404 and "wygasł" in page.text


def test_a_new_link_expires_like_the_old_ones(app: Flask, client: FlaskClient) -> None:
    token = _send(client)
    with app.app_context():
        for link in db.session.scalars(select(StatusLink)):
            link.created_at = link.created_at.replace(year=link.created_at.year - 2)
        db.session.commit()
    page = client.get(f"/status/{token}")
    assert page.status_code == 404 and "wygasł" in page.text


@pytest.mark.parametrize("changed", ["A" * 43, "x", "a.b.c"])
def test_made_up_links_name_nothing(app: Flask, client: FlaskClient, changed: str) -> None:
    _send(client)
    page = client.get(f"/status/{changed}")
    assert page.status_code == 404 and "Link nie działa" in page.text


def test_the_link_of_a_purged_request_is_gone(app: Flask, client: FlaskClient) -> None:
    token = _send(client)
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        req.status, req.retention_until = "closed", req.created_at.date().replace(year=2000)
        db.session.commit()
        assert purge().requests == 1
    assert client.get(f"/status/{token}").status_code == 404
