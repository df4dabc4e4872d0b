"""HTTP behaviour: caching, conditional GET, no cookies on content, security headers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from portal.core.settings import DEV_BASE_URL
from tests.conftest import ROOT, make_app

CONTENT = ["/", "/en/", "/tomice/", "/uk/rozan/zadania-asystenta", "/gostynin/kontakt"]
EVERYTHING = [*CONTENT, "/tomice/zgloszenie", "/nie-ma/", "/healthz", "/static/portal.css"]


@pytest.mark.parametrize("path", CONTENT)
def test_content_pages_are_cacheable(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    changed = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_etag_differs_between_languages(client: FlaskClient) -> None:
    assert client.get("/tomice/").headers["ETag"] != client.get("/en/tomice/").headers["ETag"]


@pytest.mark.parametrize("path", EVERYTHING)
def test_security_headers_everywhere(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers


def test_hsts_over_https(client: FlaskClient) -> None:
    response = client.get("/tomice/", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_no_inline_script_or_style(client: FlaskClient) -> None:
    for path in ["/", "/tomice/", "/tomice/zgloszenie", "/gostynin/za-zyciem/wniosek"]:
        html = client.get(path).text
        assert "<style" not in html and " style=" not in html
        assert "<script>" not in html and "onclick=" not in html


def test_a_changed_file_changes_the_page_and_its_etag(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    app = make_app(tmp_path, PORTAL_CONTENT_DIR=content, PORTAL_CONTENT_RECHECK_SECONDS=0)
    client = app.test_client()
    first = client.get("/tomice/kontakt")
    page = content / "_defaults" / "kontakt.pl.md"
    page.write_text(page.read_text() + "\nNowy akapit o dyżurach.\n")
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    stale = client.get("/tomice/kontakt", headers={"If-None-Match": first.headers["ETag"]})
    assert stale.status_code == 200 and "Nowy akapit o dyżurach." in stale.text
    assert stale.headers["ETag"] != first.headers["ETag"]
    assert "Nowy akapit" not in client.get("/en/tomice/kontakt").text  # English file unchanged


def test_every_language_gets_its_own_page_and_no_host_does(client: FlaskClient) -> None:
    pl = client.get("/tomice/").text
    en = client.get("/en/tomice/").text
    other_host = client.get("/tomice/", base_url="http://evil.example").text
    assert '<html lang="pl">' in pl and '<html lang="en">' in en
    # Absolute links follow the site's address (PORTAL_BASE_URL), never the Host header.
    assert other_host == pl
    assert f'href="{DEV_BASE_URL}/en/tomice/"' in pl and "evil.example" not in other_host


def test_the_proxy_keeps_pages_as_long_as_configured(tmp_path: Path) -> None:
    assert "max-age=300," in make_app(tmp_path).test_client().get("/").headers["Cache-Control"]
    app = make_app(tmp_path, PORTAL_PAGE_MAX_AGE=5)
    cache_control = app.test_client().get("/tomice/").headers["Cache-Control"]
    assert cache_control == "public, max-age=5, must-revalidate"
