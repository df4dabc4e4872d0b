"""Rate limits (Redis) and the login lockout (PostgreSQL) hold across both app instances.

With each instance counting on its own, round-robin through the proxy would let
twice as many requests through; the shared counters stop them at the limit.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from stack.local import LocalStack
from tests.stack.client import Client
from tests.stack.flows import open_form, password_step, seed_staff

LOGIN_LIMIT = 20  # portal.auth.views.LOGIN_LIMIT, per minute
FORM_LIMIT = 30  # portal.referrals.views.POST_LIMIT, per hour
LOCKOUT_ATTEMPTS = 5  # PORTAL_LOCKOUT_ATTEMPTS


@pytest.fixture
def fresh_limits(stack: LocalStack) -> Iterator[None]:
    """Counters start at zero, and the test's own do not block the tests after it."""
    stack.flush_redis()
    yield
    stack.flush_redis()


def upstreams_since(stack: LocalStack, mark: int, request: str) -> set[str]:
    """Which app instances answered `request` ("POST /panel/logowanie") after line `mark`."""
    lines = stack.access_log.read_text().splitlines()[mark:]
    return {line.split("upstream=", 1)[1].split()[0] for line in lines if f'"{request}"' in line}


def log_lines(stack: LocalStack) -> int:
    return len(stack.access_log.read_text().splitlines())


@pytest.mark.usefixtures("fresh_limits")
def test_the_login_rate_limit_holds_across_both_instances(stack: LocalStack) -> None:
    client, mark = Client(stack.ports.nginx), log_lines(stack)
    csrf = client.get("/panel/logowanie").csrf()
    empty = [("csrf_token", csrf), ("email", ""), ("password", "")]
    statuses = [client.post("/panel/logowanie", empty).status for _ in range(LOGIN_LIMIT)]
    assert statuses == [400] * LOGIN_LIMIT  # the form's own "fill this in", counted
    assert client.post("/panel/logowanie", empty).status == 429
    assert len(upstreams_since(stack, mark, "POST /panel/logowanie")) == 2


@pytest.mark.usefixtures("fresh_limits")
def test_the_form_rate_limit_holds_across_both_instances(stack: LocalStack) -> None:
    client, mark = Client(stack.ports.nginx), log_lines(stack)
    csrf, key = open_form(client)
    unanswered = [("csrf_token", csrf), ("form_key", key), ("step", "check")]
    statuses = [client.post("/tomice/zgloszenie", unanswered).status for _ in range(FORM_LIMIT)]
    assert statuses == [400] * FORM_LIMIT  # the form again, with its errors
    refused = client.post("/tomice/zgloszenie", unanswered)
    assert refused.status == 429
    assert len(upstreams_since(stack, mark, "POST /tomice/zgloszenie")) == 2


@pytest.mark.usefixtures("fresh_limits")
def test_the_login_lockout_holds_across_both_instances(stack: LocalStack, database: Engine) -> None:
    staff = seed_staff(stack, "zamek@tomice.example.org")
    client, mark = Client(stack.ports.nginx), log_lines(stack)
    for _ in range(LOCKOUT_ATTEMPTS):
        assert password_step(client, staff.email, "not the password").status == 400
    assert len(upstreams_since(stack, mark, "POST /panel/logowanie")) == 2
    # The right password now gets the same answer as a wrong one: the account is locked.
    for _ in range(2):  # on both instances in turn
        assert password_step(client, staff.email, staff.password).status == 400
    with database.connect() as conn:
        locked = conn.scalar(
            text("SELECT locked_until > now() AT TIME ZONE 'UTC' FROM users WHERE id = :id"),
            {"id": staff.id},
        )
    assert locked is True
    # Another account is not locked: its right password goes on to the second factor.
    other = seed_staff(stack, "otwarte@tomice.example.org")
    passed = password_step(Client(stack.ports.nginx), other.email, other.password)
    assert passed.status == 302 and passed.location == "/panel/dwuetapowe"
