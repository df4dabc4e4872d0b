"""TOTP enrolment at the first login, wrong and reused codes, recovery codes, resets."""

from __future__ import annotations

import re
import time

import pyotp
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.auth import totp
from portal.auth.models import RecoveryCode, TotpEnrolment, User
from portal.core.extensions import db
from tests.panel.conftest import World
from tests.panel.factories import PASSWORD, current_code, log_in, make_user
from tests.panel.helpers import code_step, password_step

SECRET_RE = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
CODE_RE = re.compile(r"<li><code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code></li>")


def _enrol_page(client: FlaskClient, email: str) -> str:
    first = password_step(client, email)
    assert first.headers["Location"] == "/panel/dwuetapowe"
    # No second factor yet: the second step sends the user to enrolment.
    assert client.get("/panel/dwuetapowe").headers["Location"] == "/panel/dwuetapowe/konfiguracja"
    page = client.get("/panel/dwuetapowe/konfiguracja")
    assert page.status_code == 200
    return page.text


def _secret(page: str) -> str:
    match = SECRET_RE.search(page)
    assert match, "the secret is shown as text"
    return match.group(1).replace(" ", "")


def test_enrolment_shows_a_server_drawn_qr_code_and_the_secret(client: FlaskClient) -> None:
    make_user("nowy@tomice.example.org", totp=False)
    page = _enrol_page(client, "nowy@tomice.example.org")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "aria-label=" in svg
    assert "style" not in svg and "<script" not in svg
    assert len(_secret(page)) == 32
    # Reloading keeps the same secret, so a half-done scan still works.
    assert _secret(client.get("/panel/dwuetapowe/konfiguracja").text) == _secret(page)
    # The pending secret is stored encrypted.
    pending = db.session.scalars(db.select(TotpEnrolment)).one()
    assert _secret(page).encode() not in pending.secret


def test_enrolment_needs_a_right_code_then_shows_recovery_codes(client: FlaskClient) -> None:
    staff = make_user("nowy@tomice.example.org", totp=False)
    secret = _secret(_enrol_page(client, staff.email))
    wrong = client.post("/panel/dwuetapowe/konfiguracja", data={"code": "123456"})
    assert wrong.status_code == 400 and "Nieprawidłowy kod" in wrong.text
    done = client.post("/panel/dwuetapowe/konfiguracja", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = CODE_RE.findall(done.text)
    assert len(codes) == 10
    user = db.session.get(User, staff.id)
    assert user is not None and user.totp_enabled
    stored = list(db.session.scalars(db.select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)
    assert client.get("/panel/").status_code == 200  # logged in
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert "totp_enrolled" in actions and "login" in actions


def test_enrolment_page_needs_the_password_step(client: FlaskClient) -> None:
    assert client.get("/panel/dwuetapowe/konfiguracja").headers["Location"] == "/panel/logowanie"


def test_enrolled_account_cannot_enrol_again(client: FlaskClient, world: World) -> None:
    password_step(client, world.worker.email)
    response = client.get("/panel/dwuetapowe/konfiguracja")
    assert response.headers["Location"] == "/panel/dwuetapowe"


def test_wrong_code_is_refused(client: FlaskClient, world: World) -> None:
    password_step(client, world.worker.email)
    response = code_step(client, "000000")
    assert response.status_code == 400 and "Nieprawidłowy kod." in response.text
    assert client.get("/panel/").status_code == 302


def test_a_code_works_once(client: FlaskClient, world: World) -> None:
    code = current_code(world.worker)
    password_step(client, world.worker.email)
    assert code_step(client, code).status_code == 302
    client.post("/panel/wyloguj")
    password_step(client, world.worker.email)
    assert code_step(client, code).status_code == 400


def test_codes_of_a_neighbouring_time_step_are_accepted_older_ones_not(world: World) -> None:
    user = db.session.get(User, world.worker.id)
    assert user is not None and world.worker.secret is not None
    now = time.time()
    previous = pyotp.TOTP(world.worker.secret).at(now - 30)
    assert totp.verify_code(user, previous, now=now)
    assert not totp.verify_code(user, previous, now=now)  # replay
    too_old = pyotp.TOTP(world.worker.secret).at(now - 120)
    assert not totp.verify_code(user, too_old, now=now)


def test_recovery_code_logs_in_once(client: FlaskClient) -> None:
    staff = make_user("nowy@tomice.example.org", totp=False)
    secret = _secret(_enrol_page(client, staff.email))
    done = client.post("/panel/dwuetapowe/konfiguracja", data={"code": pyotp.TOTP(secret).now()})
    code = CODE_RE.findall(done.text)[0]
    client.post("/panel/wyloguj")
    password_step(client, staff.email)
    assert code_step(client, code.lower()).status_code == 302  # case and dashes do not matter
    client.post("/panel/wyloguj")
    password_step(client, staff.email)
    assert code_step(client, code).status_code == 400
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert actions.count("recovery_code_used") == 1


def test_manager_resets_second_factor(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    response = client.post(f"/panel/konta/{world.worker.id}/dwuetapowe")
    assert response.status_code == 302
    user = db.session.get(User, world.worker.id)
    assert user is not None and not user.totp_enabled
    worker = client.application.test_client()
    password_step(worker, world.worker.email, PASSWORD)
    assert worker.get("/panel/dwuetapowe").headers["Location"] == "/panel/dwuetapowe/konfiguracja"
    query = db.select(AuditEvent).where(AuditEvent.action == "account_reset_2fa")
    assert [e.detail for e in db.session.scalars(query)] == [f"user={world.worker.id}"]


def test_a_pending_secret_under_a_retired_key_is_replaced(client: FlaskClient) -> None:
    make_user("nowy@tomice.example.org", totp=False)
    first = _secret(_enrol_page(client, "nowy@tomice.example.org"))
    pending = db.session.scalars(db.select(TotpEnrolment)).one()
    pending.key_id = "retired"
    db.session.commit()
    again = client.get("/panel/dwuetapowe/konfiguracja")
    assert again.status_code == 200 and _secret(again.text) != first
