"""`send-outbox`: deliver what waits in the outbox."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


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
