"""The parent's self-referral: the whole path, its errors, and hostile input."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from portal.core.extensions import db
from portal.core.settings import DEV_BASE_URL
from portal.referrals.display import answer_rows, stored_answers
from portal.referrals.models import Request
from tests.referrals.helpers import NAME, PARENT, form_key, parent_answers


def count_requests(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Request.id))) or 0)


def submit(client: FlaskClient, data: dict[str, object], path: str = PARENT) -> TestResponse:
    return client.post(path, data={**data, "step": "submit"})


def test_form_page(client: FlaskClient) -> None:
    response = client.get(PARENT)
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert 'name="csrf_token"' in html and 'name="form_key"' in html
    assert "checked" not in html  # no box comes pre-ticked
    assert "112" in html and "116 111" in html


@pytest.mark.parametrize("prefix", ["", "/en", "/uk"])
def test_whole_path(app: Flask, client: FlaskClient, prefix: str) -> None:
    path = prefix + PARENT
    key = form_key(client, path)
    check = client.post(path, data=parent_answers(key))
    assert check.status_code == 200
    assert NAME in check.text and "+48600123456" in check.text
    assert 'value="submit"' in check.text and "RODO" in check.text
    assert count_requests(app) == 0  # the check page stores nothing
    sent = submit(client, parent_answers(key), path)
    assert sent.status_code == 302
    assert sent.headers["Location"].startswith(f"{prefix}/tomice/wyslano/")
    confirmation = client.get(sent.headers["Location"])
    reference = re.search(
        r'class="reference">(TOM-\d{4}-[0-9A-HJKMNP-TV-Z]{5})<', confirmation.text
    )
    assert reference, confirmation.text
    assert confirmation.headers["Cache-Control"] == "no-store"
    status_link = re.search(
        rf'href="{re.escape(DEV_BASE_URL)}(/(?:en/|uk/)?status/[^"]+)"', confirmation.text
    )
    assert status_link
    status = client.get(status_link.group(1))
    assert status.status_code == 200 and reference.group(1) in status.text
    assert NAME not in status.text and "600" not in status.text
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        assert req.status == "new" and req.kind == "zgloszenie" and not req.urgent
        assert req.retention_until is not None and req.lang == (prefix.strip("/") or "pl")
        assert stored_answers(req)["difficulties"] == ["care", "money"]
        rows = dict(answer_rows(req, "pl"))
        assert rows["Imię i nazwisko"] == NAME


def test_check_page_shows_the_information_clause(client: FlaskClient) -> None:
    html = client.post(PARENT, data=parent_answers(form_key(client, PARENT))).text
    assert "Administratorem danych jest" in html and "iod-tomice@example.org" in html
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in html
    assert "/tomice/ochrona-danych" in html


def test_double_submit_stores_one(app: Flask, client: FlaskClient) -> None:
    data = parent_answers(form_key(client, PARENT))
    first = submit(client, data)
    second = submit(client, data)
    # Each confirmation carries its own status link (only hashes are kept, so the first
    # cannot be given again); both confirm the one request.
    references = []
    for response in (first, second):
        page = client.get(response.headers["Location"]).text
        found = re.search(r'class="reference">([^<]+)<', page)
        assert found, page
        references.append(found.group(1))
    assert references[0] == references[1]
    assert count_requests(app) == 1


def test_errors_keep_answers_and_link_each_field(client: FlaskClient) -> None:
    data = parent_answers(
        form_key(client, PARENT),
        full_name="",
        postal_code="34100x",
        phone="",
        email="",
        children_count="dwoje",
    )
    response = client.post(PARENT, data=data)
    assert response.status_code == 400
    html = response.text
    summary = re.findall(r'<li><a href="#f-(\w+)">', html)
    assert summary == ["full_name", "phone", "postal_code", "children_count"]
    assert "data-error-summary" in html and "autofocus" in html
    assert 'value="ul. Polna 5"' in html and 'value="34100x"' in html and 'value="dwoje"' in html
    assert re.search(r'value="care"\s+checked', html)
    assert 'id="e-postal_code"' in html and 'aria-describedby="h-postal_code e-postal_code"' in html
    assert "<title>Błąd:" in html


def test_errors_in_english_and_ukrainian(client: FlaskClient) -> None:
    en = client.post("/en" + PARENT, data=parent_answers(form_key(client, PARENT), full_name=""))
    assert '<html lang="en">' in en.text
    uk = client.post("/uk" + PARENT, data=parent_answers(form_key(client, PARENT), phone="x"))
    assert '<html lang="uk">' in uk.text


def test_one_contact_is_enough(client: FlaskClient) -> None:
    only_email = parent_answers(form_key(client, PARENT), phone="")
    assert client.post(PARENT, data=only_email).status_code == 200
    only_phone = parent_answers(form_key(client, PARENT), email="")
    assert client.post(PARENT, data=only_phone).status_code == 200


def test_child_in_danger_is_urgent_and_shows_numbers(app: Flask, client: FlaskClient) -> None:
    data = parent_answers(form_key(client, PARENT), child_in_danger="yes")
    check = client.post(PARENT, data=data)
    assert "112" in check.text and "116 111" in check.text and 'class="warning"' in check.text
    submit(client, data)
    with app.app_context():
        assert db.session.scalars(select(Request)).one().urgent


def test_postal_code_of_another_centre(app: Flask, client: FlaskClient) -> None:
    data = parent_answers(form_key(client, PARENT), postal_code="09-500")
    check = client.post(PARENT, data=data)
    assert 'href="/gostynin/"' in check.text
    submit(client, data)
    with app.app_context():
        assert db.session.scalars(select(Request)).one().outside_area


def test_postal_code_is_normalised(app: Flask, client: FlaskClient) -> None:
    submit(client, parent_answers(form_key(client, PARENT), postal_code="34100"))
    with app.app_context():
        assert stored_answers(db.session.scalars(select(Request)).one())["postal_code"] == "34-100"


def test_edit_returns_to_the_form_with_answers(client: FlaskClient) -> None:
    data = parent_answers(form_key(client, PARENT))
    response = client.post(PARENT, data={**data, "step": "edit"})
    assert response.status_code == 200
    assert f'value="{NAME}"' in response.text and "error-summary" not in response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Anna\x00Nowak"),
        ("full_name", "Anna\x07"),
        ("full_name", "Anna \u202eakwoN"),
        ("full_name", "A" * 121),
        ("description", "x" * 2001),
        ("phone", "６００１２３４５６"),
        ("phone", "600 123 45"),
        ("email", "not-an-email"),
        ("email", "a@b"),
        ("postal_code", "٠٩-٥٠٠"),
        ("children_count", "-1"),
        ("children_count", "21"),
        ("child_in_danger", "maybe"),
        ("difficulties", ["care", "hacking"]),
        ("best_time", "midnight"),
    ],
)
def test_hostile_or_wrong_values_are_refused(
    app: Flask, client: FlaskClient, field: str, value: object
) -> None:
    data = parent_answers(form_key(client, PARENT), **{field: value})
    response = submit(client, data)
    assert response.status_code == 400
    assert f'href="#f-{field}"' in response.text
    assert "Traceback" not in response.text
    assert count_requests(app) == 0


def test_file_posted_to_a_text_field(app: Flask, client: FlaskClient) -> None:
    import io

    data = parent_answers(form_key(client, PARENT), full_name=None)
    data["full_name"] = (io.BytesIO(b"%PDF-1.4"), "x.pdf")
    response = submit(client, data)
    assert response.status_code == 400 and 'href="#f-full_name"' in response.text
    assert count_requests(app) == 0


def test_missing_everything(client: FlaskClient) -> None:
    response = client.post(PARENT, data={})
    assert response.status_code == 400 and "error-summary" in response.text


def test_tampered_form_key_starts_fresh(app: Flask, client: FlaskClient) -> None:
    data = parent_answers("../../etc/passwd")
    response = submit(client, data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Request)).one().idempotency_key != "../../etc/passwd"


def test_honeypot(app: Flask, client: FlaskClient) -> None:
    data = parent_answers(form_key(client, PARENT), website="http://spam.example")
    assert submit(client, data).status_code == 400
    assert count_requests(app) == 0


def test_unicode_is_kept(app: Flask, client: FlaskClient) -> None:
    name = "Олена Ковальчук-Źdźbło"
    submit(client, parent_answers(form_key(client, PARENT), full_name=name))
    with app.app_context():
        assert stored_answers(db.session.scalars(select(Request)).one())["full_name"] == name


def test_confirmation_of_another_centre_is_404(client: FlaskClient) -> None:
    location = submit(client, parent_answers(form_key(client, PARENT))).headers["Location"]
    assert client.get(location.replace("/tomice/", "/rozan/")).status_code == 404


def test_same_form_key_at_two_centres_makes_two_requests(app: Flask, client: FlaskClient) -> None:
    key = form_key(client, PARENT)
    submit(client, parent_answers(key))
    other = parent_answers(key, postal_code="06-230", city="Różan")
    assert submit(client, other, "/rozan/zgloszenie").status_code == 302
    with app.app_context():
        slugs = sorted(db.session.scalars(select(Request.centre_slug)))
    assert slugs == ["rozan", "tomice"]


def test_logs_carry_no_personal_data(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    submit(client, parent_answers(form_key(client, PARENT)))
    logged = caplog.text
    assert "request stored: id=" in logged
    for secret in (NAME, "600", "zofia@", "Polna"):
        assert secret not in logged


def test_form_and_check_pages_are_never_cached(client: FlaskClient) -> None:
    assert client.get(PARENT).headers["Cache-Control"] == "no-store"
    check = client.post(PARENT, data=parent_answers(form_key(client, PARENT)))
    assert check.headers["Cache-Control"] == "no-store"


def test_form_pages_keep_the_centres_menu(client: FlaskClient) -> None:
    html = client.get(PARENT).text
    assert 'href="/tomice/jak-uzyskac-wsparcie"' in html and 'href="/tomice/kontakt"' in html
    assert 'aria-current="page">Poproś o asystenta' in html
