"""Account commands: `create-user` and, in development, `demo-setup`.

No password is ever given on the command line: both print a one-time link.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from portal.auth.accounts import AccountError, create_account, new_password_link
from portal.auth.login import find_user
from portal.auth.roles import Role

DEMO_EMAIL = "pracownik@tomice.example.org"
DEMO_NAME = "Anna Demo"
DEMO_CENTRE = "tomice"


@click.command("create-user")
@click.argument("email")
@click.option("--centre", "centre", required=True, help="Slug ośrodka, np. tomice.")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), required=True, help="Rola konta."
)
@click.option("--name", "name", default="", help="Imię i nazwisko widoczne w panelu.")
@with_appcontext
def create_user_command(email: str, centre: str, role: str, name: str) -> None:
    """Create a staff account and print its one-time set-password link (72 hours)."""
    try:
        _user, link = create_account(email, centre, Role(role), actor=None, name=name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        _(
            "Konto utworzone (%(role)s, %(centre)s). Link do ustawienia hasła (72 godziny):",
            role=role,
            centre=centre,
        )
    )
    click.echo(link)


@click.command("demo-setup")
@with_appcontext
def demo_setup_command() -> None:
    """Development only: a demo worker for `tomice` and its set-password link."""
    if current_app.config["PORTAL_PRODUCTION"]:
        click.echo(_("demo-setup: pominięte w produkcji."))
        return
    user = find_user(DEMO_EMAIL)
    if user is None:
        user, link = create_account(
            DEMO_EMAIL, DEMO_CENTRE, Role.WORKER, actor=None, name=DEMO_NAME
        )
    elif user.password_hash:
        click.echo(
            _(
                "Konto demonstracyjne %(email)s ma już hasło: zaloguj się na %(url)s.",
                email=DEMO_EMAIL,
                url="/panel/logowanie",
            )
        )
        return
    else:
        link = new_password_link(user, actor=None)
    click.echo(
        _(
            "Konto demonstracyjne %(email)s (%(centre)s). Ustaw hasło tutaj (72 godziny):",
            email=DEMO_EMAIL,
            centre=DEMO_CENTRE,
        )
    )
    click.echo(link)
