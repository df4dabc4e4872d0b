"""The scoping functions: what each role sees of each kind of row, and nothing more.

The expectations are written out per role rather than read from `REACH`, so a
change to the policy table shows here as a failing line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Select

from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.access import (
    REACH,
    Reach,
    Role,
    Rows,
    accounts_for,
    audit_events_for,
    outbox_for,
    requests_for,
    revisions_for,
)
from tests.panel.conftest import World
from tests.panel.factories import rows_in_every_centre

Scope = Callable[[User], Select[Any]]
SCOPES: dict[Rows, Scope] = {
    Rows.REQUESTS: requests_for,
    Rows.AUDIT_EVENTS: audit_events_for,
    Rows.OUTBOX_MESSAGES: outbox_for,
    Rows.ACCOUNTS: accounts_for,
    Rows.PAGES: revisions_for,
}
ALL_THREE = [None, "gostynin", "tomice"]
# Who (of the world's accounts) sees the rows of which centres. The admin belongs to
# tomice, so tomice's manager sees three accounts there: worker, manager, admin.
EXPECTED: dict[tuple[Rows, str], list[str | None]] = {
    (Rows.REQUESTS, "worker"): ["tomice"],
    (Rows.REQUESTS, "manager"): ["tomice"],
    (Rows.REQUESTS, "other_worker"): ["gostynin"],
    (Rows.REQUESTS, "admin"): [],
    (Rows.AUDIT_EVENTS, "worker"): [],
    (Rows.AUDIT_EVENTS, "manager"): ["tomice"],
    (Rows.AUDIT_EVENTS, "other_manager"): ["gostynin"],
    (Rows.AUDIT_EVENTS, "admin"): ALL_THREE,
    (Rows.OUTBOX_MESSAGES, "worker"): [],
    (Rows.OUTBOX_MESSAGES, "manager"): ["tomice"],
    (Rows.OUTBOX_MESSAGES, "other_manager"): ["gostynin"],
    (Rows.OUTBOX_MESSAGES, "admin"): ALL_THREE,
    (Rows.ACCOUNTS, "worker"): [],
    (Rows.ACCOUNTS, "manager"): ["tomice", "tomice", "tomice"],
    (Rows.ACCOUNTS, "other_manager"): ["gostynin", "gostynin"],
    (Rows.ACCOUNTS, "admin"): ["gostynin", "gostynin", "tomice", "tomice", "tomice"],
    (Rows.PAGES, "worker"): [],
    (Rows.PAGES, "manager"): ["tomice"],
    (Rows.PAGES, "other_manager"): ["gostynin"],
    (Rows.PAGES, "admin"): ["gostynin", "tomice"],
}


def _viewer(world: World, who: str) -> User:
    return db.session.get_one(User, getattr(world, who).id)


def _centres(query: Select[Any]) -> list[str | None]:
    rows = db.session.scalars(query)
    return sorted((row.centre_slug for row in rows), key=lambda c: c or "")


@pytest.mark.parametrize(("rows", "who"), list(EXPECTED))
def test_each_role_sees_what_the_policy_says(
    app: Flask, world: World, rows: Rows, who: str
) -> None:
    rows_in_every_centre()
    assert _centres(SCOPES[rows](_viewer(world, who))) == EXPECTED[(rows, who)]


def test_every_kind_and_role_is_in_the_policy() -> None:
    assert set(REACH) == set(Rows) == set(SCOPES)
    assert all(set(by_role) == set(Role) for by_role in REACH.values())


@pytest.mark.parametrize("rows", list(Rows))
def test_matching_nothing_is_one_idiom(app: Flask, world: World, rows: Rows) -> None:
    # Whatever the kind of row, "sees none" is the same condition: false.
    for role in Role:
        if REACH[rows][role] is Reach.NONE:
            viewer = User(email="x@example.org", centre_slug="tomice", role=role)
            assert str(SCOPES[rows](viewer).whereclause) == "false"


def test_the_policy_agrees_with_what_each_role_may_do() -> None:
    for role in Role:
        assert (REACH[Rows.REQUESTS][role] is not Reach.NONE) is role.reads_requests
        assert (REACH[Rows.ACCOUNTS][role] is not Reach.NONE) is role.manages_accounts
        assert (REACH[Rows.PAGES][role] is not Reach.NONE) is role.edits_pages
        for rows in (Rows.AUDIT_EVENTS, Rows.OUTBOX_MESSAGES, Rows.ACCOUNTS, Rows.PAGES):
            assert (REACH[rows][role] is Reach.EVERY_CENTRE) is role.every_centre
