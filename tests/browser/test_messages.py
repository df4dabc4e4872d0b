"""Talking with the applicant, end to end in a real browser: a worker asks from the request
page, the applicant reads the question on the status page and replies with a file, the
reply reaches the request and the queue marks it; news of a step reaches the status page.

Both people use the keyboard (the file is chosen with Playwright's file chooser, as a
person would pick it in the system's dialog). axe-core checks every page on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from portal.core.extensions import db
from portal.notifications.mail import read
from portal.notifications.models import OutboxMessage
from portal.referrals.models import Request
from portal.referrals.status import make_token
from tests.browser.conftest import PanelServer
from tests.browser.flows import certificate_file
from tests.browser.panel_flows import (
    check_page,
    choose,
    flash_text,
    full_login,
    main_text,
    new_request,
    new_staff,
    press_button,
    tab,
    type_into,
)

WIDTHS = pytest.mark.parametrize("phone", [False, True], ids=["desktop", "360px"])
PanelPage = Callable[..., Any]
QUESTION = "Prosimy o dosłanie zaświadczenia lekarskiego."
REPLY = "Dzień dobry, zaświadczenie w załączniku."


def _status_path(app: Any, rid: int) -> str:
    with app.app_context():
        token = make_token(db.session.get_one(Request, rid))
        db.session.commit()  # a status link is a stored row
        return f"/status/{token}"


def _outbox(app: Any) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id))
        return [f"{m.to} | {m.subject} | {m.body}" for m in map(read, rows)]


@WIDTHS
def test_a_question_and_a_reply_with_a_file(
    panel_server: PanelServer, panel_page: PanelPage, phone: bool
) -> None:
    app = panel_server.app
    worker = new_staff(app, "tomice", "worker")
    email = f"rodzic-{worker.id}@example.org"
    answers = {"full_name": "Zofia Testowa", "email": email, "city": "Tomice"}
    req = new_request(app, "tomice", answers=answers, assignee_id=worker.id, files=[])
    staff = panel_page(phone=phone)
    full_login(staff, worker)

    # The worker asks, warned that anyone with the status link can read it.
    staff.goto(f"/panel/zgloszenia/{req.id}")
    assert "Każdy, kto ma link do strony sprawy" in main_text(staff)
    type_into(staff, "#message-text", QUESTION)
    press_button(staff, "form[action$='/wiadomosci'] button[type=submit]")
    assert flash_text(staff).startswith("Wiadomość wysłana.")
    assert QUESTION in staff.locator("ol.messages").inner_text()
    check_page(staff, "the request page with a question", phone=phone)
    mail = [m for m in _outbox(app) if m.startswith(email)]
    assert len(mail) == 1 and "ma pytanie" in mail[0] and "zaświadczenia" not in mail[0]

    # The applicant opens the status link (as from the e-mail) and replies with a file.
    applicant = panel_page(phone=phone)
    status = _status_path(app, req.id)
    applicant.goto(status)
    assert QUESTION in main_text(applicant)
    check_page(applicant, "the status page with a question and a reply form", phone=phone)
    type_into(applicant, "#reply-text", REPLY)
    tab(applicant, "#reply-files")
    # As the keyboard test does: the focused input takes the file (the system's file
    # dialog is not part of the page, and waiting for it is flaky on a busy machine).
    applicant.locator(":focus").set_input_files(certificate_file())
    response = press_button(applicant, ".reply button[type=submit]")
    assert response.status == 200 and "odpowiedz=wyslana" in applicant.url
    assert "Twoja odpowiedź trafiła do ośrodka." in main_text(applicant)
    assert REPLY not in main_text(applicant)  # not shown back to whoever holds the link
    check_page(applicant, "the status page after a reply", phone=phone)

    # The worker's queue marks it; the request shows the reply and its file.
    staff.goto("/panel/")
    assert "Odpowiedzi osób zgłaszających do przeczytania" in main_text(staff)
    row = staff.locator(f"table.queue tr:has(a[href$='/panel/zgloszenia/{req.id}'])")
    assert "Odpowiedź otrzymana" in row.inner_text()
    check_page(staff, "the queue with a reply received", phone=phone)
    press_button(staff, f".replies a[href*='/panel/zgloszenia/{req.id}']")
    assert REPLY in staff.locator("ol.messages").inner_text()
    assert "Pobierz: zaświadczenie.pdf" in main_text(staff)
    staff.goto("/panel/")
    assert "Odpowiedź otrzymana" not in main_text(staff)

    # News of a step: the status page says it in the applicant's words.
    staff.goto(f"/panel/zgloszenia/{req.id}")
    choose(staff, "#status-status", "in_review")
    tab(staff, "#status-tell")
    staff.keyboard.press("Space")
    press_button(staff, "#status button[type=submit]")
    assert flash_text(staff) == "Status zmieniony."
    applicant.goto(status)
    assert (
        "Pracownik ośrodka zapoznaje się z prośbą" in applicant.locator("ol.messages").inner_text()
    )
    assert sum(1 for m in _outbox(app) if m.startswith(email)) == 2
