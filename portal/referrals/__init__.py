"""Requests: the parent's self-referral and the "Za życiem" application."""

from __future__ import annotations

from flask import Flask


def configure_referrals(app: Flask) -> None:
    """Build the form classes from `forms/` and register the request views."""
    from portal.referrals.builder import FormRegistry
    from portal.referrals.cli import content_check_command
    from portal.referrals.views import bp

    app.extensions["portal.forms"] = FormRegistry(app.config["PORTAL_FORMS_DIR"])
    app.register_blueprint(bp)
    app.cli.add_command(content_check_command)
