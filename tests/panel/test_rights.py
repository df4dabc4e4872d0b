"""The applicant's rights: one person's requests found through the blind index (also after
`rotate-key`), exported as a ZIP, or erased with a reason; audited without the identifier."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from portal.audit.models import AuditEvent
from portal.core.crypto import Keyring
from portal.core.extensions import db
from portal.panel.models import Note
from portal.referrals.identity import normalise
from portal.referrals.models import Attachment, Message, Request, RequestIdentifier
from tests.conftest import TEST_DATA_KEY
from tests.panel.conftest import World
from tests.panel.factories import PDF, log_in, make_request
from tests.referrals.helpers import PESEL

ZOFIA = {
    "full_name": "Zofia Wiśniewska",
    "pesel": PESEL,
    "email": "Zofia.W@Example.org",
    "phone": "+48 600 123 456",
    "description": "Potrzebuję wsparcia.",
}


def _search(client: FlaskClient, kind: str, value: str) -> str:
    response = client.post("/panel/osoba", data={"person-kind": kind, "person-value": value})
    return response.text


def _found(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="request" value="(\d+)"', html)]


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize(
    ("kind", "value", "normal"),
    [
        ("pesel", " 9403 1512 845 ", "94031512845"),
        ("pesel", "123", None),
        ("email", " Zofia.W@EXAMPLE.org ", "zofia.w@example.org"),
        ("email", "zofia", None),
        ("phone", "600-123-456", "600123456"),
        ("phone", "+48 600 123 456", "600123456"),
        ("phone", "0048600123456", "600123456"),
        ("phone", "48600123456", "600123456"),
        ("phone", "+380 44 123 4567", "+380441234567"),
        ("phone", "12", None),
    ],
)
def test_values_are_normalised_before_they_are_indexed(
    kind: str, value: str, normal: str | None
) -> None:
    assert normalise(kind, value) == normal


def test_only_digests_are_stored(app: Flask, world: World) -> None:
    make_request(answers=ZOFIA)
    rows = db.session.execute(text("SELECT kind, digest, key_id FROM request_identifiers")).all()
    assert sorted(r[0] for r in rows) == ["email", "pesel", "phone"]
    stored = " ".join(str(c) for r in rows for c in r)
    assert PESEL not in stored and "zofia" not in stored.lower() and "600123456" not in stored
    # Keyed: the digest is not the plain SHA-256 of the value.
    assert hashlib.sha256(PESEL.encode()).hexdigest() not in stored


@pytest.mark.parametrize(
    ("kind", "value"),
    [("pesel", PESEL), ("email", "zofia.w@example.org"), ("phone", "600 123 456")],
)
def test_a_manager_finds_every_request_of_one_person(
    client: FlaskClient, world: World, kind: str, value: str
) -> None:
    first = make_request(answers=ZOFIA)
    second = make_request(answers={**ZOFIA, "phone": "600123456", "email": "zofia.w@example.org"})
    make_request(answers={"full_name": "Ktoś Inny", "pesel": "02270803628"})
    make_request("gostynin", answers=ZOFIA)  # another centre's: never found here
    log_in(client, world.manager)
    assert sorted(_found(_search(client, kind, value))) == sorted([first, second])
    event = _events("person_search")[0]
    assert event.detail == f"kind={kind} found=2" and value not in event.detail


def test_a_search_that_finds_nothing_and_one_that_makes_no_sense(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    assert "Nie znaleziono zgłoszeń tej osoby" in _search(client, "pesel", "02270803628")
    html = _search(client, "pesel", "123")
    assert "nie wygląda na numer PESEL" in html and "data-error-summary" in html


def test_the_blind_index_finds_a_person_after_rotate_key(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rid = make_request(answers=ZOFIA)
    before = db.session.scalars(db.select(RequestIdentifier.digest).order_by(RequestIdentifier.id))
    old_digests = list(before)
    new = Keyring.generate_value("t2")
    app.config["PORTAL_DATA_KEY"] = f"{new},{TEST_DATA_KEY}"
    result = app.test_cli_runner().invoke(args=["rotate-key"])
    assert result.exit_code == 0, result.output
    app.config["PORTAL_DATA_KEY"] = new  # the old key is gone for good
    db.session.expire_all()
    rows = list(db.session.scalars(db.select(RequestIdentifier).order_by(RequestIdentifier.id)))
    assert {r.key_id for r in rows} == {"t2"}
    assert [r.digest for r in rows] != old_digests  # recomputed, not copied
    log_in(client, world.manager)
    for kind, value in (("pesel", PESEL), ("email", "ZOFIA.W@example.org"), ("phone", "600123456")):
        assert _found(_search(client, kind, value)) == [rid]


def test_a_search_during_a_rotation_finds_both_keys(app: Flask, world: World) -> None:
    old = make_request(answers=ZOFIA)
    app.config["PORTAL_DATA_KEY"] = f"{Keyring.generate_value('t2')},{TEST_DATA_KEY}"
    new = make_request(answers=ZOFIA)  # indexed under t2, the first one still under t1
    from portal.auth.models import User
    from portal.panel.rights import find

    manager = db.session.get_one(User, world.manager.id)
    assert sorted(r.id for r in find(manager, "pesel", PESEL)) == sorted([old, new])


def test_export_of_everything_held_about_the_person(client: FlaskClient, world: World) -> None:
    rid = make_request(answers=ZOFIA, files=[("zaświadczenie.pdf", PDF)])
    log_in(client, world.manager)
    client.post(f"/panel/zgloszenia/{rid}/notatki", data={"note-text": "Telefon po 15."})
    client.post(
        f"/panel/zgloszenia/{rid}/wiadomosci", data={"message-text": "Prosimy o zaświadczenie."}
    )
    found = _found(_search(client, "pesel", PESEL))
    response = client.post("/panel/osoba/eksport", data={"request": [str(i) for i in found]})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    reference = db.session.get_one(Request, rid).reference
    names = archive.namelist()
    assert f"{reference}/zgloszenie.json" in names and f"{reference}/{reference}.pdf" in names
    assert f"{reference}/pliki/1-zaświadczenie.pdf" in names
    assert archive.read(f"{reference}/pliki/1-zaświadczenie.pdf") == PDF
    data = json.loads(archive.read(f"{reference}/zgloszenie.json"))
    assert {"question": "Imię i nazwisko", "answer": "Zofia Wiśniewska"} in data["answers"]
    assert data["notes"][0]["text"] == "Telefon po 15."
    assert data["messages"][0]["text"] == "Prosimy o zaświadczenie."
    assert data["files"][0]["sha256"] and data["due_date"]
    event = _events("person_export")[0]
    assert event.request_id == rid and PESEL not in event.detail


def test_erasure_with_a_reason(client: FlaskClient, world: World) -> None:
    keep = make_request(answers={"full_name": "Ktoś Inny"})
    rid = make_request(answers=ZOFIA, files=[("zaświadczenie.pdf", PDF)])
    log_in(client, world.manager)
    client.post(f"/panel/zgloszenia/{rid}/notatki", data={"note-text": "x"})
    client.post(f"/panel/zgloszenia/{rid}/wiadomosci", data={"message-text": "y"})
    found = [str(i) for i in _found(_search(client, "email", "zofia.w@example.org"))]
    # Without the confirmation, or without a reason, nothing is erased.
    response = client.post(
        "/panel/osoba/usun", data={"request": found, "erase-reason": "art17_request"}
    )
    assert response.status_code == 400 and "Potwierdź" in response.text
    response = client.post("/panel/osoba/usun", data={"request": found, "erase-confirm": "y"})
    assert response.status_code == 400 and "Wybierz powód usunięcia." in response.text
    assert db.session.get(Request, rid) is not None
    response = client.post(
        "/panel/osoba/usun",
        data={"request": found, "erase-reason": "art17_request", "erase-confirm": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Request, rid) is None and db.session.get(Request, keep) is not None
    for child in (Attachment, Note, Message, RequestIdentifier):
        left = db.session.scalars(db.select(child).where(child.request_id == rid)).all()
        assert left == [], child
    event = _events("person_erase")[0]
    assert event.detail == "reason=art17_request requests=1" and event.request_id is None
    # The request's earlier events stay, with nothing that leads back to it.
    assert _events("note") and all(e.request_id is None for e in _events("note"))
    log = client.get("/panel/dziennik").text
    assert "Usunięcie danych osoby (art. 17 RODO): Żądanie osoby (art. 17 RODO)" in log
    assert PESEL not in log and "zofia" not in log.lower()


def test_another_centres_requests_cannot_be_exported_or_erased(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.manager)
    other = str(world.other_request_id)
    response = client.post(
        "/panel/osoba/usun",
        data={"request": [other], "erase-reason": "art17_request", "erase-confirm": "y"},
    )
    assert response.status_code == 302
    assert db.session.get(Request, world.other_request_id) is not None
    assert client.post("/panel/osoba/eksport", data={"request": [other]}).status_code == 302
    assert _events("person_export") == [] and _events("person_erase") == []


def test_only_managers(client: FlaskClient, world: World) -> None:
    for who in (world.worker, world.admin):
        log_in(client, who)
        assert client.get("/panel/osoba").status_code == 403
        data = {"person-kind": "pesel", "person-value": PESEL}
        assert client.post("/panel/osoba", data=data).status_code == 403


def test_index_people_builds_what_is_missing(app: Flask, world: World) -> None:
    rid = make_request(answers=ZOFIA)
    db.session.execute(text("DELETE FROM request_identifiers"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["index-people"])
    assert result.exit_code == 0 and "1 requests indexed" in result.output
    kinds = db.session.scalars(
        db.select(RequestIdentifier.kind).where(RequestIdentifier.request_id == rid)
    ).all()
    assert sorted(kinds) == ["email", "pesel", "phone"]
    again = app.test_cli_runner().invoke(args=["index-people"])
    assert "0 requests indexed" in again.output
