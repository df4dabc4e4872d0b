"""Staff authentication: passwords, TOTP, sessions, set-password links."""

from __future__ import annotations

import os

from flask import Flask

# Defaults of the settings this package reads; the environment or a test may override them.
DEFAULTS: dict[str, int | float] = {
    "PORTAL_LOGIN_DELAY": 0.5,  # seconds per recent failure, up to five times
    "PORTAL_LOCKOUT_ATTEMPTS": 5,  # failures of one account before it is locked
    "PORTAL_IP_LOCKOUT_ATTEMPTS": 20,  # failures from one address before it is locked
    "PORTAL_LOCKOUT_MINUTES": 15,
    "PORTAL_SESSION_IDLE_MINUTES": 30,
    "PORTAL_SESSION_MAX_HOURS": 12,
    "PORTAL_SET_PASSWORD_HOURS": 72,
    "PORTAL_ARGON2_MEMORY_KIB": 64 * 1024,
}


def configure_auth(app: Flask) -> None:
    """Register the login views and the per-request user loading."""
    from portal.auth.cli import create_user_command, demo_setup_command
    from portal.auth.views import bp

    for key, default in DEFAULTS.items():
        # The environment may set each one (same name); explicit test config wins over both.
        raw = os.environ.get(key, "").strip()
        app.config.setdefault(key, type(default)(raw) if raw else default)
    app.register_blueprint(bp)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_setup_command)
