"""Migrations: an empty database migrated to head matches the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import inspect

from portal.core.database import import_models
from portal.core.extensions import db


def test_migrated_schema_matches_models(app: Flask) -> None:
    with app.app_context():
        import_models()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_init_db_is_idempotent(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"requests", "attachments", "users", "audit_events", "alembic_version"} <= tables


def test_upgrade_from_an_empty_database(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        import_models()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE alembic_version")
        assert "requests" not in inspect(db.engine).get_table_names()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        assert "requests" in inspect(db.engine).get_table_names()


def test_requests_stored_before_due_dates_get_theirs(app: Flask) -> None:
    from datetime import date, datetime

    from alembic import command
    from sqlalchemy import text

    from portal.core.database import alembic_config

    with app.app_context():
        import_models()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE alembic_version")
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "c4e1d7a9b2f3")  # the revision before due dates
            connection.execute(
                text(
                    "INSERT INTO form_versions (form, digest, definition, created_at) "
                    "VALUES ('zgloszenie', 'd', '{}', :at)"
                ),
                {"at": datetime(2026, 4, 1)},
            )
            connection.execute(
                text(
                    "INSERT INTO requests (reference, centre_slug, kind, status, urgent, "
                    "outside_area, lang, idempotency_key, form_version_id, key_id, answers, "
                    "created_at, status_changed_at) VALUES ('TOM-2026-OLD01', 'tomice', "
                    "'zgloszenie', 'new', :urgent, :no, 'pl', 'k', 1, 't1', :blob, :at, :at)"
                ),
                # 10:00 in Poland on the Thursday before Easter 2026.
                {"urgent": False, "no": False, "blob": b"x", "at": datetime(2026, 4, 2, 8, 0)},
            )
            command.upgrade(config, "head")
        due = db.session.scalar(text("SELECT due_date FROM requests"))
    # Tomice answers in 5 working days: Easter Monday is stepped over.
    assert str(due) == date(2026, 4, 10).isoformat()
