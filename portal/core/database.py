"""Schema management: `init-db` brings an empty or older database to the current schema.

Migrations live in `portal/migrations/` (Alembic) and run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.core.extensions import csrf, db, limiter

if TYPE_CHECKING:  # Alembic (and Mako, Pygments behind it) is loaded only to migrate
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def configure_database(app: Flask, model_modules: Sequence[str]) -> None:
    """Bind the extensions, remember which modules hold tables, add the schema commands.

    The composition root names the model modules, so core never names a feature.
    """
    configure_sqlite()
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    app.extensions["portal.model_modules"] = tuple(model_modules)
    app.cli.add_command(init_db_command)
    app.cli.add_command(make_migration_command)


def import_models() -> None:
    """Import every model module so the metadata knows all tables (in an app context)."""
    for name in current_app.extensions["portal.model_modules"]:
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


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema."""
    upgrade_database()
    click.echo("database ready")


@click.command("make-migration")
@click.argument("message")
@with_appcontext
def make_migration_command(message: str) -> None:
    """Write a migration for what the models changed (for developers)."""
    make_migration(message)
