"""Requests: the parent's self-referral and the "Za życiem" application."""

from __future__ import annotations

from flask import Flask


def configure_referrals(app: Flask) -> None:
    """Load the form definitions and register the request views."""
    from portal.referrals.views import bp

    app.register_blueprint(bp)
