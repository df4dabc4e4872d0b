"""At scale, "after the deadline" (the list and its count) is read through its own index,
and the figures of `/panel/statystyki` through theirs.

A hundred thousand requests over two hundred centres, a fifth of them of one big
centre (as a city's is), most of them finished long ago (as a real table is),
statistics gathered as a production database would have them; then the planner's
own plan for the queries the queue runs.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, insert, text

from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.access import requests_for
from portal.panel.queue import QueueFilter, filtered, ordered, overdue_conditions
from portal.panel.stats import StatsFilter, grouped_query, histogram_query
from portal.referrals.models import FormVersion, Request
from tests.panel.factories import make_user

ROWS = 100_000
CENTRES = 200
TODAY = date(2026, 11, 24)


def _fill() -> None:
    version = FormVersion(form="zgloszenie", digest="p" * 64, definition="{}")
    db.session.add(version)
    db.session.flush()
    rng = random.Random(12)
    # Two years up to today; the last month's requests are open (due three weeks after
    # they came, so a third of them are late), the older ones finished.
    start = datetime(2026, 11, 24) - timedelta(minutes=ROWS * 10)
    rows = []
    for n in range(ROWS):
        created = start + timedelta(minutes=n * 10)
        recent = created > datetime(2026, 10, 24)
        status = (
            rng.choice(("new", "in_review", "interview_scheduled"))
            if recent
            else (rng.choice(("assistant_assigned", "referred_elsewhere", "closed")))
        )
        rows.append(
            {
                "reference": f"PLN-{n:08d}",
                "centre_slug": "tomice" if n % 5 == 0 else f"c{n % CENTRES:03d}",
                "kind": "zgloszenie",
                "status": status,
                "urgent": False,
                "outside_area": False,
                "lang": "pl",
                "idempotency_key": f"k{n}",
                "form_version_id": version.id,
                "key_id": "t1",
                "answers": b"x" * 40,
                "created_at": created,
                "status_changed_at": created,
                "due_date": created.date() + timedelta(days=21),
                "postal_code": "34-100",
                "contact_days": None if status == "new" else n % 7,
            }
        )
    db.session.execute(insert(Request), rows)
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return
    # As autovacuum leaves a production table: statistics, and the visibility map that
    # lets PostgreSQL answer from an index alone.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE requests"))


def _plan(query: Any) -> str:
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        return " ".join(str(r[-1]) for r in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    return " ".join(str(r[0]) for r in db.session.execute(text("EXPLAIN " + sql)))


def test_the_overdue_list_and_count_use_their_index(app: Flask) -> None:
    _fill()
    worker = db.session.get_one(User, make_user("plan@tomice.example.org").id)
    # The queue's own queries ("after the deadline", by due date; and its count), with
    # today fixed so the plan does not move with the calendar.
    listed = ordered(requests_for(worker).where(*overdue_conditions(TODAY)), "due").limit(51)
    counted = requests_for(worker).with_only_columns(func.count()).where(*overdue_conditions(TODAY))
    queue_sql = str(filtered(worker, QueueFilter(overdue=True, sort="due")).compile(db.engine))
    assert queue_sql.count("requests.status IN") == 1  # what the queue runs is the same query
    for query in (listed, counted):
        plan = _plan(query)
        assert "ix_requests_due" in plan, plan
        assert "SCAN requests" not in plan and "Seq Scan" not in plan, plan
    # And it answers what it should: the centre's open requests due before today.
    found = db.session.scalar(counted)
    expected = db.session.scalar(
        text(
            "SELECT count(*) FROM requests WHERE centre_slug = 'tomice' AND status IN "
            "('new', 'in_review', 'interview_scheduled') AND due_date < :today"
        ),
        {"today": TODAY},
    )
    assert found is not None and found == expected and found > 0


def test_the_figures_read_their_covering_index(app: Flask) -> None:
    _fill()
    manager = db.session.get_one(User, make_user("plan@tomice.example.org", role="manager").id)
    start, end = StatsFilter(2026).bounds()
    base = requests_for(manager).where(Request.created_at >= start, Request.created_at < end)
    queries = [
        grouped_query(base),
        histogram_query(base, Request.contact_days),
        histogram_query(base, Request.decision_days),
    ]
    for query in queries:
        plan = _plan(query)
        assert "ix_requests_figures" in plan, plan
        if db.engine.dialect.name == "sqlite":
            # Every column it needs is in the index: no row of the table is read.
            assert "COVERING INDEX" in plan, plan
        assert "Seq Scan" not in plan, plan
