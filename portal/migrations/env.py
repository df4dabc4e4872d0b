"""Alembic environment: runs inside the Flask app, on the app's own engine."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from portal.core.database import import_models
from portal.core.extensions import db

import_models()
target_metadata = db.metadata


def run_migrations() -> None:
    """Migrate on the connection the caller handed over, or on the app's engine."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with db.engine.connect() as conn:
        _run(conn)
        conn.commit()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
