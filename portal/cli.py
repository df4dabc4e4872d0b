"""Command-line commands (`flask --app portal …`)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.pages.check import check_content
from portal.pages.problems import Problem


@click.command("content-check")
@with_appcontext
def content_check_command() -> None:
    """Validate content/ and forms/; list every problem with file and line."""
    problems = check_content(current_app.config["PORTAL_CONTENT_DIR"])
    problems += _form_problems()
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(1)
    click.echo("content and forms: no problems")


def _form_problems() -> list[Problem]:
    from portal.referrals.definitions import check_forms

    return check_forms(current_app.config["PORTAL_FORMS_DIR"])


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema."""
    from portal.database import upgrade_database

    upgrade_database()
    click.echo("database ready")


@click.command("make-migration")
@click.argument("message")
@with_appcontext
def make_migration_command(message: str) -> None:
    """Write a migration for what the models changed (for developers)."""
    from portal.database import make_migration

    make_migration(message)


def configure_cli(app: Flask) -> None:
    """Register the commands; feature packages add their own next to their code."""
    app.cli.add_command(content_check_command)
    app.cli.add_command(init_db_command)
    app.cli.add_command(make_migration_command)
