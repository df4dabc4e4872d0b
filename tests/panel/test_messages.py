"""Talking with the applicant: a question from the request page, news of a step, the reply
on the status page; encrypted at rest, audited, and mail that only says there is news."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from portal.audit.models import AuditEvent
from portal.core.extensions import db
from portal.notifications.mail import read
from portal.notifications.models import OutboxMessage
from portal.referrals.models import Attachment, Message, Request
from portal.referrals.status import make_token
from tests.panel.conftest import World
from tests.panel.factories import PDF, log_in, make_request
from tests.referrals.helpers import pdf_bytes

QUESTION = "Prosimy o dosłanie zaświadczenia lekarskiego."
ANSWERS = {"full_name": "Zofia Testowa", "email": "zofia@example.org", "city": "Tomice"}


def _token(app: Flask, rid: int) -> str:
    token = make_token(db.session.get_one(Request, rid))
    db.session.commit()  # a status link is a stored row
    return token


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def _mail() -> list[tuple[str, str, str]]:
    rows = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id))
    return [(m.to, m.subject, m.body) for m in map(read, rows)]


def _ask(client: FlaskClient, rid: int, words: str = QUESTION) -> None:
    response = client.post(f"/panel/zgloszenia/{rid}/wiadomosci", data={"message-text": words})
    assert response.status_code == 302, response.text


def _form_key(html: str) -> str:
    match = re.search(r'name="form_key" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="form_key" name="form_key" type="hidden" value="([^"]+)"', html
    )
    assert match, "the reply form carries its key"
    return match.group(1)


def test_the_request_page_warns_before_anything_is_written(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.worker)
    html = client.get(f"/panel/zgloszenia/{world.request_id}").text
    assert "Każdy, kto ma link do strony sprawy, może przeczytać tę wiadomość." in html
    assert "nie podała adresu e-mail" in html  # the world's request gave none


def test_a_question_is_encrypted_audited_and_mailed_without_its_words(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rid = make_request(answers=ANSWERS)
    log_in(client, world.worker)
    assert (
        "Osoba zgłaszająca dostanie e-mail tylko z informacją"
        in client.get(f"/panel/zgloszenia/{rid}").text
    )
    _ask(client, rid)
    message = db.session.scalars(db.select(Message)).one()
    assert message.sender == "centre" and message.kind == "question"
    assert message.author_id == world.worker.id
    raw = db.session.execute(text("SELECT body FROM messages")).scalar_one()
    assert QUESTION.encode() not in bytes(raw) and "dosłanie".encode() not in bytes(raw)
    event = _events("message_question")[0]
    assert event.detail == f"message={message.id} mail=yes" and event.request_id == rid
    [(to, subject, body)] = _mail()
    assert to == "zofia@example.org"
    assert "ma pytanie" in body and "/status/" in body
    assert "zaświadczenia" not in body + subject and "Zofia" not in body + subject
    # The question is on the request page, under its author's name.
    assert QUESTION in client.get(f"/panel/zgloszenia/{rid}").text


def test_no_address_no_mail(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    _ask(client, world.request_id)
    assert _mail() == []
    assert _events("message_question")[0].detail.endswith("mail=no")


def test_an_empty_question_is_refused_and_another_centre_is_not_found(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.worker)
    response = client.post(
        f"/panel/zgloszenia/{world.request_id}/wiadomosci", data={"message-text": "  "}
    )
    assert response.status_code == 400 and "Wpisz treść wiadomości." in response.text
    response = client.post(
        f"/panel/zgloszenia/{world.other_request_id}/wiadomosci", data={"message-text": "x"}
    )
    assert response.status_code == 404
    assert db.session.scalars(db.select(Message)).first() is None


def test_the_applicant_reads_the_question_and_replies_with_a_file(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rid = make_request(answers=ANSWERS, assignee_id=world.worker.id)
    log_in(client, world.worker)
    _ask(client, rid)
    applicant = app.test_client()
    token = _token(app, rid)
    page = applicant.get(f"/status/{token}").text
    assert QUESTION in page and "Odpowiedz ośrodkowi" in page
    data = {
        "form_key": _form_key(page),
        "text": "Zaświadczenie w załączniku.",
        "files": (io.BytesIO(pdf_bytes()), "zaswiadczenie.pdf"),
    }
    response = applicant.post(f"/status/{token}/odpowiedz", data=data)
    assert response.status_code == 303
    assert "odpowiedz=wyslana" in response.headers["Location"]
    reply = db.session.scalars(db.select(Message).where(Message.sender == "applicant")).one()
    assert reply.unseal_json("body") == {"text": "Zaświadczenie w załączniku."}
    att = db.session.scalars(db.select(Attachment).where(Attachment.message_id == reply.id)).one()
    assert att.request_id == rid and att.media_type == "application/pdf"
    req = db.session.get_one(Request, rid)
    assert req.reply_waiting is True
    assert _events("reply")[0].detail == f"message={reply.id} files=1"
    # The centre's inbox hears of it, without the words.
    to, subject, body = _mail()[-1]
    assert to == "asystent-tomice@example.org" and req.reference in subject
    assert "Zaświadczenie w załączniku" not in body and "/panel/zgloszenia/" in body
    # The status page thanks, and does not show the applicant's words back.
    after = applicant.get(response.headers["Location"]).text
    assert "Twoja odpowiedź trafiła do ośrodka." in after
    assert "Zaświadczenie w załączniku" not in after and "Dołączono 1 plik." in after


def test_the_queue_marks_the_reply_until_the_assignee_reads_it(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rid = make_request(answers=ANSWERS, assignee_id=world.worker.id)
    log_in(client, world.worker)
    _ask(client, rid)
    applicant = app.test_client()
    token = _token(app, rid)
    key = _form_key(applicant.get(f"/status/{token}").text)
    applicant.post(f"/status/{token}/odpowiedz", data={"form_key": key, "text": "Dzień dobry."})
    queue = client.get("/panel/").text
    assert "Odpowiedź otrzymana" in queue
    assert "Odpowiedzi osób zgłaszających do przeczytania" in queue
    # The manager opening it does not count: the assignee has not read it yet.
    manager = app.test_client()
    log_in(manager, world.manager)
    assert "Odpowiedzi osób zgłaszających" not in manager.get("/panel/").text
    manager.get(f"/panel/zgloszenia/{rid}")
    assert db.session.get_one(Request, rid).reply_waiting is True
    assert "Dzień dobry." in client.get(f"/panel/zgloszenia/{rid}").text
    assert db.session.get_one(Request, rid).reply_waiting is False
    assert "Odpowiedź otrzymana" not in client.get("/panel/").text


def test_a_bad_file_is_explained_and_nothing_is_lost(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rid = make_request(answers=ANSWERS)
    log_in(client, world.worker)
    _ask(client, rid)
    applicant = app.test_client()
    token = _token(app, rid)
    key = _form_key(applicant.get(f"/status/{token}").text)
    data = {
        "form_key": key,
        "text": "Przesyłam dokumenty.",
        "files": [
            (io.BytesIO(b"MZ\x90\x00 not a document"), "program.exe"),
            (io.BytesIO(pdf_bytes()), "dobry.pdf"),
        ],
    }
    response = applicant.post(f"/status/{token}/odpowiedz", data=data)
    assert response.status_code == 400
    assert "Nie możemy przyjąć pliku w tym formacie." in response.text
    assert "Przesyłam dokumenty." in response.text  # the words are kept
    assert "Usuń plik dobry.pdf" in response.text  # the good file is held
    assert (
        db.session.scalars(db.select(Message).where(Message.sender == "applicant")).first() is None
    )
    held = re.findall(r'name="held" value="([^"]+)"', response.text)
    again = {"form_key": key, "text": "Przesyłam dokumenty.", "held": held}
    assert applicant.post(f"/status/{token}/odpowiedz", data=again).status_code == 303
    assert applicant.post(f"/status/{token}/odpowiedz", data=again).status_code == 303
    replies = db.session.scalars(db.select(Message).where(Message.sender == "applicant")).all()
    assert len(replies) == 1  # posted twice, stored once
    names = [a.unseal_text("name") for a in db.session.get_one(Request, rid).attachments]
    assert "dobry.pdf" in names


def test_an_empty_reply_is_refused(app: Flask, client: FlaskClient, world: World) -> None:
    rid = make_request(answers=ANSWERS)
    log_in(client, world.worker)
    _ask(client, rid)
    applicant = app.test_client()
    token = _token(app, rid)
    key = _form_key(applicant.get(f"/status/{token}").text)
    response = applicant.post(f"/status/{token}/odpowiedz", data={"form_key": key, "text": " "})
    assert response.status_code == 400 and "Wpisz odpowiedź albo dodaj plik." in response.text


def test_no_reply_form_before_the_centre_writes(app: Flask, world: World) -> None:
    rid = make_request(answers=ANSWERS)
    applicant = app.test_client()
    token = _token(app, rid)
    assert "Odpowiedz ośrodkowi" not in applicant.get(f"/status/{token}").text
    response = applicant.post(f"/status/{token}/odpowiedz", data={"text": "Halo"})
    assert response.status_code == 303
    assert db.session.scalars(db.select(Message)).first() is None


def test_news_of_a_closing_with_its_reason(app: Flask, client: FlaskClient, world: World) -> None:
    rid = make_request(answers=ANSWERS, status="in_review")
    log_in(client, world.worker)
    response = client.post(
        f"/panel/zgloszenia/{rid}/status",
        data={
            "status-status": "closed",
            "status-reason": "no_contact",
            "status-tell": "y",
            "status-expected": "in_review",
        },
    )
    assert response.status_code == 302
    news = db.session.scalars(db.select(Message)).one()
    assert news.kind == "news" and news.unseal_json("body")["reason"] == "no_contact"
    [(to, subject, body)] = _mail()
    assert to == "zofia@example.org" and "nowa informacja" in body
    page = app.test_client().get(f"/status/{_token(app, rid)}").text
    assert "Nie udało nam się z Tobą skontaktować." in page
    # In the applicant's language too, and without a reply form on a closed request.
    english = app.test_client().get(f"/en/status/{_token(app, rid)}").text
    assert "We could not reach you." in english and "Reply to the centre" not in english


def test_news_of_the_interview_date_only_when_asked(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rid = make_request(answers=ANSWERS, status="in_review")
    log_in(client, world.worker)
    client.post(f"/panel/zgloszenia/{rid}/wywiad", data={"interview-day": "2026-12-10"})
    assert db.session.scalars(db.select(Message)).first() is None
    client.post(
        f"/panel/zgloszenia/{rid}/wywiad",
        data={"interview-day": "2026-12-11", "interview-tell": "y"},
    )
    page = app.test_client().get(f"/status/{_token(app, rid)}").text
    assert "11 grudnia 2026" in page and "wywiadu środowiskowego" in page
    assert _events("message_news")[0].actor_id == world.worker.id


def test_the_panel_lists_reply_files_with_the_request(
    app: Flask, client: FlaskClient, world: World
) -> None:
    rid = make_request(answers=ANSWERS, files=[("wniosek.pdf", PDF)])
    log_in(client, world.worker)
    _ask(client, rid)
    applicant = app.test_client()
    token = _token(app, rid)
    key = _form_key(applicant.get(f"/status/{token}").text)
    applicant.post(
        f"/status/{token}/odpowiedz",
        data={"form_key": key, "files": (io.BytesIO(pdf_bytes()), "skan.pdf")},
    )
    page = client.get(f"/panel/zgloszenia/{rid}").text
    assert "Pobierz: skan.pdf" in page and "z odpowiedzi osoby zgłaszającej" in page
    assert "Pobierz: wniosek.pdf" in page
