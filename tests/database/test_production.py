"""Production settings: required keys, trusted hosts, key rotation, Redis-backed rate limits."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from portal import create_app
from portal.core.crypto import Keyring
from portal.core.extensions import db
from portal.core.settings import ConfigError
from portal.referrals.display import attachment_content, stored_answers
from portal.referrals.models import Attachment, Request
from tests.conftest import TEST_DATA_KEY, make_app
from tests.referrals.helpers import (
    PARENT,
    PESEL,
    ZZ,
    form_key,
    parent_answers,
    pdf_bytes,
    upload,
    zz_answers,
)


@pytest.mark.parametrize(
    ("unset", "named"),
    [
        (["PORTAL_SECRET_KEY"], "PORTAL_SECRET_KEY"),
        (["PORTAL_DATA_KEY"], "PORTAL_DATA_KEY"),
        (["PORTAL_SECRET_KEY", "PORTAL_DATA_KEY"], "PORTAL_SECRET_KEY, PORTAL_DATA_KEY"),
    ],
)
def test_production_refuses_to_start_without_keys(
    monkeypatch: pytest.MonkeyPatch, unset: list[str], named: str
) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    for name in unset:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match=named):
        create_app()


def test_production_answers_only_its_hosts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_TRUSTED_HOSTS", "portal.example.org, www.portal.example.org")
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.example.org")
    monkeypatch.setenv("PORTAL_VIRUS_SCAN", "off")
    app = make_app(tmp_path)
    client = app.test_client()
    assert client.get("/", base_url="https://portal.example.org").status_code == 200
    assert client.get("/", base_url="https://evil.example").status_code == 400
    assert app.config["SESSION_COOKIE_SECURE"] is True


def _submit_with_file(app: Flask) -> None:
    client = app.test_client()
    key = form_key(client, ZZ)
    check = client.post(ZZ, data={**zz_answers(key), "certificates": [upload(pdf_bytes())]})
    held = re.findall(r'name="held" value="([^"]+)"', check.text)
    assert (
        client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"}).status_code == 302
    )


def test_rotate_key_reencrypts_everything(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    _submit_with_file(app)
    _submit_with_file(app)
    new = Keyring.generate_value("t2")
    app.config["PORTAL_DATA_KEY"] = f"{new},{TEST_DATA_KEY}"
    runner: FlaskCliRunner = app.test_cli_runner()
    result = runner.invoke(args=["rotate-key", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "0 left on old keys" in result.output
    app.config["PORTAL_DATA_KEY"] = new  # the old key is gone now
    with app.app_context():
        requests = db.session.scalars(select(Request)).all()
        assert {r.key_id for r in requests} == {"t2"}
        assert all(stored_answers(r)["pesel"] == PESEL for r in requests)
        for att in db.session.scalars(select(Attachment)):
            assert att.key_id == "t2" and attachment_content(att).startswith(b"%PDF")
    again = runner.invoke(args=["rotate-key"])
    assert "0 rows re-encrypted; 0 left" in again.output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Redis server .ci/run started (PORTAL_TEST_REDIS_URL), or one of our own."""
    given = os.environ.get("PORTAL_TEST_REDIS_URL")
    if given:
        yield given
        return
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        pytest.fail("redis-server is missing: install Debian's redis-server (.ci/run does)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_rate_limit_is_shared_through_redis(tmp_path: Path, redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # counts of an earlier run would carry over
    settings = {"RATELIMIT_ENABLED": True, "PORTAL_RATELIMIT_STORAGE_URL": redis_url}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    host_a = make_app(tmp_path / "a", **settings).test_client()
    host_b = make_app(tmp_path / "b", **settings).test_client()
    codes = [(host_a if i % 2 else host_b).post(PARENT, data={}).status_code for i in range(30)]
    assert set(codes) == {400}
    assert host_a.post(PARENT, data=parent_answers("k" * 32)).status_code == 429
    assert host_b.post(PARENT, data={}).status_code == 429
