"""Schema management: `init-db` brings an empty or older database to the current schema.

Migrations live in `portal/migrations/` (Alembic) and run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.extensions import db

if TYPE_CHECKING:  # Alembic (and Mako, Pygments behind it) is loaded only to migrate
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Every module that defines tables. A new table or column needs its module here AND a
# migration: `flask --app portal make-migration "what changed"` writes one into
# portal/migrations/versions/ (review it, commit it); tests and init-db run migrations.
MODEL_MODULES = (
    "portal.referrals.models",
    "portal.auth.models",
    "portal.audit.models",
    "portal.notifications.models",
    "portal.panel.models",
)


def import_models() -> None:
    """Import every model module so the metadata knows all tables."""
    for name in MODEL_MODULES:
        importlib.import_module(name)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and a writer work at once; NORMAL is durable enough under WAL and
    # halves each commit; foreign keys are enforced as PostgreSQL enforces them.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def configure_sqlite() -> None:
    """Set SQLite's pragmas on every new connection (PostgreSQL is left alone)."""
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the package's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_database() -> None:
    """Apply every migration the database has not had yet (inside an app context)."""
    from alembic import command

    import_models()
    with db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def make_migration(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from alembic import command

    import_models()
    with db.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
