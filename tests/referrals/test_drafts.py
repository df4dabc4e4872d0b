"""Save and come back later: a draft keeps the answers as typed and the files, encrypted;
its link needs a POST to open; it expires, is purged, ends when the request is sent, and
never restores into another centre's form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.core.encryption import DecryptionError
from portal.core.extensions import db
from portal.core.settings import DEV_BASE_URL
from portal.notifications.mail import read
from portal.notifications.models import OutboxMessage
from portal.panel.retention import purge
from portal.referrals.drafts import DraftNotFound, restore_draft
from portal.referrals.models import Draft, HeldUpload, Request
from tests.referrals.helpers import (
    NAME,
    PARENT,
    ZZ,
    form_key,
    parent_answers,
    pdf_bytes,
    upload,
    zz_answers,
)

LINK = re.compile(rf'href="{re.escape(DEV_BASE_URL)}(/(?:en/|uk/)?wznow/([^"/]+))"')


def save(client: FlaskClient, path: str, data: dict[str, object]) -> tuple[str, str, str]:
    """Press "save" on a form; (the saved page, the resume path, the token)."""
    page = client.post(path, data={**data, "step": "save"})
    assert page.status_code == 200, page.text[:500]
    found = LINK.search(page.text)
    assert found, page.text
    return page.text, found.group(1), found.group(2)


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_draft_keeps_answers_and_files_and_a_get_reveals_nothing(
    app: Flask, client: FlaskClient
) -> None:
    data = {
        **zz_answers(form_key(client, ZZ), email="zle@adres"),
        "certificates": [upload(pdf_bytes())],
    }
    saved, path, token = save(client, ZZ, data)
    assert "Nic nie zostało jeszcze wysłane" in saved
    with app.app_context():
        row = db.session.scalars(select(Draft)).one()
        assert row.token_hash != token and token not in row.token_hash  # only a hash is kept
        assert NAME.encode() not in row.answers  # encrypted
        held = db.session.scalars(select(HeldUpload)).one()
        assert held.expires_at >= row.expires_at - timedelta(seconds=5)  # kept as long
        assert count(OutboxMessage) == 0  # the address was wrong: no mail
    shown = client.get(path)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    assert NAME not in shown.text and 'method="post"' in shown.text
    restored = client.post(path)
    assert restored.status_code == 200
    assert f'value="{NAME}"' in restored.text
    assert "zaświadczenie lekarskie.pdf" in restored.text  # the held file is listed
    assert 'value="zle@adres"' in restored.text  # answers as typed, errors and all


def test_the_link_is_mailed_with_nothing_of_the_answers(app: Flask, client: FlaskClient) -> None:
    _saved, path, _token = save(client, "/uk" + PARENT, parent_answers(form_key(client, PARENT)))
    assert path.startswith("/uk/wznow/")
    with app.app_context():
        mail = read(db.session.scalars(select(OutboxMessage)).one())
    assert mail.to == "zofia@example.org"
    assert f"{DEV_BASE_URL}{path}" in mail.body
    assert NAME not in mail.body and "Potrzebuję" not in mail.body and "34-100" not in mail.body


def test_sending_the_restored_form_deletes_its_draft(app: Flask, client: FlaskClient) -> None:
    data = parent_answers(form_key(client, PARENT))
    assert 'name="step" value="save"' in client.get(PARENT).text
    assert 'name="step" value="save"' in client.post(PARENT, data=data).text  # the check page
    _saved, path, _token = save(client, PARENT, data)
    client.post(path)
    sent = client.post(PARENT, data={**data, "step": "submit"})
    assert sent.status_code == 302
    with app.app_context():
        assert count(Request) == 1
        assert count(Draft) == 0
    assert client.post(path).status_code == 404


def test_an_expired_draft_cannot_be_restored_and_purge_deletes_it(
    app: Flask, client: FlaskClient
) -> None:
    _saved, path, _token = save(client, PARENT, parent_answers(form_key(client, PARENT)))
    with app.app_context():
        row = db.session.scalars(select(Draft)).one()
        assert row.expires_at - row.created_at == timedelta(days=7)  # PORTAL_DRAFT_DAYS
        row.expires_at -= timedelta(days=8)
        db.session.commit()
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    with app.app_context():
        assert purge(dry_run=True).drafts == 1
        assert purge().drafts == 1
        assert count(Draft) == 0


def test_a_draft_restores_only_into_its_own_centres_form(app: Flask, client: FlaskClient) -> None:
    _saved, _path, token = save(client, PARENT, parent_answers(form_key(client, PARENT)))
    with app.test_request_context():
        assert restore_draft(token, "tomice", "zgloszenie")[1]["full_name"] == [NAME]
        for centre, form in [("gostynin", "zgloszenie"), ("tomice", "za-zyciem")]:
            with pytest.raises(DraftNotFound):
                restore_draft(token, centre, form)
        # A blob moved into another centre's row does not decrypt.
        row = db.session.scalars(select(Draft)).one()
        row.centre_slug = "gostynin"
        with pytest.raises(DecryptionError):
            row.unseal("answers")


def test_an_unknown_token_is_a_404_page(client: FlaskClient) -> None:
    page = client.get("/en/wznow/nie-ma-takiego")
    assert page.status_code == 404
    assert "no-store" in page.headers["Cache-Control"]
