"""Portal asystenta rodziny: the Flask application factory.

`create_app` only composes named steps; each step lives next to the code it sets
up. The layers import downwards only: `core` (names no feature), the features
(`pages`, `uploads`, `notifications`, `audit`, `auth`, `referrals`), and `panel`
on top. This module, the composition root, is the one place that names them all.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from portal.core.settings import PROJECT_ROOT

# Every module that defines tables, so migrations see all of them. A new table or
# column needs its module here AND a migration: `flask --app portal make-migration
# "what changed"` writes one into portal/migrations/versions/ (review it, commit it).
MODEL_MODULES = (
    "portal.referrals.models",
    "portal.auth.models",
    "portal.audit.models",
    "portal.notifications.models",
    "portal.panel.models",
    "portal.pages.models",
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the portal application."""
    from portal.core import (
        assets,
        database,
        errors,
        health,
        i18n,
        links,
        logs,
        security,
        sessions,
        tenancy,
    )
    from portal.core.settings import load_config

    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    load_config(app, test_config)
    logs.configure_logging(app)
    configure_proxy(app)
    configure_bodies(app)
    sessions.configure_sessions(app)
    database.configure_database(app, MODEL_MODULES)
    i18n.configure_i18n(app)
    links.configure_links(app)
    tenancy.configure_tenancy(app)
    security.configure_security(app)
    assets.configure_assets(app)
    configure_features(app)
    health.configure_health(app)
    errors.configure_errors(app)
    return app


def configure_proxy(app: Flask) -> None:
    """Trust X-Forwarded-* from the configured number of proxies (client IP, https)."""
    count = app.config["PORTAL_PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def configure_bodies(app: Flask) -> None:
    """Refuse a body shorter than its Content-Length under any server (a 400, nothing kept)."""
    from portal.core.bodies import RefuseCutBodies

    app.wsgi_app = RefuseCutBodies(app.wsgi_app)


def configure_features(app: Flask) -> None:
    """The features, bottom up, then the staff panel on top of them."""
    from portal.auth import configure_auth
    from portal.core.rotation import configure_rotation
    from portal.notifications import configure_notifications
    from portal.pages import configure_pages
    from portal.panel import configure_panel
    from portal.referrals import configure_referrals
    from portal.uploads import configure_uploads

    configure_rotation(app)
    configure_pages(app)
    configure_uploads(app)
    configure_notifications(app)
    configure_referrals(app)
    configure_auth(app)
    configure_panel(app)
