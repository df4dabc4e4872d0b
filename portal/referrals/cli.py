"""`content-check`: validate `content/` and the published pages (the pages) and `forms/`
(the requests)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from portal.core.problems import Problem
from portal.pages.check import Published, check_content
from portal.pages.links import routes_of
from portal.pages.published import published_documents
from portal.referrals.definitions import check_forms


@click.command("content-check")
@click.option(
    "--files-only", is_flag=True, help="Check content/ without the pages published in the database."
)
@with_appcontext
def content_check_command(files_only: bool) -> None:
    """Validate content/, the published pages and forms/; list every problem with file and
    line."""
    content_dir = current_app.config["PORTAL_CONTENT_DIR"]
    published: Published = {}
    problems: list[Problem] = []
    if not files_only:
        try:
            published = published_documents()
        except SQLAlchemyError as exc:
            reason = str(exc).splitlines()[0]
            problems.append(
                Problem(
                    content_dir,
                    1,
                    "cannot read the published pages from the "
                    f"database (init-db? --files-only?): {reason}",
                )
            )
    problems += check_content(content_dir, published, routes_of(current_app.url_map))
    problems += check_forms(current_app.config["PORTAL_FORMS_DIR"])
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(1)
    click.echo("content and forms: no problems")


@click.command("index-people")
@click.option("--batch-size", default=500, show_default=True, help="requests per transaction")
@with_appcontext
def index_people_command(batch_size: int) -> None:
    """Build the blind index of requests stored before it existed (once, after upgrading).

    Safe to run again: only requests without any index entry are read.
    """
    from portal.referrals.people import index_missing

    total = sum(index_missing(batch_size))
    click.echo(f"{total} requests indexed")
