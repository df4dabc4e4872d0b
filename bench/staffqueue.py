"""The staff queue (`/panel/`): a logged-in worker over HTTP, and the page's SQL alone.

The worker is one of the generated accounts; its second factor is enrolled with
the portal's own functions (`portal.auth.totp`), then it logs in through the
real forms: password, then a TOTP code, like a person.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import pyotp
from flask import Flask
from sqlalchemy import Executable, func, select

from bench.client import Browser
from bench.dataset import STAFF_PASSWORD
from portal.auth import totp
from portal.auth.models import User
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.panel import queue, stats
from portal.panel.access import Role, requests_for
from portal.referrals.models import Request


@dataclass(frozen=True)
class Staff:
    email: str
    secret: str


@dataclass(frozen=True)
class Timing:
    p50: float
    p95: float
    count: int


def enrol_worker(app: Flask, centre_slug: str, role: Role = Role.WORKER) -> Staff:
    """Give the centre's worker (or manager) a TOTP secret, through the portal's enrolment
    functions."""
    with app.app_context():
        user = _worker(centre_slug, role)
        totp.reset_second_factor(user)
        secret = totp.enrolment_secret(user)
        # The code of the previous step: the login that follows may use the current one.
        assert totp.confirm_enrolment(user, pyotp.TOTP(secret).at(time.time() - 30))
        db.session.commit()
        return Staff(user.email, secret)


def log_in(port: int, staff: Staff) -> dict[str, str]:
    """Log in over HTTP (password, then TOTP); returns the session cookies."""
    b = Browser(port)
    try:
        token = b.csrf_token("/panel/logowanie")
        reply = b.post_form(
            "/panel/logowanie",
            [
                ("csrf_token", token),
                ("email", staff.email),
                ("password", STAFF_PASSWORD),
                ("next", ""),
            ],
        )
        assert reply.status == 302, f"password step: HTTP {reply.status}"
        token = b.csrf_token("/panel/dwuetapowe")
        code = pyotp.TOTP(staff.secret).now()
        reply = b.post_form("/panel/dwuetapowe", [("csrf_token", token), ("code", code)])
        assert reply.status == 302, f"TOTP step: HTTP {reply.status}"
        check = b.get("/panel/")
        assert check.status == 200 and 'class="status-counts"' in check.text, (
            f"queue: HTTP {check.status}"
        )
        return dict(b.cookies)
    finally:
        b.close()


def _worker(centre_slug: str, role: Role = Role.WORKER) -> User:
    user = db.session.scalar(select(User).where(User.centre_slug == centre_slug, User.role == role))
    assert user is not None
    return user


def page_statements(app: Flask, centre_slug: str) -> dict[str, Executable]:
    """The queue's statements for the default view: the listing (the baseline) and the counts."""
    with app.app_context():
        user, f = _worker(centre_slug), queue.QueueFilter()
        size = int(app.config["PORTAL_QUEUE_PAGE_SIZE"])
        counts = (
            requests_for(user)
            .with_only_columns(Request.status, func.count())
            .group_by(Request.status)
        )
        return {"listing": queue.ordered(queue.filtered(user, f)).limit(size + 1), "counts": counts}


def time_sql(app: Flask, stmt: Executable, seconds: float) -> Timing:
    """Run one statement again and again on one connection (Core, rows fetched)."""
    samples: list[float] = []
    with app.app_context(), db.engine.connect() as conn:
        conn.execute(stmt).fetchall()  # warm the page cache and the statement cache
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline and len(samples) < 100_000:
            started = time.perf_counter()
            conn.execute(stmt).fetchall()
            samples.append(time.perf_counter() - started)
    cuts = statistics.quantiles(samples, n=100) if len(samples) > 1 else samples * 99
    return Timing(cuts[49], cuts[94], len(samples))


def stats_path() -> str:
    """`/panel/statystyki` for this whole year (the figures a manager opens first)."""
    return f"/panel/statystyki?rok={utcnow().year}&od=1&do=12"


def stats_baseline(app: Flask, centre_slug: str) -> Executable:
    """The simplest aggregate over the same rows: how many requests the year holds."""
    with app.app_context():
        f = stats.StatsFilter(utcnow().year)
        start, end = f.bounds()
        user = _worker(centre_slug, Role.MANAGER)
        return (
            requests_for(user)
            .with_only_columns(func.count())
            .where(Request.created_at >= start, Request.created_at < end)
        )
