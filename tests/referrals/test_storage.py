"""What the database holds: ciphertext only, all or nothing, keys that rotate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from portal.core.crypto import Keyring
from portal.core.extensions import db
from portal.referrals.display import attachment_content, stored_answers
from portal.referrals.models import HeldUpload, Request
from tests.conftest import TEST_DATA_KEY, make_app
from tests.referrals.helpers import (
    NAME,
    PESEL,
    ZZ,
    form_key,
    pdf_bytes,
    upload,
    zz_answers,
)

MARKER = b"CERTIFICATEMARKER7731"


def marked_pdf() -> bytes:
    """A certificate whose page shows the marker (kept: the stored copy keeps the pages)."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"BT 10 100 Td (" + MARKER + b") Tj ET")
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def apply(client: FlaskClient) -> None:
    key = form_key(client, ZZ)
    check = client.post(
        ZZ, data={**zz_answers(key), "certificates": [upload(marked_pdf(), "skan-XQ9931.pdf")]}
    )
    held = re.findall(r'name="held" value="([^"]+)"', check.text)
    sent = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
    assert sent.status_code == 302


def test_database_file_holds_no_clear_text(tmp_path: Path) -> None:
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    apply(app.test_client())
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        assert MARKER in attachment_content(req.attachments[0])  # it is there, decrypted
        db.session.remove()
        db.engine.dispose()
    raw = (tmp_path / "plain.sqlite3").read_bytes()
    for secret in (
        NAME.encode(),
        PESEL.encode(),
        MARKER,
        b"%PDF",
        b"zofia@",
        b"Parkowa 1",
        b"XQ9931",
    ):
        assert secret not in raw, secret


def test_a_failed_commit_stores_nothing(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = form_key(client, ZZ)
    check = client.post(ZZ, data={**zz_answers(key), "certificates": [upload(pdf_bytes())]})
    held = re.findall(r'name="held" value="([^"]+)"', check.text)
    from portal.referrals import service

    def broken_build(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(service, "_build", broken_build)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
    assert response.status_code == 500
    assert "nic nie zostało zapisane w połowie" in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Request.id))) == 0
        assert db.session.scalar(select(func.count(HeldUpload.id))) == 1  # the file is not lost
    monkeypatch.undo()
    retry = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
    assert retry.status_code == 302


def _refuse_requests(refuse: bool) -> None:
    """Make the database itself refuse every new request (a trigger), or stop refusing."""
    if db.engine.dialect.name == "sqlite":
        statements = (
            ["CREATE TRIGGER refuse BEFORE INSERT ON requests BEGIN SELECT RAISE(ABORT, 'no'); END"]
            if refuse
            else ["DROP TRIGGER refuse"]
        )
    else:
        statements = (
            [
                "CREATE OR REPLACE FUNCTION refuse() RETURNS trigger AS $$ "
                "BEGIN RAISE unique_violation; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER refuse BEFORE INSERT ON requests "
                "FOR EACH ROW EXECUTE FUNCTION refuse()",
            ]
            if refuse
            else ["DROP TRIGGER refuse ON requests", "DROP FUNCTION refuse()"]
        )
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def test_a_request_the_database_refuses_is_offered_again_with_nothing_lost(
    app: Flask, client: FlaskClient
) -> None:
    key = form_key(client, ZZ)
    check = client.post(ZZ, data={**zz_answers(key), "certificates": [upload(pdf_bytes())]})
    held = re.findall(r'name="held" value="([^"]+)"', check.text)
    with app.app_context():
        _refuse_requests(True)
    refused = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
    assert refused.status_code == 503
    assert "Nie udało się wysłać formularza" in refused.text
    assert NAME in refused.text  # the check page again, with the answers
    assert re.findall(r'name="held" value="([^"]+)"', refused.text) == held
    with app.app_context():
        assert db.session.scalar(select(func.count(Request.id))) == 0
        db.session.remove()  # PostgreSQL: dropping the trigger waits for open transactions
        _refuse_requests(False)
    sent = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
    assert sent.status_code == 302
    again = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
    assert again.status_code == 302  # the same form once more: still one request
    with app.app_context():
        assert db.session.scalar(select(func.count(Request.id))) == 1


def test_the_refusal_is_told_in_the_applicants_language(app: Flask, client: FlaskClient) -> None:
    key = form_key(client, "/uk" + ZZ)
    with app.app_context():
        _refuse_requests(True)
    sent = {**zz_answers(key), "certificates": [upload(pdf_bytes())], "step": "submit"}
    page = client.post("/uk" + ZZ, data=sent)
    assert page.status_code == 503
    assert "Nie udało się" not in page.text
    assert 'lang="uk"' in page.text


def test_old_key_still_decrypts_after_rotation(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    apply(app.test_client())
    new = Keyring.generate_value("t2")
    app.config["PORTAL_DATA_KEY"] = f"{new},{TEST_DATA_KEY}"
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        assert req.key_id == "t1"
        assert stored_answers(req)["pesel"] == PESEL


def test_answers_cannot_be_swapped_between_requests(app: Flask, client: FlaskClient) -> None:
    apply(client)
    apply(client)
    with app.app_context():
        first, second = db.session.scalars(select(Request).order_by(Request.id)).all()
        first.answers = second.answers
        from portal.core.crypto import DecryptionError

        with pytest.raises(DecryptionError):
            stored_answers(first)
        db.session.rollback()
