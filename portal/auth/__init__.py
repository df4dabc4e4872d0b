"""Staff authentication: passwords, TOTP, sessions, set-password links."""

from __future__ import annotations

from flask import Flask


def configure_auth(app: Flask) -> None:
    """Register the login views and the per-request user loading."""
