"""Shared fixtures: an app on a real database file (or PostgreSQL), a client, a CLI runner.

Set PORTAL_TEST_DATABASE_URL to run the suite on PostgreSQL; each test gets
empty tables either way.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from portal import create_app
from portal.core.extensions import db

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA_KEY = "t1:" + base64.urlsafe_b64encode(b"k" * 32).decode().rstrip("=")

# Fixed keys for tests, so nothing is generated into instance/.
os.environ.setdefault("PORTAL_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("PORTAL_DATA_KEY", TEST_DATA_KEY)


_APPS: list[Flask] = []

collect_ignore: list[str] = []
# Tests that need PostgreSQL's own tools run only in the PostgreSQL pass (`make test-postgres`).
if not os.environ.get("PORTAL_TEST_DATABASE_URL", "").startswith("postgresql"):
    collect_ignore.append("postgres")
# The end-to-end suite against the local stack (nginx, two gunicorns…) runs on its own:
# `make stack-test`.
if os.environ.get("PORTAL_STACK_TEST") != "1":
    collect_ignore.append("stack")


def database_url(tmp_path: Path, schema: str | None = None) -> str:
    """SQLite in `tmp_path`, or the PostgreSQL database of PORTAL_TEST_DATABASE_URL (in
    `schema`, if given, instead of the shared `public`)."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    if schema is None:
        return url
    _create_schema(url, schema)
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def _create_schema(url: str, schema: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        engine.dispose()


def make_app(tmp_path: Path, **overrides: object) -> Flask:
    """An app with its own empty database, configured with `overrides`.

    On PostgreSQL every app shares one database, so an app that lives across tests (a
    browser test's live server) passes its own `schema="…"`: another app's start-up
    empties `public`, and must not empty the tables a running server reads.
    """
    from portal.core.database import import_models, upgrade_database

    schema = overrides.pop("schema", None)
    assert schema is None or isinstance(schema, str)

    config: dict[str, object] = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path, schema),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PORTAL_CONTENT_DIR": ROOT / "content",
        "PORTAL_FORMS_DIR": ROOT / "forms",
        "PORTAL_SMTP_URL": None,
        "PORTAL_CLAMD_SOCKET": None,
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        import_models()
        # PostgreSQL keeps tables between tests: start each test from an empty database.
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade_database()
    _APPS.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_databases() -> Iterator[None]:
    """Close every app's connections after each test (PostgreSQL counts them)."""
    yield
    while _APPS:
        app = _APPS.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return make_app(tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
