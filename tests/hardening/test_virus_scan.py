"""Production does not run without a virus scan unless told so; /healthz reports the scanner."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal import create_app
from portal.core.settings import ConfigError
from tests.conftest import make_app


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Production with everything it needs except a virus scanner."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_BASE_URL", "https://asystent.example.org")
    monkeypatch.setenv("PORTAL_TRUSTED_HOSTS", "asystent.example.org")
    monkeypatch.delenv("PORTAL_CLAMD_SOCKET", raising=False)
    monkeypatch.delenv("PORTAL_VIRUS_SCAN", raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_a_scanner(production: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"PORTAL_CLAMD_SOCKET \(or PORTAL_VIRUS_SCAN=off\)"):
        create_app()


def test_production_starts_without_one_when_the_operator_says_off(
    production: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    production.setenv("PORTAL_VIRUS_SCAN", "off")
    app = make_app(tmp_path)
    health = app.test_client().get("/healthz", base_url="https://asystent.example.org")
    assert health.get_json()["virus_scanner"] == "off"


def test_production_with_a_scanner_starts(production: pytest.MonkeyPatch) -> None:
    production.setenv("PORTAL_CLAMD_SOCKET", "/run/clamav/clamd.ctl")
    assert create_app().config["PORTAL_CLAMD_SOCKET"] == "/run/clamav/clamd.ctl"


def test_virus_scan_takes_only_on_or_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_VIRUS_SCAN", "no")
    with pytest.raises(ConfigError, match="PORTAL_VIRUS_SCAN"):
        create_app()


def test_healthz_reports_a_running_scanner(tmp_path: Path, clamd_socket: str) -> None:
    app = make_app(tmp_path, PORTAL_CLAMD_SOCKET=clamd_socket)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "virus_scanner": "ok"}


def test_healthz_reports_a_scanner_that_is_down(tmp_path: Path) -> None:
    app = make_app(tmp_path, PORTAL_CLAMD_SOCKET=str(tmp_path / "no-clamd.sock"))
    response = app.test_client().get("/healthz")
    # Uploads are refused meanwhile, the rest of the site works: degraded, not down.
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "degraded",
        "database": "ok",
        "virus_scanner": "unavailable",
    }
