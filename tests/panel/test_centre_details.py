"""A centre's details in the editor: every field the issue lists, published over centre.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.core.extensions import db
from portal.core.tenancy import registry
from portal.pages.models import ContentRevision
from tests.panel.conftest import World
from tests.panel.editing import step
from tests.panel.factories import log_in

DETAILS = "/panel/strony/tomice/dane"


def details_form(**changes: str) -> dict[str, str]:
    """Tomice's details as the form shows them, with `changes` (field name -> value)."""
    data = {
        "centre-name": "Gminny Ośrodek Pomocy Społecznej w Tomicach",
        "centre-street": "ul. Wadowicka 51",
        "centre-postal_code": "34-100",
        "centre-city": "Tomice",
        "centre-phones-0-number": "33 823 00 00",
        "centre-phones-0-label_pl": "Sekretariat",
        "centre-phones-0-label_en": "Office",
        "centre-phones-0-label_uk": "Секретаріат",
        "centre-phones-1-number": "",
        "centre-email": "gops-tomice@example.org",
        "centre-hours-0-days_pl": "poniedziałek–piątek",
        "centre-hours-0-days_en": "Monday to Friday",
        "centre-hours-0-days_uk": "понеділок–пʼятниця",
        "centre-hours-0-time": "7:30–15:30",
        "centre-bip": "https://example.org/bip/gops-tomice",
        "centre-inbox": "asystent-tomice@example.org",
        "centre-dpo_email": "iod-tomice@example.org",
        "centre-answer_days": "5",
        "centre-postal_codes": "34-100",
    }
    data.update({f"centre-{k}": v for k, v in changes.items()})
    return data


def save_details(client: FlaskClient, **changes: str) -> int:
    response = client.post(DETAILS, data=details_form(**changes))
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_form_shows_the_centres_details(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    page = client.get(DETAILS).text
    for value in (
        "ul. Wadowicka 51",
        "33 823 00 00",
        "Секретаріат",
        "Monday to Friday",
        "7:30–15:30",
        "https://example.org/bip/gops-tomice",
        "iod-tomice@example.org",
        "asystent-tomice@example.org",
        'value="5"',
        "34-100",
    ):
        assert value in page, value
    assert 'id="centre-phones-1-number"' in page  # an empty row to add a phone


def test_a_published_phone_shows_in_every_language(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    revision_id = save_details(
        client,
        **{
            "phones-0-number": "33 111 22 33",
            "phones-1-number": "600 700 800",
            "phones-1-label_pl": "Asystent rodziny",
            "phones-1-label_en": "Family assistant",
            "phones-1-label_uk": "Сімейний асистент",
            "answer_days": "3",
        },
    )
    assert "33 111 22 33" not in client.get("/tomice/").text  # a draft until published
    assert "Opublikowano" in step(client, "tomice", revision_id, "publikuj").text
    for prefix, label in (
        ("", "Asystent rodziny"),
        ("/en", "Family assistant"),
        ("/uk", "Сімейний асистент"),
    ):
        page = client.get(f"{prefix}/tomice/").text  # the footer
        assert '<a href="tel:331112233">33 111 22 33</a>' in page, prefix
        assert f'{label}: <a href="tel:600700800">600 700 800</a>' in page, prefix
        assert "33 823 00 00" not in page, prefix
        contact = client.get(f"{prefix}/tomice/kontakt").text  # {{ centre.phones }}
        assert f"{label}: 600 700 800" in contact, prefix
    centre = registry().get("tomice")
    assert centre is not None and centre.answer_days == 3 and centre.reference_prefix == "TOM"


def test_the_saved_text_is_a_centre_yml(client: FlaskClient, world: World) -> None:
    from portal.core.centres import parse_centre_text

    log_in(client, world.manager)
    revision_id = save_details(client, email="sekretariat@tomice.example.org")
    text = db.session.get_one(ContentRevision, revision_id).text
    centre = parse_centre_text("tomice", text, Path("centre.yml"))
    assert centre.email == "sekretariat@tomice.example.org"
    assert centre.gmina == "Tomice" and centre.powiat == "wadowicki"  # kept as they were


def test_a_postal_code_of_another_centre_is_refused_naming_it(
    client: FlaskClient, world: World
) -> None:
    gostynin = registry().get("gostynin")
    assert gostynin is not None
    code = sorted(gostynin.postal_codes)[0]
    log_in(client, world.manager)
    response = client.post(DETAILS, data=details_form(postal_codes=f"34-100, {code}"))
    assert response.status_code == 400
    assert f"Kod {code} obsługuje już {gostynin.name}." in response.text
    assert f"34-100, {code}" in response.text  # what was typed stays
    assert db.session.scalars(select(ContentRevision)).all() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "nie-adres"}, "Wpisz adres e-mail w formacie nazwa@domena.pl."),
        ({"answer_days": "99"}, "Wpisz liczbę dni roboczych od 1 do 60."),
        ({"postal_codes": "34100"}, "Kody pocztowe wpisz w formacie 00-000 (błędny: 34100)."),
        ({"postal_codes": ""}, "Podaj co najmniej jeden kod pocztowy."),
        (
            {
                "phones-0-number": "",
                "phones-0-label_pl": "",
                "phones-0-label_en": "",
                "phones-0-label_uk": "",
            },
            "Podaj co najmniej jeden telefon.",
        ),
        ({"phones-0-number": ""}, "Wpisz numer telefonu albo usuń jego opis."),
        ({"bip": "example.org/bip"}, "Wpisz pełny adres strony BIP, od https://."),
        ({"name": " "}, "Wpisz pełną nazwę ośrodka."),
        ({"hours-0-time": ""}, "Wpisz dni (po polsku) i godziny albo zostaw cały wiersz pusty."),
    ],
)
def test_bad_details_are_explained(
    client: FlaskClient, world: World, changes: dict[str, str], message: str
) -> None:
    log_in(client, world.manager)
    response = client.post(DETAILS, data=details_form(**changes))
    assert response.status_code == 400
    summary = response.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert message in summary
    assert db.session.scalars(select(ContentRevision)).all() == []


def test_a_worker_and_another_centre_cannot_change_details(
    app: Flask, client: FlaskClient, world: World
) -> None:
    log_in(client, world.worker)
    assert client.post(DETAILS, data=details_form(city="X")).status_code == 403
    log_in(client, world.other_manager)
    assert client.post(DETAILS, data=details_form(city="X")).status_code == 404
    assert db.session.scalars(select(ContentRevision)).all() == []
