"""`content-check`: validate `content/` (the pages) and `forms/` (the requests)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.pages.check import check_content
from portal.referrals.definitions import check_forms


@click.command("content-check")
@with_appcontext
def content_check_command() -> None:
    """Validate content/ and forms/; list every problem with file and line."""
    problems = check_content(current_app.config["PORTAL_CONTENT_DIR"])
    problems += check_forms(current_app.config["PORTAL_FORMS_DIR"])
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(1)
    click.echo("content and forms: no problems")
