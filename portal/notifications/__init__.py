"""Mail: SMTP when PORTAL_SMTP_URL is set, otherwise an outbox the panel can show."""

from __future__ import annotations

from flask import Flask


def configure_notifications(app: Flask) -> None:
    """Register `send-outbox`."""
    from portal.notifications.cli import send_outbox_command

    app.cli.add_command(send_outbox_command)
