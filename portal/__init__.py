"""Portal asystenta rodziny: the Flask application factory.

`create_app` only composes named steps; each step lives next to the feature it sets up.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from portal.config import PROJECT_ROOT


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the portal application."""
    from portal import cli, config, errors, health, i18n, logs, security, sessions, tenancy
    from portal.pages import configure_pages
    from portal.referrals import configure_referrals

    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    config.load_config(app, test_config)
    logs.configure_logging(app)
    configure_proxy(app)
    sessions.configure_sessions(app)
    configure_extensions(app)
    i18n.configure_i18n(app)
    tenancy.configure_tenancy(app)
    security.configure_security(app)
    configure_pages(app)
    configure_referrals(app)
    configure_panel(app)
    health.configure_health(app)
    errors.configure_errors(app)
    cli.configure_cli(app)
    return app


def configure_proxy(app: Flask) -> None:
    """Trust X-Forwarded-* from the configured number of proxies (client IP, https)."""
    count = app.config["PORTAL_PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def configure_extensions(app: Flask) -> None:
    """Bind the shared extensions to this app."""
    from portal.database import configure_sqlite
    from portal.extensions import csrf, db, limiter

    configure_sqlite()
    db.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["PORTAL_RATELIMIT_STORAGE_URL"])
    limiter.init_app(app)


def configure_panel(app: Flask) -> None:
    """The staff side: accounts and the triage queue."""
    from portal.auth import configure_auth
    from portal.panel import configure_panel as configure

    configure_auth(app)
    configure(app)
