"""Due dates: stored on arrival, shown in the queue and on the request and status pages,
sorted and filtered by, and moved by staff with a reason that stays on the record."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.clock import add_working_days, local_today
from portal.core.extensions import db
from portal.panel.models import Note
from portal.panel.queue import QueueFilter, overdue_count, page
from portal.referrals import service
from portal.referrals.models import Request
from portal.referrals.status import make_token
from tests.panel.conftest import World
from tests.panel.factories import log_in, make_request
from tests.referrals.helpers import PARENT, form_key, parent_answers

ROW_RE = re.compile(r'<th scope="row"><a href="/panel/zgloszenia/(\d+)">')


def _ids(html: str) -> list[int]:
    return [int(i) for i in ROW_RE.findall(html)]


def _user(staff_id: int) -> User:
    user = db.session.get(User, staff_id)
    assert user is not None
    return user


@pytest.mark.parametrize(
    ("arrived", "danger", "expected"),
    [
        # Tomice answers in 5 working days and closes at 15:30 (content/tomice/centre.yml).
        (
            datetime(2026, 4, 2, 8, 0),
            "no",
            date(2026, 4, 10),
        ),  # 10:00 on the Thursday before Easter
        (datetime(2026, 4, 2, 8, 0), "yes", date(2026, 4, 2)),  # urgent: the same day
        (datetime(2026, 4, 2, 14, 0), "yes", date(2026, 4, 3)),  # 16:00: after closing
    ],
)
def test_a_submitted_request_stores_its_due_date(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    arrived: datetime,
    danger: str,
    expected: date,
) -> None:
    monkeypatch.setattr(service, "utcnow", lambda: arrived)
    data = parent_answers(form_key(client, PARENT), child_in_danger=danger, step="submit")
    assert client.post(PARENT, data=data).status_code == 302
    req = db.session.scalars(db.select(Request)).one()
    assert req.due_date == expected and req.urgent is (danger == "yes")
    assert req.postal_code == "34-100"  # the area's code, for the figures


def test_queue_shows_due_dates_and_marks_the_late_ones(client: FlaskClient, world: World) -> None:
    late = make_request(due=local_today() - timedelta(days=3), status="in_review")
    make_request(due=local_today() - timedelta(days=3), status="closed")
    log_in(client, world.worker)
    html = client.get("/panel/?status=all").text
    assert "Termin" in html
    row = html[html.index(f"/panel/zgloszenia/{late}") :].split("</tr>", 1)[0]
    assert "tag-overdue" in row and "Po terminie" in row
    assert html.count('class="tag tag-overdue"') == 1  # the closed one is not late


def test_the_overdue_filter_and_its_count(app: Flask, client: FlaskClient, world: World) -> None:
    today = local_today()
    late = [make_request(due=today - timedelta(days=d), status="new") for d in (1, 5)]
    make_request(due=today)  # due today: not late yet
    make_request(due=today - timedelta(days=2), status="assistant_assigned")  # finished
    make_request("gostynin", due=today - timedelta(days=9))  # another centre
    log_in(client, world.worker)
    html = client.get("/panel/?overdue=1").text
    assert sorted(_ids(html)) == sorted(late)
    assert re.search(r"Po terminie: <strong>2</strong>", html)
    assert overdue_count(_user(world.worker.id), QueueFilter()) == 2
    # The count follows the other filters, e.g. "mine".
    assert overdue_count(_user(world.worker.id), QueueFilter(assignee="mine")) == 0


def test_sorted_by_due_date_across_pages(app: Flask, world: World) -> None:
    today = local_today()
    ids = [make_request(due=today + timedelta(days=d % 4)) for d in range(9)]
    user = _user(world.worker.id)
    f = QueueFilter(sort="due")
    seen: list[Request] = []
    first = page(user, f, size=4)
    current = first
    while True:
        seen += current.rows
        if current.next_cursor is None:
            break
        current = page(user, f, after=current.next_cursor, size=4)
    assert sorted(r.id for r in seen) == sorted([*ids, world.request_id])
    keys = [(r.due_date, r.id) for r in seen]
    assert keys == sorted(keys)
    second = page(user, f, after=first.next_cursor, size=4)
    back = page(user, f, before=second.prev_cursor, size=4)
    assert [r.id for r in back.rows] == [r.id for r in first.rows]


def test_request_page_shows_the_due_date(client: FlaskClient, world: World) -> None:
    rid = make_request(due=date(2026, 12, 4), status="in_review")
    log_in(client, world.worker)
    html = client.get(f"/panel/zgloszenia/{rid}").text
    assert "Termin odpowiedzi" in html and "4 gru 2026" in html


def _next_working(after: date) -> date:
    return add_working_days(after, 1)


def test_staff_move_the_due_date_with_a_reason(client: FlaskClient, world: World) -> None:
    rid = make_request(due=local_today())
    new = _next_working(local_today() + timedelta(days=7))
    log_in(client, world.worker)
    response = client.post(
        f"/panel/zgloszenia/{rid}/termin",
        data={
            "due-day": new.isoformat(),
            "due-reason": "other",
            "due-note": "Rodzina prosi o kontakt po powrocie ze szpitala.",
        },
    )
    assert response.status_code == 302
    req = db.session.get_one(Request, rid)
    assert req.due_date == new
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "due_date")).one()
    assert event.detail == f"{local_today().isoformat()}->{new.isoformat()} reason=other"
    assert event.actor_id == world.worker.id and "szpital" not in event.detail
    # The words went into an (encrypted) internal note, not into the record.
    note = db.session.scalars(db.select(Note).where(Note.request_id == rid)).one()
    assert "szpitala" in note.unseal_text("text")
    history = client.get(f"/panel/zgloszenia/{rid}").text
    assert "Zmiana terminu odpowiedzi" in history


@pytest.mark.parametrize(
    ("day", "reason", "message"),
    [
        ("", "applicant_asked", "Podaj nowy termin."),
        ("2020-01-02", "applicant_asked", "nie może być w przeszłości"),
        ("next-saturday", "applicant_asked", "nie jest dniem roboczym"),
        ("next-working", "", "Wybierz powód zmiany terminu."),
        ("next-working", "other", "Opisz krótko powód"),
    ],
)
def test_a_due_date_that_cannot_be_set_is_explained(
    client: FlaskClient, world: World, day: str, reason: str, message: str
) -> None:
    rid = make_request(due=local_today())
    today = local_today()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    values = {
        "next-saturday": saturday.isoformat(),
        "next-working": _next_working(today).isoformat(),
    }
    log_in(client, world.worker)
    data = {"due-day": values.get(day, day), "due-reason": reason}
    response = client.post(f"/panel/zgloszenia/{rid}/termin", data=data)
    assert response.status_code == 400
    assert message in response.text and "data-error-summary" in response.text
    assert db.session.get_one(Request, rid).due_date == today


def test_another_centres_request_keeps_its_date(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    day = _next_working(local_today()).isoformat()
    response = client.post(
        f"/panel/zgloszenia/{world.other_request_id}/termin",
        data={"due-day": day, "due-reason": "applicant_asked"},
    )
    assert response.status_code == 404


def test_the_status_page_says_by_when_the_centre_will_contact(
    app: Flask, client: FlaskClient
) -> None:
    # The stored date, not one worked out again: here one staff moved to 4 December.
    rid = make_request(due=date(2026, 12, 4))
    req = db.session.get_one(Request, rid)
    token = make_token(req)
    db.session.commit()  # a status link is a stored row
    page = client.get(f"/status/{token}").text
    assert "odezwie się do Ciebie najpóźniej 4 grudnia 2026." in page
    english = client.get(f"/en/status/{token}").text
    assert "will contact you by December 4, 2026 at the latest." in english
    req.status = "assistant_assigned"
    db.session.commit()
    assert "najpóźniej" not in client.get(f"/status/{token}").text
