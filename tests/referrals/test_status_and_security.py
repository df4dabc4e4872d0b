"""Status links, CSRF, rate limits and the form definitions the portal is built from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from portal.core.extensions import db
from portal.referrals.definitions import DefinitionError, check_forms, read_definition
from portal.referrals.models import Request
from portal.referrals.status import SALT
from tests.conftest import ROOT, make_app
from tests.referrals.helpers import PARENT, form_key, parent_answers


def sent_location(client: FlaskClient) -> str:
    data = {**parent_answers(form_key(client, PARENT)), "step": "submit"}
    return str(client.post(PARENT, data=data).headers["Location"])


def test_status_follows_the_request(app: Flask, client: FlaskClient) -> None:
    token = sent_location(client).rsplit("/", 1)[1]
    assert "Otrzymaliśmy" in client.get(f"/status/{token}").text
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        req.status = "interview_scheduled"
        db.session.commit()
    html = client.get(f"/en/status/{token}").text
    assert 'aria-current="step"' in html and '<html lang="en">' in html


@pytest.mark.parametrize("token", ["abc", "IlRPTS0yMDI2LUFBQUFBIg.x.y", "x" * 5000, "%00"])
def test_tampered_status_link(client: FlaskClient, token: str) -> None:
    response = client.get(f"/status/{token}")
    assert response.status_code == 404
    assert "Link nie działa" in response.text


def test_expired_status_link(app: Flask, client: FlaskClient) -> None:
    sent_location(client)
    with app.app_context():
        reference = db.session.scalars(select(Request.reference)).one()
        token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT).dumps(reference)
    import time

    from portal.referrals import status

    original = status.MAX_AGE
    status.MAX_AGE = -1
    try:
        time.sleep(0.01)
        response = client.get(f"/status/{token}")
    finally:
        status.MAX_AGE = original
    assert response.status_code == 404 and "wygasł" in response.text


def test_link_signed_with_a_retired_key_still_works(app: Flask, client: FlaskClient) -> None:
    token = sent_location(client).rsplit("/", 1)[1]
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "a-new-secret-key-after-rotation"
    assert client.get(f"/status/{token}").status_code == 200


def test_csrf_missing_gets_a_friendly_page(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post(PARENT, data=parent_answers("k" * 32))
    assert response.status_code == 400
    assert "Formularz wygasł" in response.text and "Nic nie zostało zapisane" in response.text


def test_csrf_token_from_the_page_works(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    html = client.get(PARENT).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    key = re.search(r'name="form_key" value="([^"]+)"', html)
    assert token and key
    data = {**parent_answers(key.group(1)), "csrf_token": token.group(1)}
    assert client.post(PARENT, data=data).status_code == 200


def test_rate_limit(tmp_path: Path) -> None:
    app = make_app(tmp_path, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post(PARENT, data={}).status_code for _ in range(31)]
    assert codes[:30] == [400] * 30 and codes[30] == 429
    assert client.get(PARENT).status_code == 200  # reading is never limited


def test_shipped_forms_are_valid() -> None:
    assert check_forms(ROOT / "forms") == []
    spec = read_definition(ROOT / "forms" / "za-zyciem.yml")
    assert spec.field("certificates").max_files == 5  # issue 11: up to five per question
    assert spec.digest == read_definition(ROOT / "forms" / "za-zyciem.yml").digest


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("type: pesel", "type: nip", "unknown type 'nip'"),
        ("name: pesel", "name: form_key", "reserved"),
        ("name: pesel", "name: Pesel", "lowercase"),
        ("          en: PESEL number\n", "", "needs text in each of pl, en, uk"),
        ('field: has_pesel, equals: "yes"', 'field: has_pesel, equals: "maybe"', "lacks"),
        ("name: birth_date", "name: pesel", "used twice"),
        ("max_files: 5", "max_files: many", "whole number"),
    ],
)
def test_definition_problems(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = (ROOT / "forms" / "za-zyciem.yml").read_text()
    assert old in text
    path = tmp_path / "za-zyciem.yml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DefinitionError) as err:
        read_definition(path)
    assert message in str(err.value) and "za-zyciem.yml:" in str(err.value)


def test_centre_may_override_a_form(tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    (forms / "rozan").mkdir(parents=True)
    for name in ("zgloszenie", "za-zyciem"):
        (forms / f"{name}.yml").write_text((ROOT / "forms" / f"{name}.yml").read_text())
    custom = (
        (ROOT / "forms" / "zgloszenie.yml")
        .read_text()
        .replace("pl: Prośba o asystenta rodziny", "pl: Prośba do OPS Różan", 1)
    )
    (forms / "rozan" / "zgloszenie.yml").write_text(custom)
    client = make_app(tmp_path, PORTAL_FORMS_DIR=forms).test_client()
    assert "Prośba do OPS Różan" in client.get("/rozan/zgloszenie").text
    assert "Prośba do OPS Różan" not in client.get("/tomice/zgloszenie").text


def test_request_keeps_the_questions_as_asked(app: Flask, client: FlaskClient) -> None:
    sent_location(client)
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        assert '"name": "child_in_danger"' in req.form_version.definition
        assert req.form_version.digest == read_definition(ROOT / "forms" / "zgloszenie.yml").digest
