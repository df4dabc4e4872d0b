"""The queue: order, filters, counts, search, keyset pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text, tuple_

from portal.auth.models import User
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.panel.queue import QueueFilter, decode_cursor, filtered, ordered, page, status_counts
from portal.referrals.models import Request
from tests.panel.conftest import World
from tests.panel.factories import log_in, make_request

ROW_RE = re.compile(r'<th scope="row"><a href="/panel/zgloszenia/(\d+)">')


def _ids(html: str) -> list[int]:
    return [int(i) for i in ROW_RE.findall(html)]


def test_urgent_first_then_newest(client: FlaskClient, world: World) -> None:
    now = utcnow()
    old_urgent = make_request(urgent=True, created_at=now - timedelta(days=3))
    newest = make_request(created_at=now)
    older = make_request(created_at=now - timedelta(days=1))
    log_in(client, world.worker)
    ids = _ids(client.get("/panel/").text)
    assert ids[0] == old_urgent
    assert ids.index(newest) < ids.index(older)


def test_rows_show_kind_received_status_assignee_and_flags(
    client: FlaskClient, world: World
) -> None:
    make_request(
        urgent=True,
        outside_area=True,
        created_at=utcnow() - timedelta(days=2),
        assignee_id=world.worker.id,
    )
    log_in(client, world.worker)
    html = client.get("/panel/").text
    assert "2 dni temu" in html
    assert "Pilne" in html and "Adres poza terenem" in html
    assert world.worker.email in html
    assert "Prośba o asystenta" in html and "Nowe" in html


def test_filters(client: FlaskClient, world: World) -> None:
    mine = make_request(assignee_id=world.worker.id)
    closed = make_request(status="closed")
    zz = make_request(kind="za-zyciem")
    log_in(client, world.worker)
    assert _ids(client.get("/panel/?assignee=mine").text) == [mine]
    assert mine not in _ids(client.get("/panel/?assignee=unassigned").text)
    assert closed not in _ids(client.get("/panel/").text)  # open requests by default
    assert _ids(client.get("/panel/?status=closed").text) == [closed]
    assert _ids(client.get("/panel/?kind=za-zyciem").text) == [zz]
    assert closed in _ids(client.get("/panel/?status=all").text)


def test_date_range(client: FlaskClient, world: World) -> None:
    old = make_request(created_at=datetime(2026, 1, 10, 12, 0))
    new = make_request(created_at=datetime(2026, 3, 10, 12, 0))
    log_in(client, world.worker)
    ids = _ids(client.get("/panel/?date_from=2026-03-01&date_to=2026-03-31").text)
    assert new in ids and old not in ids
    ids = _ids(client.get("/panel/?date_to=2026-01-10").text)
    assert old in ids and new not in ids


def test_search_by_reference(client: FlaskClient, world: World) -> None:
    rid = make_request(reference="TOM-2026-7K4Q9")
    make_request(reference="TOM-2026-AAAAA")
    log_in(client, world.worker)
    assert _ids(client.get("/panel/?reference=tom-2026-7k4q9").text) == [rid]
    assert _ids(client.get("/panel/?reference=7K4Q9").text) == [rid]
    assert _ids(client.get("/panel/?reference=TOM-2026-7K").text) == [rid]
    assert _ids(client.get("/panel/?reference=%25").text) != []  # wildcards are dropped


def test_counts_per_status(app: Flask, world: World) -> None:
    make_request(status="in_review")
    make_request(status="closed")
    make_request("gostynin", status="closed")
    user = db.session.get(User, world.worker.id)
    assert user is not None
    counts = status_counts(user, QueueFilter())
    assert counts["new"] == 1 and counts["in_review"] == 1 and counts["closed"] == 1


def test_keyset_pages_cover_everything_once(app: Flask, client: FlaskClient, world: World) -> None:
    app.config["PORTAL_QUEUE_PAGE_SIZE"] = 4
    now = utcnow()
    for i in range(10):
        # Some share a timestamp: the id breaks the tie.
        make_request(urgent=i % 3 == 0, created_at=now - timedelta(minutes=i // 2))
    log_in(client, world.worker)
    seen: list[int] = []
    url = "/panel/?status=all"
    pages = []
    while url:
        html = client.get(url).text
        pages.append(_ids(html))
        seen += pages[-1]
        match = re.search(r'rel="next" href="([^"]+)"', html)
        url = match.group(1).replace("&amp;", "&") if match else ""
    assert len(pages) == 3 and sorted(seen) == sorted(set(seen)) and len(seen) == 11


def test_previous_page_link_goes_back(app: Flask, world: World) -> None:
    now = utcnow()
    for i in range(7):
        make_request(created_at=now - timedelta(minutes=i))
    user = db.session.get(User, world.worker.id)
    assert user is not None
    f = QueueFilter(status="all")
    first = page(user, f, size=3)
    second = page(user, f, after=first.next_cursor, size=3)
    back = page(user, f, before=second.prev_cursor, size=3)
    assert [r.id for r in back.rows] == [r.id for r in first.rows]
    assert first.prev_cursor is None and second.prev_cursor is not None


def test_bad_cursor_and_filters_fall_back(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    url = "/panel/?po=garbage&status=nope&kind=x&assignee=y&date_from=zz"
    assert client.get(url).status_code == 200
    assert decode_cursor("1.20261301T000000000000.5") is None


FILTERS = [
    QueueFilter(),
    QueueFilter(status="all"),
    QueueFilter(status="new"),
    QueueFilter(assignee="mine"),
    QueueFilter(status="all", assignee="unassigned"),
]


@pytest.mark.parametrize("f", FILTERS)
def test_every_page_is_read_in_index_order(app: Flask, world: World, f: QueueFilter) -> None:
    """No OFFSET and no sort step: the database walks an index, so page 1000 costs page 1."""
    user = db.session.get(User, world.worker.id)
    assert user is not None
    cursor = (False, utcnow(), 10**6)
    key = tuple_(Request.urgent, Request.created_at, Request.id)
    query = ordered(filtered(user, f)).where(key < tuple_(*cursor)).limit(51)
    assert "OFFSET" not in str(query).upper()
    plan = _plan(str(query.compile(db.engine, compile_kwargs={"literal_binds": True})))
    assert "ix_requests_queue" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def _plan(sql: str) -> str:
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(text("EXPLAIN QUERY PLAN " + sql))
        return " ".join(str(r[-1]) for r in rows)
    # PostgreSQL: with a handful of rows a sequential scan is cheapest; forbid it to see
    # the plan a large table gets.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = " ".join(str(r[0]) for r in db.session.execute(text("EXPLAIN " + sql)))
    db.session.rollback()
    return plan
