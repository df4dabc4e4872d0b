"""Mail: the outbox the panel shows, and the worker that sends it by SMTP (`send-outbox`)."""

from __future__ import annotations

from flask import Flask


def configure_notifications(app: Flask) -> None:
    """Register `send-outbox [--watch]`."""
    from portal.notifications.cli import send_outbox_command

    app.cli.add_command(send_outbox_command)
