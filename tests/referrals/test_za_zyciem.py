"""The "Za życiem" application: PESEL or date of birth, dates, certificate files."""

from __future__ import annotations

import gc
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.referrals.display import attachment_content, attachment_name, stored_answers
from portal.referrals.models import Attachment, HeldUpload, Request
from tests.referrals.helpers import (
    PESEL,
    ZZ,
    form_key,
    pdf_bytes,
    pesel_for,
    png_bytes,
    upload,
    zz_answers,
)


def held_ids(html: str) -> list[str]:
    return re.findall(r'name="held" value="([^"]+)"', html)


def check_with_file(client: FlaskClient, **changes: object) -> tuple[str, str]:
    key = form_key(client, ZZ)
    data = zz_answers(key, **changes)
    data.setdefault("certificates", [upload(pdf_bytes())])
    response = client.post(ZZ, data=data, content_type="multipart/form-data")
    return key, response.text


def test_full_application_with_certificate(app: Flask, client: FlaskClient) -> None:
    key, check = check_with_file(client)
    assert "zaświadczenie lekarskie.pdf" in check
    ids = held_ids(check)
    assert len(ids) == 1
    sent = client.post(ZZ, data={**zz_answers(key), "held": ids, "step": "submit"})
    assert sent.status_code == 302
    confirmation = client.get(sent.headers["Location"])
    assert re.search(r"GOS-\d{4}-[0-9A-Z]{5}", confirmation.text)
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        assert req.kind == "za-zyciem"
        assert stored_answers(req)["pesel"] == PESEL
        (att,) = req.attachments
        assert attachment_content(att).startswith(b"%PDF-")
        assert attachment_name(att) == "zaświadczenie lekarskie.pdf"
        assert att.media_type == "application/pdf"
        assert db.session.scalar(select(func.count(HeldUpload.id))) == 0


def test_no_pesel_leads_to_date_of_birth(app: Flask, client: FlaskClient) -> None:
    key, check = check_with_file(client, has_pesel="no", pesel=None)
    assert 'href="#f-birth_date"' in check  # asked for, not a dead end
    key, check = check_with_file(client, has_pesel="no", pesel=None, birth_date="15.03.1994")
    assert "error-summary" not in check
    assert "15 marca 1994" in check


def test_hidden_answers_are_not_kept(app: Flask, client: FlaskClient) -> None:
    key, check = check_with_file(client, has_pesel="no", birth_date="1994-03-15")
    client.post(
        ZZ,
        data={
            **zz_answers(key, has_pesel="no", birth_date="1994-03-15"),
            "held": held_ids(check),
            "step": "submit",
        },
    )
    with app.app_context():
        answers = stored_answers(db.session.scalars(select(Request)).one())
    assert "pesel" not in answers and answers["birth_date"] == "1994-03-15"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pesel": "94031512840"}, "pesel"),  # checksum
        ({"pesel": "9403151284"}, "pesel"),  # length
        ({"pesel": "٩٤٠٣١٥١٢٨٤٣"}, "pesel"),  # Arabic-Indic digits
        ({"pesel": pesel_for(date(1994, 2, 28))[:4] + "30" + "12843"}, "pesel"),  # 30 February
        ({"due_date": (date.today() - timedelta(days=1)).isoformat()}, "due_date"),
        ({"due_date": (date.today() + timedelta(days=330)).isoformat()}, "due_date"),
        ({"due_date": "31.02.2027"}, "due_date"),
        (
            {
                "applicant": "family",
                "due_date": None,
                "child_birth_date": (date.today() + timedelta(days=3)).isoformat(),
            },
            "child_birth_date",
        ),
        ({"truthful": None}, "truthful"),
        ({"applicant": None}, "applicant"),
        ({"phone": None, "email": None}, "phone"),
    ],
)
def test_invalid_answers(client: FlaskClient, changes: dict[str, object], field: str) -> None:
    _key, html = check_with_file(client, **changes)
    assert f'href="#f-{field}"' in html, field


def test_certificate_is_required(client: FlaskClient) -> None:
    _key, html = check_with_file(client, certificates=[])
    assert 'href="#f-certificates"' in html and "Dodaj plik" in html


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "pusty.pdf", "pusty"),
        (b"<html><script>alert(1)</script></html>", "skan.pdf", "PDF, JPG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "skan.png", "PDF, JPG"),
        (b"MZ\x90\x00" + b"\x00" * 200, "skan.pdf", "PDF, JPG"),
        (b"%PDF-1.4\n<html>polyglot</html>", "skan.pdf", "PDF"),
        (pdf_bytes()[:200], "ucięty.pdf", "PDF"),
        (png_bytes()[:60], "ucięte.png", ""),
    ],
)
def test_bad_files_are_refused_with_a_message(
    client: FlaskClient, content: bytes, name: str, message: str
) -> None:
    _key, html = check_with_file(client, certificates=[upload(content, name)])
    assert 'href="#f-certificates"' in html
    assert message in html
    assert held_ids(html) == []


def test_valid_file_is_kept_for_the_retry(app: Flask, client: FlaskClient) -> None:
    key, html = check_with_file(client, full_name="")  # an error elsewhere
    assert 'href="#f-full_name"' in html
    ids = held_ids(html)
    assert len(ids) == 1
    assert f'value="remove:{ids[0]}"' in html
    assert '<span class="visually-hidden"> plik zaświadczenie lekarskie.pdf</span>' in html
    again = client.post(ZZ, data={**zz_answers(key), "held": ids})
    assert "error-summary" not in again.text and held_ids(again.text) == ids


def test_held_file_can_be_removed(client: FlaskClient) -> None:
    key, html = check_with_file(client, full_name="")
    ids = held_ids(html)
    again = client.post(ZZ, data={**zz_answers(key), "held": ids, "remove": ids})
    assert 'href="#f-certificates"' in again.text


def test_held_file_of_another_form_is_ignored(client: FlaskClient) -> None:
    _key, html = check_with_file(client, full_name="")
    stolen = held_ids(html)
    other_key = form_key(client, ZZ)
    response = client.post(ZZ, data={**zz_answers(other_key), "held": stolen})
    assert 'href="#f-certificates"' in response.text


def test_up_to_five_files(client: FlaskClient) -> None:
    files = [upload(pdf_bytes(), f"z{i}.pdf") for i in range(5)]
    _key, html = check_with_file(client, certificates=files)
    assert len(held_ids(html)) == 5 and "error-summary" not in html
    files = [upload(pdf_bytes(), f"z{i}.pdf") for i in range(6)]
    _key, html = check_with_file(client, certificates=files)
    # The sixth is not kept, and the applicant is told why and what to do.
    assert len(held_ids(html)) == 5
    assert 'href="#f-certificates"' in html
    assert "Możesz dodać najwyżej 5 plików. Usuń któryś z dodanych" in html


def test_image_is_reencoded(app: Flask, client: FlaskClient) -> None:
    key, check = check_with_file(client, certificates=[upload(png_bytes() + b"HIDDEN", "a.png")])
    client.post(ZZ, data={**zz_answers(key), "held": held_ids(check), "step": "submit"})
    with app.app_context():
        att = db.session.scalars(select(Attachment)).one()
        content = attachment_content(att)
    assert content.startswith(b"\x89PNG") and b"HIDDEN" not in content


def test_file_name_is_display_text_only(app: Flask, client: FlaskClient) -> None:
    name = "../../etc/<b>passwd</b>\u202e.pdf"
    key, check = check_with_file(client, certificates=[upload(pdf_bytes(), name)])
    assert "<b>passwd" not in check and "\u202e" not in check
    client.post(ZZ, data={**zz_answers(key), "held": held_ids(check), "step": "submit"})
    with app.app_context():
        stored = attachment_name(db.session.scalars(select(Attachment)).one())
    assert "/" not in stored and "\u202e" not in stored


def test_too_large_body_gets_a_page(tmp_path: Path) -> None:
    from tests.conftest import make_app

    app = make_app(tmp_path, PORTAL_MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    client = app.test_client()
    big = upload(b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024))
    response = client.post(ZZ, data={**zz_answers("k" * 32), "certificates": [big]})
    assert response.status_code == 413
    assert "za duże" in response.text and '<html lang="pl">' in response.text


# Werkzeug's test client spools a body over 500 KB to a temporary file it never closes.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_one_file_over_the_limit(tmp_path: Path) -> None:
    from tests.conftest import make_app

    app = make_app(tmp_path, PORTAL_MAX_UPLOAD_MB=1)
    client = app.test_client()
    big = upload(pdf_bytes() + b"%" + b"0" * (1024 * 1024 + 10))
    response = client.post(ZZ, data={**zz_answers(form_key(client, ZZ)), "certificates": [big]})
    assert 'href="#f-certificates"' in response.text and "1 MB" in response.text
    del big, response
    gc.collect()  # let the spooled file be collected while this test's filters apply


def test_scanner_down_refuses_the_file_and_says_try_later(tmp_path: Path) -> None:
    from tests.conftest import make_app

    app = make_app(tmp_path, PORTAL_CLAMD_SOCKET=str(tmp_path / "no-clamd.sock"))
    client = app.test_client()
    data = zz_answers(form_key(client, ZZ))
    response = client.post(ZZ, data={**data, "certificates": [upload(pdf_bytes())]})
    assert 'href="#f-certificates"' in response.text
    assert "Spróbuj ponownie za kilka minut" in response.text
    assert held_ids(response.text) == []
