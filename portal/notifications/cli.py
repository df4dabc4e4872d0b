"""`send-outbox [--watch]`: deliver what waits in the outbox."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

if TYPE_CHECKING:  # smtplib and the worker load only when the command runs
    from portal.notifications.delivery import PassResult


def _report(result: PassResult) -> None:
    down = "; the SMTP server could not be reached" if result.server_down else ""
    click.echo(f"mail worker: {result.sent} sent, {result.failed} not sent{down}", err=True)


@click.command("send-outbox")
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: send new mail as it comes, retry with backoff (the mail worker).",
)
@with_appcontext
def send_outbox_command(watch: bool) -> None:
    """Send the outbox once (every message still waiting), or keep sending with --watch."""
    from portal.notifications.delivery import send_waiting
    from portal.notifications.delivery import watch as watch_outbox
    from portal.notifications.mail import pending

    if not current_app.config.get("PORTAL_SMTP_URL"):
        click.echo("PORTAL_SMTP_URL is not set: messages stay in the outbox", err=True)
        raise SystemExit(1)
    if watch:
        stop = threading.Event()

        def finish(_signum: int, _frame: FrameType | None) -> None:
            stop.set()  # the message being sent is finished first

        signal.signal(signal.SIGTERM, finish)
        signal.signal(signal.SIGINT, finish)
        click.echo("mail worker: watching the outbox", err=True)
        watch_outbox(stop, _report)
        click.echo("mail worker: stopped", err=True)
        return
    result = send_waiting()
    left = len(pending())
    click.echo(f"{result.sent} sent; {left} still waiting")
    if result.server_down:
        click.echo("the SMTP server could not be reached", err=True)
