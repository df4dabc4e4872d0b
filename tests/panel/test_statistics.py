"""`/panel/statystyki`: a centre's figures from SQL aggregates, on the page and as XLSX."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import event

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.clock import local_today
from portal.core.extensions import db
from portal.panel.stats import StatsFilter, _median, figures
from portal.referrals.models import Request
from tests.panel.conftest import World
from tests.panel.factories import log_in, make_request


def _request(centre: str = "tomice", **values: Any) -> int:
    created = values.pop("created_at", datetime(2026, 3, 10, 9, 0))
    kind = values.pop("kind", "zgloszenie")
    rid = make_request(
        centre,
        kind=kind,
        created_at=created,
        due=values.pop("due", None),
        status=values.pop("status", "new"),
    )
    req = db.session.get_one(Request, rid)
    for column, value in values.items():
        setattr(req, column, value)
    db.session.commit()
    return rid


@pytest.fixture
def year(world: World) -> None:
    """Tomice's 2026: four requests, one of them answered late; plus rows that must not count
    (and the world's own request, made today)."""
    _request(
        kind="zgloszenie",
        created_at=datetime(2026, 1, 5, 9),
        postal_code="34-100",
        status="closed",
        close_reason="no_contact",
        due=date(2026, 1, 12),
        first_contact_on=date(2026, 1, 14),
        contact_days=7,
        decision_days=20,
    )
    _request(
        kind="zgloszenie",
        created_at=datetime(2026, 3, 2, 9),
        postal_code="34-100",
        status="in_review",
        due=date(2026, 3, 9),
        first_contact_on=date(2026, 3, 3),
        contact_days=1,
    )
    _request(
        kind="za-zyciem",
        created_at=datetime(2026, 3, 20, 9),
        postal_code="34-143",
        status="assistant_assigned",
        due=date(2026, 3, 27),
        first_contact_on=date(2026, 3, 23),
        contact_days=1,
        decision_days=10,
    )
    _request(
        kind="za-zyciem", created_at=datetime(2026, 7, 1, 9), status="new", due=date(2026, 7, 8)
    )  # never answered, due long ago (or not yet): see the test
    _request(created_at=datetime(2025, 12, 31, 9), postal_code="34-100")  # another year
    _request("gostynin", created_at=datetime(2026, 3, 2, 9), postal_code="09-500")


def _fig(world: World, f: StatsFilter) -> Any:
    return figures(db.session.get_one(User, world.manager.id), f)


@pytest.mark.usefixtures("year")
def test_the_figures_of_a_year(world: World) -> None:
    f = StatsFilter(2026)
    fig = _fig(world, f)
    today_counts = 1 if local_today().year == 2026 else 0  # the world's request of today
    assert fig.total == 4 + today_counts
    assert fig.by_form_month[("zgloszenie", 1)] == 1
    assert fig.by_form_month[("zgloszenie", 3)] == 1 and fig.by_form_month[("za-zyciem", 3)] == 1
    assert fig.by_status_reason[("closed", "no_contact")] == 1
    assert fig.by_status_reason[("assistant_assigned", None)] == 1
    assert dict(fig.by_postal_code)["34-100"] == 2 and dict(fig.by_postal_code)["34-143"] == 1
    assert "09-500" not in dict(fig.by_postal_code)  # another centre's
    assert fig.contact_median == 1 and fig.contacted == 3
    assert fig.decision_median == 15 and fig.decided == 2
    july_late = 1 if local_today() > date(2026, 7, 8) else 0
    assert fig.late == 1 + july_late


@pytest.mark.usefixtures("year")
def test_a_range_of_months(world: World) -> None:
    fig = _fig(world, StatsFilter(2026, 3, 3))
    assert fig.total == 2 and fig.late == 0
    assert set(fig.by_form_month) == {("zgloszenie", 3), ("za-zyciem", 3)}


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ([], None),
        ([(4, 1)], 4),
        ([(1, 1), (3, 1)], 2),
        ([(1, 2), (9, 1)], 1),
        ([(1, 1), (2, 1), (3, 1), (10, 1)], 2.5),
        ([(0, 5), (7, 5)], 3.5),
    ],
)
def test_the_median_from_a_histogram(histogram: list[tuple[int, int]], median: float) -> None:
    assert _median(histogram) == median


@pytest.mark.usefixtures("year")
def test_every_figure_is_an_sql_aggregate(app: Flask, world: World) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql.lower())

    user = db.session.get_one(User, world.manager.id)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        figures(user, StatsFilter(2026))
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert 0 < len(statements) <= 8
    assert all("count(" in sql for sql in statements), statements
    assert not any("answers" in sql for sql in statements)  # no row is read, let alone decrypted


@pytest.mark.usefixtures("year")
def test_the_page_and_the_workbook(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    page = client.get("/panel/statystyki?rok=2026&od=1&do=6").text
    assert "Według kodu pocztowego" in page and "34-143" in page and "09-500" not in page
    assert "Mediana dni roboczych do pierwszej odpowiedzi" in page
    response = client.get("/panel/statystyki.xlsx?rok=2026&od=1&do=6")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("statystyki-2026-01-06.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Podsumowanie" and len(book.sheetnames) == 4
    summary = {r[0].value: r[1].value for r in book["Podsumowanie"].iter_rows()}
    assert summary["Zgłoszenia"] == "3"
    event_ = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event_.detail == "statistics year=2026 months=1-6 format=xlsx"
    # Nonsense in the address falls back to the whole of this year.
    assert client.get("/panel/statystyki?rok=99999&od=x&do=13").status_code == 200


def test_only_managers_see_the_figures(client: FlaskClient, world: World) -> None:
    for who in (world.worker, world.admin):
        log_in(client, who)
        assert client.get("/panel/statystyki").status_code == 403
        assert client.get("/panel/statystyki.xlsx").status_code == 403
    log_in(client, world.manager)
    assert "/panel/statystyki" in client.get("/panel/").text


def test_first_answer_and_decision_are_recorded_in_working_days(
    client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.panel import actions

    # Sent on Thursday 2 April 2026 at 10:00; taken up on Tuesday 7 April (after Easter).
    rid = _request(created_at=datetime(2026, 4, 2, 8, 0))
    monkeypatch.setattr(actions, "utcnow", lambda: datetime(2026, 4, 7, 9, 0))
    log_in(client, world.worker)
    client.post(
        f"/panel/zgloszenia/{rid}/status",
        data={"status-status": "in_review", "status-expected": "new"},
    )
    req = db.session.get_one(Request, rid)
    assert req.first_contact_on == date(2026, 4, 7) and req.contact_days == 2
    assert req.decided_on is None
    monkeypatch.setattr(actions, "utcnow", lambda: datetime(2026, 4, 14, 9, 0))
    client.post(
        f"/panel/zgloszenia/{rid}/status",
        data={
            "status-status": "closed",
            "status-reason": "duplicate",
            "status-expected": "in_review",
        },
    )
    req = db.session.get_one(Request, rid)
    assert req.decided_on == date(2026, 4, 14) and req.decision_days == 7
    assert req.contact_days == 2  # the first answer stays the first
