"""One request: answers and files, status path, assignment, notes, dates, downloads."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.audit.models import AuditEvent
from portal.core.clock import add_months, utcnow
from portal.core.extensions import db
from portal.panel.models import Note
from portal.referrals.models import Request
from tests.panel.conftest import World
from tests.panel.factories import PDF, log_in, make_request


def _req(rid: int) -> Request:
    db.session.expire_all()
    req = db.session.get(Request, rid)
    assert req is not None
    return req


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def _status(client: FlaskClient, rid: int, status: str, **extra: str) -> TestResponse:
    data = {"status-status": status, **{f"status-{k}": v for k, v in extra.items()}}
    return client.post(f"/panel/zgloszenia/{rid}/status", data=data)


def test_page_shows_answers_with_their_questions_and_files(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.worker)
    page = client.get(f"/panel/zgloszenia/{world.request_id}")
    assert page.status_code == 200
    assert "<dt>Imię i nazwisko</dt><dd>Zofia Testowa</dd>" in page.text
    assert "zaświadczenie.pdf" in page.text
    assert f"/panel/zgloszenia/{world.request_id}/pliki/{world.attachment_id}" in page.text
    assert [e.request_id for e in _events("view")] == [world.request_id]


def test_download_is_an_attachment_never_rendered(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    response = client.get(f"/panel/zgloszenia/{world.request_id}/pliki/{world.attachment_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "zaświadczenie.pdf" in response.headers["Content-Disposition"].replace(
        "za%C5%9Bwiadczenie", "zaświadczenie"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["Cache-Control"] == "no-store"
    assert [e.detail for e in _events("download")] == [f"file={world.attachment_id}"]


def test_the_real_path_of_statuses(app: Flask, client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    rid = world.request_id
    # A step may not be skipped.
    assert _status(client, rid, "assistant_assigned").status_code == 400
    for step in ("in_review", "interview_scheduled", "assistant_assigned"):
        assert _status(client, rid, step).status_code == 302
    req = _req(rid)
    assert req.status == "assistant_assigned"
    months = app.config["PORTAL_RETENTION_MONTHS"]
    assert req.retention_until == add_months(utcnow().date(), months)
    # A final status is final.
    assert _status(client, rid, "closed", reason="duplicate").status_code == 400
    details = [e.detail for e in _events("status")]
    assert details == [
        "new->in_review",
        "in_review->interview_scheduled",
        "interview_scheduled->assistant_assigned",
    ]


def test_closing_needs_a_reason(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    response = _status(client, world.request_id, "closed")
    assert response.status_code == 400 and "Wybierz powód zamknięcia" in response.text
    assert 'href="#status-reason"' in response.text  # the summary links to the field
    assert _status(client, world.request_id, "closed", reason="duplicate").status_code == 302
    req = _req(world.request_id)
    assert req.status == "closed" and req.close_reason == "duplicate"
    assert _events("status")[0].detail == "new->closed reason=duplicate"


def test_other_reason_needs_a_note_kept_as_an_internal_note(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.worker)
    assert _status(client, world.request_id, "closed", reason="other").status_code == 400
    note = "Rodzina przeprowadziła się do Krakowa."
    assert _status(client, world.request_id, "closed", reason="other", note=note).status_code == 302
    assert all(note not in e.detail for e in db.session.scalars(db.select(AuditEvent)))
    stored = db.session.scalars(db.select(Note)).one()
    assert note.encode() not in stored.text
    assert note in client.get(f"/panel/zgloszenia/{world.request_id}").text


def test_a_stale_form_does_not_overwrite_a_newer_status(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    _status(client, world.request_id, "in_review")
    stale = _status(client, world.request_id, "closed", reason="duplicate", expected="new")
    assert stale.status_code == 400 and "Ktoś właśnie zmienił status" in stale.text
    assert _req(world.request_id).status == "in_review"


def test_notes_are_encrypted_and_shown_with_author(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    text = "Matka w ciąży, termin porodu w marcu."
    response = client.post(
        f"/panel/zgloszenia/{world.request_id}/notatki", data={"note-text": text}
    )
    assert response.status_code == 302
    note = db.session.scalars(db.select(Note)).one()
    assert text.encode() not in note.text and note.author_id == world.worker.id
    page = client.get(f"/panel/zgloszenia/{world.request_id}").text
    assert text in page
    assert [e.detail for e in _events("note")] == [f"note={note.id}"]


def test_empty_note_is_refused(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    response = client.post(f"/panel/zgloszenia/{world.request_id}/notatki", data={"note-text": ""})
    assert response.status_code == 400 and 'href="#note-text"' in response.text


def test_interview_and_consent_dates(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    base = f"/panel/zgloszenia/{world.request_id}"
    assert client.post(base + "/wywiad", data={"interview-day": "2026-12-03"}).status_code == 302
    assert client.post(base + "/zgoda", data={"consent-day": "2026-11-20"}).status_code == 302
    req = _req(world.request_id)
    assert req.interview_date == date(2026, 12, 3) and req.consent_date == date(2026, 11, 20)
    # Dates stay out of the audit trail.
    assert [e.detail for e in _events("interview")] == ["set"]
    assert client.post(base + "/wywiad", data={"interview-day": ""}).status_code == 302
    assert _req(world.request_id).interview_date is None
    future = client.post(base + "/zgoda", data={"consent-day": "2999-01-01"})
    assert future.status_code == 400
    bad = client.post(base + "/zgoda", data={"consent-day": "jutro"})
    assert bad.status_code == 400 and 'href="#consent-day"' in bad.text


def test_worker_takes_an_unassigned_request_but_not_someone_elses(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.worker)
    rid = world.request_id
    take = client.post(
        f"/panel/zgloszenia/{rid}/prowadzacy", data={"assign-assignee": str(world.worker.id)}
    )
    assert take.status_code == 302 and _req(rid).assignee_id == world.worker.id
    give = client.post(
        f"/panel/zgloszenia/{rid}/prowadzacy", data={"assign-assignee": str(world.manager.id)}
    )
    assert give.status_code == 400 and _req(rid).assignee_id == world.worker.id
    taken = make_request(assignee_id=world.manager.id)
    steal = client.post(
        f"/panel/zgloszenia/{taken}/prowadzacy", data={"assign-assignee": str(world.worker.id)}
    )
    assert steal.status_code == 400 and _req(taken).assignee_id == world.manager.id


def test_manager_assigns_within_the_centre_only(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    rid = world.request_id
    ok = client.post(
        f"/panel/zgloszenia/{rid}/prowadzacy", data={"assign-assignee": str(world.worker.id)}
    )
    assert ok.status_code == 302 and _req(rid).assignee_id == world.worker.id
    other = client.post(
        f"/panel/zgloszenia/{rid}/prowadzacy", data={"assign-assignee": str(world.other_worker.id)}
    )
    assert other.status_code == 400 and _req(rid).assignee_id == world.worker.id
    nobody = client.post(f"/panel/zgloszenia/{rid}/prowadzacy", data={"assign-assignee": ""})
    assert nobody.status_code == 302 and _req(rid).assignee_id is None
    assert [e.detail for e in _events("assign")] == [f"user={world.worker.id}", "user=none"]


@pytest.mark.parametrize("lang,word", [("en", '<html lang="en">'), ("uk", '<html lang="uk">')])
def test_request_page_in_another_panel_language(
    client: FlaskClient, world: World, lang: str, word: str
) -> None:
    log_in(client, world.worker)
    page = client.get(f"/panel/zgloszenia/{world.request_id}?lang={lang}")
    assert page.status_code == 200 and word in page.text
    assert "Full name" in page.text if lang == "en" else "прізвище" in page.text
