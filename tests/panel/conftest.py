"""Panel fixtures: a fast-hashing app on a real database, and two centres' staff and requests."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.core.extensions import db
from tests.conftest import make_app
from tests.panel.factories import PDF, Staff, make_request, make_user

# argon2id at its smallest cost: the tests check behaviour, not the cost.
FAST = {"PORTAL_ARGON2_MEMORY_KIB": 64, "PORTAL_LOGIN_DELAY": 0}


class PanelClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The tests keep an app context open (for the factories and for reading the
    database); without this, Flask would reuse it for each request, so `g` and the
    database session would leak from one request into the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        # Buffered: a streamed body must be read while its context still exists.
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # see what the request wrote
        return response


def panel_app(tmp_path: Path, **overrides: object) -> Flask:
    """An app for the panel tests: fast hashing, no delays, the client above."""
    app = make_app(tmp_path, **{**FAST, **overrides})
    app.test_client_class = PanelClient
    return app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = panel_app(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class World:
    """Two centres, each with a worker, a manager and requests; plus an admin."""

    worker: Staff
    manager: Staff
    other_worker: Staff
    other_manager: Staff
    admin: Staff
    request_id: int
    other_request_id: int
    attachment_id: int
    other_attachment_id: int


@pytest.fixture
def world(app: Flask) -> World:
    from portal.referrals.models import Request

    worker = make_user("pracownik@tomice.example.org", "tomice", "worker")
    manager = make_user("kierownik@tomice.example.org", "tomice", "manager")
    other_worker = make_user("pracownik@gostynin.example.org", "gostynin", "worker")
    other_manager = make_user("kierownik@gostynin.example.org", "gostynin", "manager")
    admin = make_user("admin@example.org", "tomice", "admin")
    rid = make_request("tomice", files=[("zaświadczenie.pdf", PDF)])
    orid = make_request("gostynin", kind="za-zyciem", files=[("inne.pdf", PDF)])
    att = db.session.get_one(Request, rid).attachments[0].id
    oatt = db.session.get_one(Request, orid).attachments[0].id
    return World(worker, manager, other_worker, other_manager, admin, rid, orid, att, oatt)
