"""Staff authentication: passwords, TOTP, sessions, set-password links."""

from __future__ import annotations

from flask import Flask


def configure_auth(app: Flask) -> None:
    """Register the login views and the per-request user loading."""
    from portal.auth.cli import create_user_command, demo_setup_command
    from portal.auth.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_setup_command)
