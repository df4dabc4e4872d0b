"""Requests: the parent's self-referral and the "Za życiem" application."""

from __future__ import annotations

from flask import Flask


def configure_referrals(app: Flask) -> None:
    """Build the form classes from `forms/` and register the request views."""
    from portal.core.clock import local_day
    from portal.referrals.builder import FormRegistry
    from portal.referrals.cli import content_check_command, index_people_command
    from portal.referrals.presenter import emergency_links, iso_date
    from portal.referrals.views import bp

    app.extensions["portal.forms"] = FormRegistry(app.config["PORTAL_FORMS_DIR"])
    app.register_blueprint(bp)
    app.add_template_filter(emergency_links)
    app.add_template_test(iso_date)
    app.add_template_filter(local_day)  # dates shown as the applicant's Polish calendar day
    app.cli.add_command(content_check_command)
    app.cli.add_command(index_people_command)
