"""Every staff route says which roles may open it, and the marker is what is enforced.

The check walks the whole URL map, so a route added later (by any blueprint,
under /panel/) fails here until it carries `roles_required(...)` or `public`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.routing import Rule

from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.access import PUBLIC, Role, audience, public, roles_required
from tests.panel.conftest import World, panel_app
from tests.panel.factories import log_in


def staff_rules(app: Flask) -> list[Rule]:
    """Every route under /panel/, whichever blueprint registered it."""
    return [
        r for r in app.url_map.iter_rules() if r.rule == "/panel" or r.rule.startswith("/panel/")
    ]


def unmarked_routes(app: Flask) -> list[str]:
    """The /panel/ routes whose view carries no role marker."""
    return sorted(
        f"{rule.rule} ({rule.endpoint})"
        for rule in staff_rules(app)
        if audience(app.view_functions[rule.endpoint]) is None
    )


def test_every_panel_route_carries_a_role_marker(app: Flask) -> None:
    rules = staff_rules(app)
    # The login steps, the queue, request and account routes, audit log and outbox.
    assert len(rules) >= 24, "the staff routes were found"
    assert unmarked_routes(app) == []


def test_the_check_finds_a_route_planted_without_a_marker(tmp_path: Path) -> None:
    app = panel_app(tmp_path)
    planted = Blueprint("planted", __name__, url_prefix="/panel/planted")

    @planted.get("/")
    def bare() -> str:
        return "no marker"

    @planted.get("/marked")
    @roles_required(Role.MANAGER)
    def marked() -> str:
        return "marked"

    @planted.get("/open")
    @public
    def open_page() -> str:
        return "public"

    outside = Blueprint("outside", __name__, url_prefix="/elsewhere")
    outside.add_url_rule("/", "bare", bare)

    app.register_blueprint(planted)
    app.register_blueprint(outside)
    assert unmarked_routes(app) == ["/panel/planted/ (planted.bare)"]


def test_a_marker_needs_a_role() -> None:
    with pytest.raises(ValueError, match="at least one role"):
        roles_required()


def test_only_the_login_steps_are_public(app: Flask) -> None:
    public_endpoints = sorted(
        r.endpoint for r in staff_rules(app) if audience(app.view_functions[r.endpoint]) == PUBLIC
    )
    assert public_endpoints == [
        "auth.enrol",
        "auth.login",
        "auth.logout",
        "auth.second_factor",
        "auth.set_password",
    ]


EVERYONE = (Role.WORKER, Role.MANAGER, Role.ADMIN)
MANAGER_AND_ADMIN = (Role.MANAGER, Role.ADMIN)


@pytest.mark.parametrize(
    ("endpoint", "roles"),
    [
        # An admin passes the marker of a request route and finds no request (404).
        ("panel.queue", EVERYONE),
        ("panel.show", EVERYONE),
        ("panel.download", EVERYONE),
        ("panel.export_csv", (Role.MANAGER,)),
        ("panel.accounts", MANAGER_AND_ADMIN),
        ("panel.change_role", MANAGER_AND_ADMIN),
        ("panel.audit_log", MANAGER_AND_ADMIN),
        ("panel.outbox", MANAGER_AND_ADMIN),
        ("panel.content", MANAGER_AND_ADMIN),
        ("panel.page_edit", MANAGER_AND_ADMIN),
        ("panel.centre_details", MANAGER_AND_ADMIN),
        ("panel.publish", MANAGER_AND_ADMIN),
        ("panel.restore", MANAGER_AND_ADMIN),
    ],
)
def test_the_markers_say_who_may_open_what(
    app: Flask, endpoint: str, roles: tuple[Role, ...]
) -> None:
    assert audience(app.view_functions[endpoint]) == frozenset(roles)


def _own_values(world: World) -> dict[str, int | str]:
    return {
        "request_id": world.request_id,
        "attachment_id": world.attachment_id,
        "user_id": world.worker.id,
        "centre_slug": "tomice",
        "page_slug": "index",
        "language": "pl",
        "revision_id": 1,
    }


@pytest.mark.parametrize("who", ["worker", "manager", "admin"])
def test_a_role_outside_the_marker_gets_403_and_no_other(
    app: Flask, client: FlaskClient, world: World, who: str
) -> None:
    role = Role(who)
    log_in(client, getattr(world, who))
    checked = 0
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in staff_rules(app):
            roles = audience(app.view_functions[rule.endpoint])
            if roles == PUBLIC or "GET" not in (rule.methods or set()):
                continue
            assert roles is not None, rule.endpoint
            url = adapter.build(rule.endpoint, {k: _own_values(world)[k] for k in rule.arguments})
            status = client.get(url).status_code
            assert (status == 403) is (role not in roles), f"{who} GET {url}: {status}"
            checked += 1
    assert checked >= 8


def test_roles_are_stored_under_their_old_names(app: Flask, world: World) -> None:
    stored = db.session.execute(text("SELECT role FROM users ORDER BY id")).scalars().all()
    assert stored == ["worker", "manager", "worker", "manager", "admin"]
    loaded = db.session.get_one(User, world.manager.id)
    assert loaded.role is Role.MANAGER and str(loaded.role) == "manager"


def test_an_unknown_role_never_reaches_the_table(app: Flask) -> None:
    with pytest.raises(ValueError, match="boss"):
        User(email="x@tomice.example.org", centre_slug="tomice", role="boss")


@pytest.mark.parametrize(
    ("text_", "role"),
    [("worker", Role.WORKER), ("admin", Role.ADMIN), ("", None), ("Admin", None), (None, None)],
)
def test_parse_accepts_exactly_the_role_names(text_: str | None, role: Role | None) -> None:
    assert Role.parse(text_) is role


def test_what_each_role_may_grant() -> None:
    assert Role.ADMIN.grantable == (Role.WORKER, Role.MANAGER, Role.ADMIN)
    assert Role.MANAGER.grantable == (Role.WORKER, Role.MANAGER)
    assert Role.WORKER.grantable == ()
