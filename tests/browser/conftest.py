"""Fixtures for the real-browser tests: a live portal and Debian's Chromium via Playwright.

The portal runs in a thread of this process (CSRF on, rate limits off) on one
database for the whole session; one Chromium is launched for the session and each
test gets a fresh browser context, so cookies never leak between tests.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from portal.core.extensions import db
from tests.conftest import make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent
# Generous for a slow CI machine; a healthy local run needs a fraction of it.
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/browser/ carries the `browser` marker (`-m "not browser"` skips them)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request; errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@contextmanager
def serving(app: Flask, name: str) -> Iterator[str]:
    """Serve `app` on a free local port in a thread; yields its base URL, then stops it."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal served on a free local port; yields its base URL without a trailing slash."""
    app = make_app(
        tmp_path_factory.mktemp("browser-db"),
        schema="browser_live",
        RATELIMIT_ENABLED=False,
        WTF_CSRF_ENABLED=True,
    )
    with serving(app, "live-portal") as url:
        app.config["PORTAL_BASE_URL"] = url  # the status link shown for copying points here
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need Debian's chromium "
            "(apt-get install chromium; .ci/run installs it). Playwright's own browser "
            "download is not used."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


NewPage = Callable[..., Any]


@pytest.fixture
def new_page(browser: Any, live_server: str) -> Iterator[NewPage]:
    """A factory of pages, each in its own fresh context (options as `browser.new_context`)."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("base_url", live_server)
        options.setdefault("locale", "pl-PL")
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: NewPage) -> Any:
    """A page in a fresh desktop-sized context (JavaScript on, Polish browser locale)."""
    return new_page(viewport={"width": 1280, "height": 900})


# --- the staff panel (tests/browser/test_panel.py) ------------------------------------------


@dataclass
class PanelServer:
    """A live portal for the panel tests, with its app, so a test can create accounts in it."""

    url: str
    app: Flask


@pytest.fixture(scope="session")
def panel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PanelServer]:
    """Its own portal (fast password hashing, no login slowdown, CSRF on), served like
    `live_server`; set-password links printed by `create-user` point at it."""
    app = make_app(
        tmp_path_factory.mktemp("panel-db"),
        schema="browser_panel",
        RATELIMIT_ENABLED=False,
        WTF_CSRF_ENABLED=True,
        PORTAL_ARGON2_MEMORY_KIB=64,
        PORTAL_LOGIN_DELAY=0,
    )
    with serving(app, "live-panel") as url:
        app.config["PORTAL_BASE_URL"] = url
        yield PanelServer(url, app)


@pytest.fixture
def panel_page(browser: Any, panel_server: PanelServer) -> Iterator[Callable[..., Any]]:
    """A factory of pages on the panel's server, each in its own fresh context (Polish
    browser locale): desktop-sized, or 360 px wide with `panel_page(phone=True)`."""
    from tests.browser.flows import PHONE

    contexts: list[Any] = []

    def make(*, phone: bool = False) -> Any:
        size = PHONE if phone else {"viewport": {"width": 1280, "height": 900}}
        context = browser.new_context(base_url=panel_server.url, locale="pl-PL", **size)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
