"""Configuration from the environment (DESIGN.md, "Configuration")."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent

LANGUAGES = ("pl", "en", "uk")
DEFAULT_LANGUAGE = "pl"


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def _instance_secret(instance: Path, name: str, make: Any) -> str:
    """Read a development secret from instance/, creating it once.

    Development only: production must set the variable (see `load_config`).
    """
    path = instance / name
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _generate_data_key() -> str:
    from portal.storage.crypto import Keyring

    return Keyring.generate_value("dev1")


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def load_config(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    """Fill `app.config` from PORTAL_* variables, then apply `test_config`."""
    instance = Path(app.instance_path)
    production = os.environ.get("PORTAL_ENV", "development") == "production"
    cfg: dict[str, Any] = {
        "PORTAL_PRODUCTION": production,
        "SQLALCHEMY_DATABASE_URI": _env("PORTAL_DATABASE_URL")
        or f"sqlite:///{instance / 'portal.sqlite3'}",
        "PORTAL_CONTENT_DIR": Path(_env("PORTAL_CONTENT_DIR") or PROJECT_ROOT / "content"),
        "PORTAL_FORMS_DIR": Path(_env("PORTAL_FORMS_DIR") or PROJECT_ROOT / "forms"),
        "PORTAL_SMTP_URL": _env("PORTAL_SMTP_URL"),
        "PORTAL_MAIL_FROM": _env("PORTAL_MAIL_FROM") or "portal@localhost",
        "PORTAL_BASE_URL": _env("PORTAL_BASE_URL"),
        "PORTAL_RATELIMIT_STORAGE_URL": _env("PORTAL_RATELIMIT_STORAGE_URL") or "memory://",
        "PORTAL_MAX_UPLOAD_MB": int(_env("PORTAL_MAX_UPLOAD_MB") or 10),
        "PORTAL_CLAMD_SOCKET": _env("PORTAL_CLAMD_SOCKET"),
        "PORTAL_RETENTION_MONTHS": int(_env("PORTAL_RETENTION_MONTHS") or 12),
        # How many reverse proxies stand in front (X-Forwarded-For/-Proto are trusted that deep).
        "PORTAL_PROXY_COUNT": int(_env("PORTAL_PROXY_COUNT") or 0),
        # Off only for load tests: rate limits protect the public forms.
        "RATELIMIT_ENABLED": _env("PORTAL_RATELIMIT_ENABLED") != "0",
        # Babel and Flask resolve relative paths against portal/, not the project root.
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,  # a long form on a bad day may take a while
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "portal_session",
    }
    cfg.update(_secrets(instance, production))
    hosts = _env("PORTAL_TRUSTED_HOSTS")
    if hosts:
        cfg["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]
    app.config.from_mapping(cfg)
    if test_config:
        app.config.from_mapping(test_config)
    _apply_body_limits(app)


def _secrets(instance: Path, production: bool) -> dict[str, Any]:
    secret = _env("PORTAL_SECRET_KEY")
    data_key = _env("PORTAL_DATA_KEY")
    if production:
        missing = [
            name
            for name, value in (("PORTAL_SECRET_KEY", secret), ("PORTAL_DATA_KEY", data_key))
            if not value
        ]
        if missing:
            raise ConfigError(f"Production needs {', '.join(missing)} to be set.")
    fallbacks = _env("PORTAL_SECRET_KEY_FALLBACKS")
    return {
        "SECRET_KEY": secret
        or _instance_secret(instance, "secret_key", lambda: secrets.token_urlsafe(48)),
        "SECRET_KEY_FALLBACKS": [k for k in (fallbacks or "").split(",") if k],
        "PORTAL_DATA_KEY": data_key or _instance_secret(instance, "data_key", _generate_data_key),
    }


def _apply_body_limits(app: Flask) -> None:
    """Bound request bodies so huge posts get a page, not a dropped connection."""
    per_file = app.config["PORTAL_MAX_UPLOAD_MB"] * 1024 * 1024
    # Three certificates plus the form fields.
    app.config.setdefault("MAX_CONTENT_LENGTH", per_file * 3 + 256 * 1024)
    app.config.setdefault("MAX_FORM_MEMORY_SIZE", 64 * 1024)
    app.config.setdefault("MAX_FORM_PARTS", 200)
