"""The "is this for me?" pre-check: its exits say where to go instead, answers that fit lead
on to the form, the form stays reachable directly, and `content-check` validates `precheck:`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import make_app
from tests.visitor.pages import ROOT, prefix

PARENT_CHECK = "/tomice/zgloszenie/czy-to-dla-mnie"
ZZ_CHECK = "/gostynin/za-zyciem/czy-to-dla-mnie"
HELPLINES = ('href="tel:112"', 'href="tel:116111"', 'href="tel:800120002"')


def links(html: str) -> list[str]:
    main = html[html.index("<main") : html.index("</main>")]
    return re.findall(r'<a [^>]*href="([^"]+)"', main)


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_the_precheck_asks_and_links_the_form_directly(client: FlaskClient, lang: str) -> None:
    for path, form in [
        (PARENT_CHECK, "/tomice/zgloszenie"),
        (ZZ_CHECK, "/gostynin/za-zyciem/wniosek"),
    ]:
        page = client.get(prefix(lang) + path)
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        assert 'name="postal_code"' in page.text
        assert prefix(lang) + form in links(page.text)  # a help, not a gate
        # ... and the form links its pre-check.
        assert prefix(lang) + path in links(client.get(prefix(lang) + form).text)


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_fitting_answers_lead_on_to_the_form(client: FlaskClient, lang: str) -> None:
    to_zz = client.post(
        prefix(lang) + ZZ_CHECK, data={"postal_code": "09500", "situation": "certificate"}
    )
    assert to_zz.status_code == 303
    assert to_zz.headers["Location"] == f"{prefix(lang)}/gostynin/za-zyciem/wniosek"
    to_parent = client.post(
        prefix(lang) + PARENT_CHECK, data={"postal_code": "34-100", "children": "yes"}
    )
    assert to_parent.headers["Location"] == f"{prefix(lang)}/tomice/zgloszenie"


@pytest.mark.parametrize(
    ("lang", "message"),
    [("pl", "Wpisz kod pocztowy"), ("en", "postal code"), ("uk", "поштовий індекс")],
)
def test_missing_or_wrong_answers_are_asked_again(
    client: FlaskClient, lang: str, message: str
) -> None:
    page = client.post(prefix(lang) + ZZ_CHECK, data={"postal_code": "09-5"})
    assert page.status_code == 400
    assert 'href="#f-postal_code"' in page.text and 'href="#f-situation"' in page.text
    assert message in page.text
    assert 'value="09-5"' in page.text  # what was typed is kept


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_another_centres_postal_code_routes_to_that_centre(client: FlaskClient, lang: str) -> None:
    page = client.post(
        prefix(lang) + PARENT_CHECK, data={"postal_code": "09-500", "children": "yes"}
    )
    assert page.status_code == 200
    found = links(page.text)
    assert f"{prefix(lang)}/gostynin/zgloszenie" in found  # the same form, at the right centre
    assert f"{prefix(lang)}/gostynin/" in found
    assert f"{prefix(lang)}/tomice/zgloszenie" in found  # never a dead end
    assert all(number in page.text for number in HELPLINES)


def test_a_postal_code_no_centre_serves_points_to_the_own_gmina(client: FlaskClient) -> None:
    page = client.post("/uk" + ZZ_CHECK, data={"postal_code": "00-001", "situation": "pregnant"})
    assert "Жоден центр на цьому порталі не обслуговує поштовий індекс 00-001" in page.text
    assert "/uk/" in links(page.text) and "/uk/gostynin/za-zyciem/wniosek" in links(page.text)
    assert all(number in page.text for number in HELPLINES)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("pl", "Asystent rodziny może jednak pomóc także Tobie"),
        ("en", "A family assistant can still help you"),
        ("uk", "Але асистент сімʼї може допомогти й вам"),
    ],
)
def test_neither_situation_of_za_zyciem_leads_to_the_parent_request(
    client: FlaskClient, lang: str, words: str
) -> None:
    page = client.post(
        prefix(lang) + ZZ_CHECK, data={"postal_code": "09-500", "situation": "neither"}
    )
    assert page.status_code == 200
    assert words in page.text
    assert f"{prefix(lang)}/gostynin/zgloszenie" in links(page.text)
    assert f"{prefix(lang)}/gostynin/za-zyciem/wniosek" in links(page.text)
    assert all(number in page.text for number in HELPLINES)


def test_pregnancy_on_the_parent_request_suggests_za_zyciem(client: FlaskClient) -> None:
    page = client.post(PARENT_CHECK, data={"postal_code": "34-100", "children": "pregnant"})
    assert "/tomice/za-zyciem/wniosek" in links(page.text)
    assert "/tomice/zgloszenie" in links(page.text)


def _content_check(tmp_path: Path, old: str, new: str) -> str:
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    text = (forms / "za-zyciem.yml").read_text()
    assert old in text
    (forms / "za-zyciem.yml").write_text(text.replace(old, new, 1))
    app = make_app(tmp_path, PORTAL_FORMS_DIR=forms)
    result = app.test_cli_runner().invoke(args=["content-check"])
    assert result.exit_code != 0
    return str(result.output)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "exit_when: [neither]",
            "exit_when: [nobody]",
            "precheck 'situation': exit_when must name",
        ),
        (
            "exit_when: not_served",
            "exit_when: [other]",
            "precheck 'postal_code': exit_when must name",
        ),
        ("exit_form: zgloszenie", "exit_form: wniosek", "exit_form must be one of"),
        (
            "    exit_form: zgloszenie\n    exit:\n",
            "    exit_form: zgloszenie\n    exit_text:\n",
            "unknown keys: exit_text",
        ),
        (
            "    type: postal_code\n    required: true\n    autocomplete",
            "    type: text\n    required: true\n    autocomplete",
            "type must be one of",
        ),
    ],
)
def test_content_check_validates_the_precheck(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    output = _content_check(tmp_path, old, new)
    assert said in output, output
    assert "za-zyciem.yml:" in output
