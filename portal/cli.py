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


@click.command("rotate-key")
@click.option("--batch-size", default=200, show_default=True, help="rows per transaction")
@with_appcontext
def rotate_key_command(batch_size: int) -> None:
    """Re-encrypt every request, file and secret under the first key of PORTAL_DATA_KEY.

    Safe to interrupt and run again: it continues with the rows still on old keys.
    """
    from portal.storage.keys import keyring
    from portal.storage.rotation import count_stale, rotate

    current = keyring().current_kid
    total = sum(count_stale(current).values())
    with click.progressbar(length=total, label=f"re-encrypting under '{current}'") as bar:
        for moved in rotate(batch_size):
            bar.update(moved)
    left = sum(count_stale(current).values())
    click.echo(f"{total - left} rows re-encrypted; {left} left on old keys")


@click.command("send-outbox")
@with_appcontext
def send_outbox_command() -> None:
    """Try again to send the messages SMTP refused earlier (run it from a timer)."""
    from portal.notifications.mail import deliver_all, pending

    if not current_app.config.get("PORTAL_SMTP_URL"):
        click.echo("PORTAL_SMTP_URL is not set: messages stay in the outbox", err=True)
        raise SystemExit(1)
    waiting = pending()
    deliver_all(waiting)
    left = len(pending())
    click.echo(f"{len(waiting) - left} sent; {left} still waiting")


def configure_cli(app: Flask) -> None:
    """Register the commands; feature packages add their own next to their code."""
    app.cli.add_command(content_check_command)
    app.cli.add_command(init_db_command)
    app.cli.add_command(make_migration_command)
    app.cli.add_command(rotate_key_command)
    app.cli.add_command(send_outbox_command)
