"""Settings: one typed table of every setting, its default and its parser.

Each `Setting` names the environment variable, the `app.config` key it fills,
the parser that turns the text into a value, and the default. `load_config`
reads them all once; a test may override any key through `test_config`.
DESIGN.md's "Configuration" table and the README list the same names.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent

LANGUAGES = ("pl", "en", "uk")
# Development without PORTAL_BASE_URL: where `flask run` serves (`make run` sets its own port).
DEV_BASE_URL = "http://127.0.0.1:5000"
DEFAULT_LANGUAGE = "pl"


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def _words(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _base_url(text: str) -> str:
    """An http(s) address without query or fragment, kept without a trailing slash."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError("expected an address like https://asystent.example.org")
    return text.rstrip("/")


def _web_address(text: str) -> str:
    """An absolute http(s) address (a link that leads off the site)."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected an address like https://example.org/")
    return text


def _on_off(text: str) -> bool:
    """`on` or `off` (a switch an operator must spell out)."""
    if text.lower() not in ("on", "off"):
        raise ValueError("expected on or off")
    return text.lower() == "on"


def _flag_off(text: str) -> bool:
    """True unless the text is "0" (for switches that default to on)."""
    return text != "0"


@dataclass(frozen=True)
class Setting:
    """One environment variable and the config key it fills."""

    env: str
    default: Any
    parse: Callable[[str], Any] = str
    key: str = ""  # the app.config key; the variable's own name when empty
    doc: str = ""

    @property
    def config_key(self) -> str:
        return self.key or self.env

    def read(self, environ: dict[str, str] | os._Environ[str]) -> Any:
        """The parsed value from `environ`, or the default when unset or blank."""
        raw = environ.get(self.env, "").strip()
        if not raw:
            return self.default() if callable(self.default) else self.default
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{self.env}: cannot read {raw!r} ({exc}).") from None


def _content_dir() -> Path:
    return PROJECT_ROOT / "content"


def _forms_dir() -> Path:
    return PROJECT_ROOT / "forms"


SETTINGS: tuple[Setting, ...] = (
    Setting("PORTAL_CONTENT_DIR", _content_dir, Path, doc="centre pages and centre.yml"),
    Setting("PORTAL_FORMS_DIR", _forms_dir, Path, doc="form definitions"),
    Setting("PORTAL_SMTP_URL", None, doc="unset: mail stays in the outbox"),
    Setting("PORTAL_MAIL_FROM", "portal@localhost"),
    # The mail worker (`send-outbox --watch`): a message SMTP did not take is tried again
    # after RETRY seconds, twice that after the next failure, and so on up to RETRY_MAX.
    Setting("PORTAL_MAIL_RETRY_SECONDS", 30.0, float),
    Setting("PORTAL_MAIL_RETRY_MAX_SECONDS", 3600.0, float),
    Setting("PORTAL_MAIL_POLL_SECONDS", 5.0, float, doc="how often the worker looks for mail"),
    # Every link that leaves the site is built on it, never on the request's Host.
    Setting("PORTAL_BASE_URL", None, _base_url, doc="required in production"),
    Setting("PORTAL_RATELIMIT_STORAGE_URL", "memory://", doc="Redis in production"),
    Setting("PORTAL_MAX_UPLOAD_MB", 10, int),
    Setting("PORTAL_CLAMD_SOCKET", None, doc="unset: no virus scan"),
    # Production refuses to start without a scanner unless the operator says `off`.
    Setting("PORTAL_VIRUS_SCAN", True, _on_off, doc="on (default) or off"),
    Setting("PORTAL_RETENTION_MONTHS", 12, int, doc="how long a closed request is kept"),
    # Five years, the usual term for records of who accessed what.
    Setting("PORTAL_AUDIT_RETENTION_MONTHS", 60, int, doc="how long audit events are kept"),
    # How many reverse proxies stand in front (X-Forwarded-For/-Proto are trusted that deep).
    Setting("PORTAL_PROXY_COUNT", 0, int),
    # Off only for load tests: rate limits protect the public forms.
    Setting("PORTAL_RATELIMIT_ENABLED", True, _flag_off, key="RATELIMIT_ENABLED"),
    Setting("PORTAL_TRUSTED_HOSTS", None, _words, key="TRUSTED_HOSTS"),
    Setting("PORTAL_SECRET_KEY_FALLBACKS", list, _words, key="SECRET_KEY_FALLBACKS"),
    # Where the quick-exit link leads: a page that reveals nothing (the state weather service's
    # forecast), on another site so the Back button does not land on this one.
    Setting("PORTAL_QUICK_EXIT_URL", "https://meteo.imgw.pl/", _web_address, doc="neutral page"),
    # How long a saved draft of a form ("finish later") can be restored, in days.
    Setting("PORTAL_DRAFT_DAYS", 7, int, doc="how long a saved draft is kept"),
    # Staff sign-in (portal.auth).
    Setting("PORTAL_LOGIN_DELAY", 0.5, float, doc="seconds per recent failure, up to five"),
    Setting("PORTAL_LOCKOUT_ATTEMPTS", 5, int, doc="failures of one account before a lock"),
    Setting("PORTAL_IP_LOCKOUT_ATTEMPTS", 20, int, doc="failures from one address"),
    Setting("PORTAL_LOCKOUT_MINUTES", 15, int),
    Setting("PORTAL_SESSION_IDLE_MINUTES", 30, int),
    Setting("PORTAL_SESSION_MAX_HOURS", 12, int),
    Setting("PORTAL_SET_PASSWORD_HOURS", 72, int),
    Setting("PORTAL_ARGON2_MEMORY_KIB", 64 * 1024, int),
    # The staff panel's queue.
    Setting("PORTAL_QUEUE_PAGE_SIZE", 50, int),
    # The request's PDF (panel): a folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf.
    Setting(
        "PORTAL_PDF_FONT_DIR",
        Path("/usr/share/fonts/truetype/dejavu"),
        Path,
        doc="Debian's fonts-dejavu-core",
    ),
    # Public pages: how long an edited content file, or a page published in the panel on
    # another host, may go unnoticed, in seconds.
    Setting("PORTAL_CONTENT_RECHECK_SECONDS", 1.0, float),
    # ...and how long a proxy may serve a public page before it asks again (max-age).
    Setting("PORTAL_PAGE_MAX_AGE", 300, int),
)


def _instance_secret(instance: Path, name: str, make: Callable[[], str]) -> str:
    """Read a development secret from instance/, creating it once.

    Development only: production must set the variable (see `_secrets`).
    """
    path = instance / name
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _generate_data_key() -> str:
    from portal.core.crypto import Keyring

    return Keyring.generate_value("dev1")


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def load_config(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    """Fill `app.config` from the settings table, then apply `test_config`."""
    instance = Path(app.instance_path)
    production = os.environ.get("PORTAL_ENV", "development") == "production"
    cfg: dict[str, Any] = {s.config_key: s.read(os.environ) for s in SETTINGS}
    cfg.update(
        {
            "PORTAL_PRODUCTION": production,
            "SQLALCHEMY_DATABASE_URI": _env("PORTAL_DATABASE_URL")
            or f"sqlite:///{instance / 'portal.sqlite3'}",
            # Babel and Flask resolve relative paths against portal/, not the project root.
            "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
            "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
            "WTF_CSRF_TIME_LIMIT": 4 * 3600,  # a long form on a bad day may take a while
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": production,
            "SESSION_COOKIE_NAME": "portal_session",
        }
    )
    if cfg["TRUSTED_HOSTS"] is None:
        del cfg["TRUSTED_HOSTS"]  # Flask's own default: any host (development)
    cfg.update(_secrets(instance, production))
    app.config.from_mapping(cfg)
    if test_config:
        app.config.from_mapping(test_config)
    if production:
        _refuse_unsafe_production(app.config)
    elif not app.config["PORTAL_BASE_URL"]:
        # Clearly local, never the request's Host: a link in mail must not follow a header.
        app.config["PORTAL_BASE_URL"] = DEV_BASE_URL
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["PORTAL_RATELIMIT_STORAGE_URL"])
    _apply_body_limits(app)


def _refuse_unsafe_production(config: Mapping[str, Any]) -> None:
    """Production starts only with its keys, its address, its host names and a virus scan.

    One message names everything missing, so an operator fixes it in one go.
    """
    missing = [key for key in ("PORTAL_SECRET_KEY", "PORTAL_DATA_KEY") if not _env(key)]
    if not config["PORTAL_BASE_URL"]:
        missing.append("PORTAL_BASE_URL")
    if not config.get("TRUSTED_HOSTS"):
        missing.append("PORTAL_TRUSTED_HOSTS")
    if not config["PORTAL_CLAMD_SOCKET"] and config["PORTAL_VIRUS_SCAN"]:
        missing.append("PORTAL_CLAMD_SOCKET (or PORTAL_VIRUS_SCAN=off)")
    if missing:
        raise ConfigError(f"Production needs {', '.join(missing)} to be set.")


def _secrets(instance: Path, production: bool) -> dict[str, Any]:
    """The two keys from the environment; development generates them into instance/.

    Production never generates them: `_refuse_unsafe_production` names the missing ones.
    """
    secret, data_key = _env("PORTAL_SECRET_KEY"), _env("PORTAL_DATA_KEY")
    if production:
        return {"SECRET_KEY": secret, "PORTAL_DATA_KEY": data_key}
    return {
        "SECRET_KEY": secret
        or _instance_secret(instance, "secret_key", lambda: secrets.token_urlsafe(48)),
        "PORTAL_DATA_KEY": data_key or _instance_secret(instance, "data_key", _generate_data_key),
    }


def _apply_body_limits(app: Flask) -> None:
    """Bound request bodies so huge posts get a page, not a dropped connection."""
    per_file = app.config["PORTAL_MAX_UPLOAD_MB"] * 1024 * 1024
    # Three certificates plus the form fields.
    app.config.setdefault("MAX_CONTENT_LENGTH", per_file * 3 + 256 * 1024)
    app.config.setdefault("MAX_FORM_MEMORY_SIZE", 64 * 1024)
    app.config.setdefault("MAX_FORM_PARTS", 200)
