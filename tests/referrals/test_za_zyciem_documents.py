"""The "Za życiem" form and every centre's "Za życiem" page ask for the same documents.

From the act of 4 November 2016 (art. 8 with art. 4 ust. 3): for a pregnancy, a document
confirming it (from a doctor or a midwife), no specialist needed; for a child, the
certificate of a health-insurance (NFZ) doctor with a specialisation in obstetrics and
gynaecology, perinatology or neonatology, of a severe and irreversible impairment or an
incurable life-threatening illness that arose before or during birth.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from portal.core.i18n import text_in
from portal.referrals.definitions import read_definition
from tests.referrals.helpers import ZZ, form_key, pdf_bytes, upload, zz_answers

ROOT = Path(__file__).resolve().parents[2]
# What each language says for each case, in the same words on the form and the pages.
SAYS = {
    "pl": {
        "pregnancy": ["dokument potwierdzający ciążę", "od lekarza", "położnej"],
        "child": [
            "ubezpieczenia zdrowotnego",
            "NFZ",
            "położnictwa i ginekologii, perinatologii albo neonatologii",
            "w okresie prenatalnym lub w czasie porodu",
        ],
    },
    "en": {
        "pregnancy": ["a document confirming the pregnancy", "doctor or midwife"],
        "child": [
            "public health service",
            "NFZ",
            "obstetrics and gynaecology, perinatology or neonatology",
            "before birth",
            "during birth",
        ],
    },
    "uk": {
        "pregnancy": ["документ, що підтверджує вагітність", "лікаря чи акушерки"],
        "child": [
            "державного медичного страхування",
            "NFZ",
            "акушерства та гінекології, перинатології чи неонатології",
            "до народження",
            "під час пологів",
        ],
    },
}


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def centre_za_zyciem_pages(client: FlaskClient, lang: str) -> dict[str, str]:
    prefix = "" if lang == "pl" else f"/{lang}"
    slugs = sorted(p.parent.name for p in ROOT.glob("content/*/centre.yml"))
    return {slug: plain(client.get(f"{prefix}/{slug}/za-zyciem").text) for slug in slugs}


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_form_asks_for_the_documents_of_the_act(lang: str) -> None:
    spec = read_definition(ROOT / "forms" / "za-zyciem.yml")
    help_text = " ".join(text_in(spec.field("certificates").help, lang).split())
    for phrase in SAYS[lang]["pregnancy"] + SAYS[lang]["child"]:
        assert phrase in help_text, phrase
    pregnancy = help_text.split(SAYS[lang]["child"][0])[0]  # what comes before the child's
    assert not re.search("specjaliz|speciali|спеціаліз", pregnancy), pregnancy


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_every_centre_page_says_the_same(client: FlaskClient, lang: str) -> None:
    pages = centre_za_zyciem_pages(client, lang)
    assert len(pages) == 4
    for slug, text in pages.items():
        for phrase in SAYS[lang]["pregnancy"] + SAYS[lang]["child"]:
            assert phrase in text, f"{slug} [{lang}]: {phrase!r}"
        assert "innych specjalistów" not in text and "other specialists" not in text, slug


def test_form_intro_and_page_box_name_both_documents(client: FlaskClient) -> None:
    assert "dokument potwierdzający ciążę" in plain(client.get(ZZ).text)
    assert "dokument potwierdzający ciążę" in plain(client.get("/tomice/za-zyciem").text)


def test_confirmation_speaks_of_the_za_zyciem_path(client: FlaskClient) -> None:
    data = {**zz_answers(form_key(client, ZZ)), "certificates": [upload(pdf_bytes())]}
    sent = client.post(ZZ, data={**data, "step": "submit"})
    html = client.get(sent.headers["Location"]).text
    assert "wywiad środowiskowy" not in html
    assert "asystentem rodziny" in html and "Za życiem" in html


def test_what_would_help_is_an_optional_question(client: FlaskClient) -> None:
    spec = read_definition(ROOT / "forms" / "za-zyciem.yml")
    question = spec.field("help_needed")
    assert question.type == "textarea" and not question.required
    html = client.get(ZZ).text
    assert 'name="help_needed"' in html
    data = {
        **zz_answers(form_key(client, ZZ), help_needed="Pomoc w formalnościach."),
        "certificates": [upload(pdf_bytes())],
    }
    check = client.post(ZZ, data=data).text
    assert "Pomoc w formalnościach." in check and 'value="submit"' in check
