"""A PESEL's birth date is checked against today and against a birth date in the same form."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.core.extensions import db
from portal.referrals.models import Request
from portal.referrals.validators import check_pesel_born, normalize_pesel
from tests.conftest import ROOT, make_app
from tests.referrals.helpers import PESEL, ZZ, form_key, pdf_bytes, pesel_for, upload, zz_answers

# From the attack: checksum right, month 21 = 1 January 2099.
FUTURE_PESEL = "99210112300"


def _requests(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Request.id))) or 0)


def _submit(client: FlaskClient, **changes: object) -> tuple[int, str]:
    """Post the form to the check page, then submit it; (status of the last post, its page)."""
    key = form_key(client, ZZ)
    check = client.post(
        ZZ, data={**zz_answers(key, **changes), "certificates": [upload(pdf_bytes())]}
    )
    held = re.findall(r'name="held" value="([^"]+)"', check.text)
    if "error-summary" in check.text:
        return check.status_code, check.text
    sent = client.post(ZZ, data={**zz_answers(key, **changes), "held": held, "step": "submit"})
    return sent.status_code, sent.text


def test_the_future_pesel_passes_the_format_check_but_not_the_calendar() -> None:
    assert normalize_pesel(FUTURE_PESEL) == FUTURE_PESEL  # well-formed: 2099-01-01
    with pytest.raises(ValueError, match="pesel_future"):
        check_pesel_born(FUTURE_PESEL, date(2026, 11, 24))
    tomorrow = date(2026, 11, 25)
    with pytest.raises(ValueError, match="pesel_future"):
        check_pesel_born(pesel_for(tomorrow), date(2026, 11, 24))
    assert check_pesel_born(pesel_for(tomorrow), tomorrow) == tomorrow  # born today is fine


@pytest.mark.parametrize(
    "pesel", [FUTURE_PESEL, pesel_for(date.today() + timedelta(days=1))], ids=["2099", "tomorrow"]
)
def test_a_pesel_born_in_the_future_is_refused_and_nothing_stored(
    app: Flask, client: FlaskClient, pesel: str
) -> None:
    status, page = _submit(client, pesel=pesel)
    assert status == 400
    assert "Ten numer PESEL zawiera datę urodzenia z przyszłości" in page
    assert 'href="#f-pesel"' in page
    assert _requests(app) == 0


def test_the_message_is_in_the_visitors_language(client: FlaskClient) -> None:
    key = form_key(client, "/uk" + ZZ)
    page = client.post("/uk" + ZZ, data=zz_answers(key, pesel=FUTURE_PESEL)).text
    assert "PESEL" in page and "майбутнього" in page


@pytest.fixture
def both_asked(tmp_path: Path) -> Flask:
    """A centre's own version of the form that asks for the PESEL and the birth date."""
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    own = (forms / "za-zyciem.yml").read_text(encoding="utf-8")
    hidden = '        matches_pesel: pesel\n        show_when: {field: has_pesel, equals: "no"}\n'
    assert hidden in own
    (forms / "gostynin").mkdir(exist_ok=True)
    (forms / "gostynin" / "za-zyciem.yml").write_text(
        own.replace(hidden, "        matches_pesel: pesel\n"), encoding="utf-8"
    )
    return make_app(tmp_path, PORTAL_FORMS_DIR=forms)


def test_a_birth_date_that_differs_from_the_pesel_is_refused(both_asked: Flask) -> None:
    client = both_asked.test_client()
    status, page = _submit(client, pesel=PESEL, birth_date="16.03.1994")
    assert status == 400
    assert "Data urodzenia różni się od daty zapisanej w numerze PESEL" in page
    assert 'href="#f-birth_date"' in page
    assert _requests(both_asked) == 0


def test_a_birth_date_that_agrees_with_the_pesel_is_stored(both_asked: Flask) -> None:
    client = both_asked.test_client()
    status, _page = _submit(client, pesel=PESEL, birth_date="15.03.1994")
    assert status == 302
    assert _requests(both_asked) == 1


def test_matches_pesel_must_name_a_pesel_field(tmp_path: Path) -> None:
    from portal.referrals.definitions import DefinitionError, read_definition

    path = tmp_path / "za-zyciem.yml"
    text = (ROOT / "forms" / "za-zyciem.yml").read_text(encoding="utf-8")
    path.write_text(text.replace("matches_pesel: pesel", "matches_pesel: phone"), encoding="utf-8")
    with pytest.raises(DefinitionError, match="matches_pesel"):
        read_definition(path)
