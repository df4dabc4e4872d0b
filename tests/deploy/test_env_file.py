"""deploy/portal.env names only settings the portal (or gunicorn) reads; the local stack
sets every one of them, with loopback addresses only; the guide names every file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from portal.core.settings import SETTINGS
from stack.config import DEPLOY, read_env_file
from stack.local import Ports, environment
from tests.conftest import ROOT

# Read by portal/core/settings.py outside the table (mode, database, the two keys).
SPECIAL = {"PORTAL_ENV", "PORTAL_DATABASE_URL", "PORTAL_SECRET_KEY", "PORTAL_DATA_KEY"}


def test_every_variable_is_a_setting() -> None:
    names = set(read_env_file(DEPLOY / "portal.env"))
    known = {s.env for s in SETTINGS} | SPECIAL | {"GUNICORN_CMD_ARGS"}
    assert names - known == set()
    assert {"PORTAL_BASE_URL", "PORTAL_TRUSTED_HOSTS", "PORTAL_CLAMD_SOCKET"} <= names


def test_the_local_stack_sets_every_variable_on_loopback() -> None:
    values = environment(Ports(8080, (8001, 8002), 5432, 6379, 2525), "/run/c.sock", Path("c"))
    assert set(read_env_file(DEPLOY / "portal.env")) <= set(values)
    assert values["PORTAL_ENV"] == "production" and values["PORTAL_TRUSTED_HOSTS"] == "127.0.0.1"
    addresses = [v for v in values.values() if "://" in v]
    assert len(addresses) == 4  # database, site, Redis, SMTP
    assert {urlsplit(v).hostname for v in addresses} == {"127.0.0.1"}


def test_the_guide_points_at_every_file_of_deploy() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    files = [p for p in DEPLOY.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(p.relative_to(ROOT) for p in files):
        assert f"`{path}`" in guide, path
