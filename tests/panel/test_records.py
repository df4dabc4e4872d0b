"""Records the centre keeps: the request as a PDF, the audit log in words, the history."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from portal.audit import record
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.models import Note
from tests.panel.conftest import World
from tests.panel.factories import PDF, log_in, make_request

ANSWERS = {"full_name": "Олена Шевченко-Wiśniewska", "description": "Źdźbło, łąka, їжак."}


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def _name(staff_id: int, name: str) -> None:
    db.session.get_one(User, staff_id).display_name = name
    db.session.commit()


def test_the_request_as_a_pdf_for_the_paper_file(client: FlaskClient, world: World) -> None:
    _name(world.worker.id, "Anna Kowalska")
    rid = make_request(
        answers=ANSWERS,
        files=[("zaświadczenie.pdf", PDF)],
        assignee_id=world.worker.id,
        due=date(2026, 12, 4),
    )
    log_in(client, world.worker)
    client.post(
        f"/panel/zgloszenia/{rid}/status",
        data={"status-status": "in_review", "status-expected": "new"},
    )
    client.post(f"/panel/zgloszenia/{rid}/notatki", data={"note-text": "Notatka poufna."})
    response = client.get(f"/panel/zgloszenia/{rid}/wydruk.pdf?notatki=1")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    text = _pdf_text(response.data)
    reference = re.search(r"TOM-2026-\w{5}", text)
    assert reference is not None
    # Polish and Ukrainian letters come out as they went in: the font is embedded.
    assert "Олена Шевченко-Wiśniewska" in text and "Źdźbło, łąka, їжак." in text
    assert b"/FontFile2" in response.data
    assert hashlib.sha256(PDF).hexdigest() in text.replace("\n", "")
    assert "zaświadczenie.pdf" in text and "4 gru 2026" in text
    assert "Zmiana statusu: Nowe → W analizie" in text and "Anna Kowalska" in text
    # A worker's print never carries the notes, whatever the address says.
    assert "Notatka poufna." not in text
    assert _events("print")[0].detail == "notes=no"


def test_a_manager_chooses_to_print_the_notes(client: FlaskClient, world: World) -> None:
    rid = make_request()
    note = Note(request_id=rid, author_id=world.worker.id)
    note.seal(text=b"Rodzina prosi o kontakt po 16.")
    db.session.add(note)
    db.session.commit()
    log_in(client, world.manager)
    page = client.get(f"/panel/zgloszenia/{rid}").text
    assert "Z notatkami wewnętrznymi" in page
    without = _pdf_text(client.get(f"/panel/zgloszenia/{rid}/wydruk.pdf").data)
    with_notes = _pdf_text(client.get(f"/panel/zgloszenia/{rid}/wydruk.pdf?notatki=1").data)
    assert "Rodzina prosi o kontakt po 16." not in without
    assert "Rodzina prosi o kontakt po 16." in with_notes
    assert [e.detail for e in _events("print")] == ["notes=no", "notes=yes"]
    log_in(client, world.worker)
    assert "Z notatkami wewnętrznymi" not in client.get(f"/panel/zgloszenia/{rid}").text


def test_no_pdf_of_another_centres_request(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    assert client.get(f"/panel/zgloszenia/{world.other_request_id}/wydruk.pdf").status_code == 404
    assert _events("print") == []


def test_without_the_font_the_panel_says_what_to_install(
    app: Flask, client: FlaskClient, world: World, tmp_path: object
) -> None:
    app.config["PORTAL_PDF_FONT_DIR"] = str(tmp_path)
    log_in(client, world.worker)
    response = client.get(f"/panel/zgloszenia/{world.request_id}/wydruk.pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "fonts-dejavu-core" in page


def test_views_fold_into_one_line(app: Flask, client: FlaskClient, world: World) -> None:
    _name(world.manager.id, "Jan Nowak")
    rid = world.request_id
    log_in(client, world.worker)
    for _ in range(8):
        client.get(f"/panel/zgloszenia/{rid}")
    client.post(f"/panel/zgloszenia/{rid}/notatki", data={"note-text": "x"})
    log_in(client, world.manager)
    page = client.get(f"/panel/zgloszenia/{rid}").text
    assert re.search(r"Otwarte 9 razy, ostatnio: Jan Nowak, \d", page)
    history = page[page.index('id="history-caption"') :]
    assert "Otwarcie zgłoszenia" not in history and "Notatka" in history


def test_the_audit_log_reads_in_words_with_references(
    app: Flask, client: FlaskClient, world: World
) -> None:
    _name(world.worker.id, "Anna Kowalska")
    rid = make_request(reference="TOM-2026-LOG01", due=date(2026, 12, 4))
    log_in(client, world.worker)
    client.post(
        f"/panel/zgloszenia/{rid}/status",
        data={"status-status": "in_review", "status-expected": "new"},
    )
    client.post(f"/panel/zgloszenia/{rid}/prowadzacy", data={"assign-assignee": world.worker.id})
    record(
        "due_date",
        centre_slug="tomice",
        actor_id=world.worker.id,
        request_id=rid,
        detail="2026-12-04->2026-12-11 reason=documents_awaited",
    )
    db.session.commit()
    log_in(client, world.manager)
    log = client.get("/panel/dziennik").text
    assert "TOM-2026-LOG01" in log and f">#{rid}<" not in log
    assert "Zmiana statusu: Nowe → W analizie" in log
    assert "Przydzielenie: Anna Kowalska" in log
    assert "Zmiana terminu odpowiedzi: 4 gru 2026 → 11 gru 2026 (Czekamy na dokumenty)" in log
    assert "reason=" not in log and "user=" not in log


def test_the_audit_log_filters(app: Flask, client: FlaskClient, world: World) -> None:
    first = make_request(reference="TOM-2026-FLT01")
    second = make_request(reference="TOM-2026-FLT02")
    log_in(client, world.worker)
    client.get(f"/panel/zgloszenia/{first}")
    client.post(f"/panel/zgloszenia/{second}/notatki", data={"note-text": "x"})
    other = app.test_client()
    log_in(other, world.manager)
    other.get(f"/panel/zgloszenia/{second}")

    def rows(query: str) -> list[str]:
        html = other.get(f"/panel/dziennik?{query}").text
        return re.findall(r"<tr>\s*<td>.*?</tr>", html, flags=re.S)

    by_worker = rows(f"kto={world.worker.id}")
    assert by_worker and all("pracownik@tomice" in r for r in by_worker)
    notes = rows("co=note")
    assert len(notes) == 1 and "TOM-2026-FLT02" in notes[0]
    by_reference = rows("numer=tom-2026-flt01")
    assert by_reference and all("TOM-2026-FLT01" in r for r in by_reference)
    assert rows("od=2020-01-01&do=2020-01-31") == []
    # The choice of people is the manager's own centre only.
    html = other.get("/panel/dziennik").text
    assert world.other_worker.email not in html
    assert other.get("/panel/dziennik?kto=999999999999&co=nonsense&od=x").status_code == 200
