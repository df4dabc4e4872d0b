"""Failed logins are slowed, then locked for a while, per account and per address.

The counters are in the database, so a second app on the same database (another
host) sees the same lock.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.audit.models import AuditEvent
from portal.auth import throttle
from portal.auth.models import LoginThrottle, User
from portal.core.clock import utcnow
from portal.core.extensions import db
from tests.panel.conftest import World, panel_app
from tests.panel.factories import current_code
from tests.panel.helpers import code_step, password_step

WRONG = "to na pewno nie jest hasło"


def _fail(client: FlaskClient, email: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert password_step(client, email, WRONG, address=address).status_code == 400


def test_account_locks_after_repeated_failures(client: FlaskClient, world: World) -> None:
    _fail(client, world.worker.email, 5)
    # The right password is refused while locked, with the same generic message.
    locked = password_step(client, world.worker.email, address="10.0.0.2")
    assert locked.status_code == 400 and "Nieprawidłowy adres e-mail lub hasło." in locked.text
    user = db.session.get(User, world.worker.id)
    assert user is not None and user.locked_until is not None
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert actions.count("lockout") == 1


def test_lock_passes_after_a_while(client: FlaskClient, world: World) -> None:
    _fail(client, world.worker.email, 5)
    user = db.session.get(User, world.worker.id)
    assert user is not None
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert password_step(client, world.worker.email, address="10.0.0.3").status_code == 302


def test_successful_login_forgets_failures(client: FlaskClient, world: World) -> None:
    _fail(client, world.worker.email, 3)
    password_step(client, world.worker.email)
    code_step(client, current_code(world.worker))
    user = db.session.get(User, world.worker.id)
    assert user is not None and user.failed_logins == 0


def test_wrong_second_factor_codes_count_too(client: FlaskClient, world: World) -> None:
    password_step(client, world.worker.email)
    for _ in range(5):
        assert code_step(client, "000000").status_code == 400
    # Now even the right code is refused.
    assert code_step(client, current_code(world.worker)).status_code == 400
    user = db.session.get(User, world.worker.id)
    assert user is not None and user.locked_until is not None


def test_one_address_is_locked_across_accounts(
    app: Flask, client: FlaskClient, world: World
) -> None:
    app.config["PORTAL_IP_LOCKOUT_ATTEMPTS"] = 6
    for i in range(6):
        _fail(client, f"zgadywany{i}@example.org", 1, address="10.9.9.9")
    # A real account from that address is refused; from another address it works.
    assert password_step(client, world.manager.email, address="10.9.9.9").status_code == 400
    assert password_step(client, world.manager.email, address="10.1.1.1").status_code == 302


def test_the_address_is_not_stored_in_clear(client: FlaskClient, world: World) -> None:
    _fail(client, world.worker.email, 1, address="192.0.2.77")
    keys = list(db.session.scalars(db.select(LoginThrottle.key)))
    assert keys and all("192.0.2.77" not in k for k in keys)


def test_hosts_share_the_counters(app: Flask, client: FlaskClient, world: World) -> None:
    _fail(client, world.worker.email, 3)
    other_host = create_app(
        {
            **{
                k: app.config[k]
                for k in (
                    "SQLALCHEMY_DATABASE_URI",
                    "PORTAL_ARGON2_MEMORY_KIB",
                    "PORTAL_LOGIN_DELAY",
                    "PORTAL_CONTENT_DIR",
                    "PORTAL_FORMS_DIR",
                )
            },
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    other = other_host.test_client()
    with other_host.app_context():
        _fail(other, world.worker.email, 2, address="10.0.0.9")
        db.session.remove()
        db.engine.dispose()
    db.session.expire_all()
    user = db.session.get(User, world.worker.id)
    assert user is not None and user.locked_until is not None


def test_failures_are_slowed_more_and_more(
    app: Flask, client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(throttle, "sleep", waits.append)
    app.config["PORTAL_LOGIN_DELAY"] = 0.25
    _fail(client, world.worker.email, 3)
    assert waits == [0.25, 0.5, 0.75]
    # A success is not slowed.
    password_step(client, world.manager.email, address="10.7.7.7")
    assert len(waits) == 3


def test_slowdown_is_capped(app: Flask) -> None:
    app.config["PORTAL_LOGIN_DELAY"] = 1.0
    assert throttle.delay_for(1) == 1.0
    assert throttle.delay_for(50) == 5.0


def test_login_posts_are_rate_limited_per_address(tmp_path: Path) -> None:
    app = panel_app(tmp_path, RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        codes = [
            password_step(client, "nikt@example.org", WRONG, address="10.5.5.5").status_code
            for _ in range(21)
        ]
        db.session.remove()
        db.engine.dispose()
    assert codes[:20] == [400] * 20 and codes[20] == 429
