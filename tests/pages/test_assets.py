"""Static files are linked under addresses that change with their bytes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask.testing import FlaskClient

from portal.core.assets import version_of
from tests.conftest import ROOT


def test_pages_link_the_stylesheet_and_script_by_content(client: FlaskClient) -> None:
    page = client.get("/tomice/").text
    for name in ("portal.css", "portal.js"):
        digest = hashlib.sha256((ROOT / "static" / name).read_bytes()).hexdigest()[:12]
        address = f"/static/{name}?v={digest}"
        assert address in page
        with client.get(address) as served:
            assert served.status_code == 200


def test_a_changed_file_gets_a_new_address(tmp_path: Path) -> None:
    css = tmp_path / "portal.css"
    css.write_text("main { margin: 0 }")
    first = version_of(tmp_path, "portal.css")
    css.write_text("main { margin: 1rem }")
    os.utime(css, ns=(css.stat().st_atime_ns, css.stat().st_mtime_ns + 1_000_000))
    second = version_of(tmp_path, "portal.css")
    assert first and second and first != second


def test_no_version_outside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    assert version_of(tmp_path / "static", "../secret.txt") is None
    assert version_of(tmp_path / "static", "missing.css") is None
