"""The confirmation and status pages say what happened and what comes next;
the status page lets the applicant withdraw (a POST with CSRF, then a confirmation)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.clock import add_working_days, local_day
from portal.core.extensions import db
from portal.core.settings import DEV_BASE_URL
from portal.referrals.lifecycle import received_day
from portal.referrals.models import Request
from tests.conftest import make_app
from tests.referrals.helpers import PARENT, form_key, parent_answers

STATUS_LINK = re.compile(rf'href="{re.escape(DEV_BASE_URL)}(/(?:en/|uk/)?status/([^"/]+))"')


def send(client: FlaskClient, **changes: object) -> tuple[str, str]:
    """Send a parent's request; the confirmation page and the status path."""
    data = parent_answers(form_key(client, PARENT), **changes)
    sent = client.post(PARENT, data={**data, "step": "submit"})
    html = client.get(sent.headers["Location"]).text
    link = STATUS_LINK.search(html)
    assert link
    return html, link.group(1)


def only_request(app: Flask) -> Request:
    with app.app_context():
        req = db.session.scalars(select(Request)).one()
        db.session.expunge(req)
        return req


def test_confirmation_says_whether_an_email_was_sent(client: FlaskClient) -> None:
    with_email, _ = send(client)
    assert "Na adres e-mail podany w formularzu wysyłamy wiadomość" in with_email
    assert "zofia@example.org" not in with_email  # whether, never the address itself
    without, _ = send(client, email="")
    assert "Nie podano adresu e-mail, więc nie wyślemy wiadomości" in without


def test_confirmation_heading_says_what_was_sent_and_where(client: FlaskClient) -> None:
    html, _ = send(client)
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert heading and heading.group(1).strip() == "Twoja prośba została wysłana"
    assert "<title>Twoja prośba została wysłana" in html
    assert 'Wysłano do: <span lang="pl">Gminny Ośrodek Pomocy Społecznej w Tomicach</span>' in html


def test_confirmation_offers_to_copy_the_status_link(client: FlaskClient) -> None:
    html, _ = send(client)
    assert f'<a id="status-link" href="{DEV_BASE_URL}/status/' in html
    assert re.search(r'<button type="button"[^>]*data-copy="status-link"[^>]*hidden>', html)
    assert 'data-copy-done="Link skopiowany."' in html


def test_status_page_shows_the_date_sent_and_when_to_expect_an_answer(
    app: Flask, client: FlaskClient
) -> None:
    _html, status_path = send(client)
    req = only_request(app)
    # Tomice answers in 5 working days and closes at 15:30: a request sent later (or on a
    # day off) counts from the next working day.
    due = add_working_days(received_day(req.created_at, time(15, 30)), 5)
    with app.test_request_context(), force_locale("pl"):
        sent_on = str(format_date(local_day(req.created_at), "long"))
        due_on = str(format_date(due, "long"))
    html = client.get(status_path).text
    assert f"<dt>Wysłano</dt><dd>{sent_on}</dd>" in html
    assert f"odezwie się do Ciebie najpóźniej {due_on}" in html


def withdraw_form(html: str) -> tuple[str, str]:
    form = re.search(r'<form method="post" action="([^"]+/wycofaj)">(.*?)</form>', html, re.S)
    assert form, "the status page has a withdraw form"
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(2))
    assert token, "the withdraw form carries a CSRF token"
    return form.group(1), token.group(1)


def test_withdraw_asks_first_then_marks_the_request_withdrawn(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get(PARENT).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    data = {**parent_answers(form_key(client, PARENT)), "csrf_token": csrf.group(1)}
    sent = client.post(PARENT, data={**data, "step": "submit"})
    status_path = STATUS_LINK.search(client.get(sent.headers["Location"]).text)
    assert status_path
    status = client.get(status_path.group(1)).text
    action, token = withdraw_form(status)

    ask = client.post(action, data={"csrf_token": token, "step": "ask"})
    assert ask.status_code == 200 and "Czy na pewno chcesz wycofać zgłoszenie?" in ask.text
    assert only_request(app).status == "new"  # asking changes nothing
    confirm_action, confirm_token = withdraw_form(ask.text)

    done = client.post(confirm_action, data={"csrf_token": confirm_token, "step": "confirm"})
    assert done.status_code == 303 and done.headers["Location"].endswith(status_path.group(1))
    req = only_request(app)
    assert req.status == "withdrawn" and req.close_reason == "applicant_withdrew"
    assert req.retention_until is not None
    after = client.get(status_path.group(1)).text
    assert "Zgłoszenie zostało wycofane" in after and "/wycofaj" not in after
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "withdraw")).one()
        assert event.request_id == req.id and event.actor_id is None
        assert event.detail == "new->withdrawn reason=applicant_withdrew"


def test_withdraw_without_csrf_is_refused(tmp_path: Path) -> None:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(PARENT).text)
    assert csrf
    data = {**parent_answers(form_key(client, PARENT)), "csrf_token": csrf.group(1)}
    sent = client.post(PARENT, data={**data, "step": "submit"})
    status_path = STATUS_LINK.search(client.get(sent.headers["Location"]).text)
    assert status_path
    refused = client.post(status_path.group(1) + "/wycofaj", data={"step": "confirm"})
    assert refused.status_code == 400 and "Formularz wygasł" in refused.text
    assert only_request(app).status == "new"


def test_withdraw_of_a_closed_request_changes_nothing(app: Flask, client: FlaskClient) -> None:
    _html, status_path = send(client)
    with app.app_context():
        db.session.scalars(select(Request)).one().status = "closed"
        db.session.commit()
    assert "/wycofaj" not in client.get(status_path).text
    again = client.post(status_path + "/wycofaj", data={"step": "confirm"})
    assert again.status_code == 303 and only_request(app).status == "closed"
    with app.app_context():
        assert (
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == "withdraw")).all()
            == []
        )


def test_withdraw_with_a_bad_link_is_the_link_error_page(client: FlaskClient) -> None:
    response = client.post("/status/nie-ma-takiego/wycofaj", data={"step": "confirm"})
    assert response.status_code == 404 and "Link nie działa" in response.text
