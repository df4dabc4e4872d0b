"""`flask content-check`: clean on the shipped content, names file and line when broken."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask.testing import FlaskCliRunner

from tests.conftest import ROOT, make_app


def test_clean_on_shipped_content(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["content-check"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_broken_files_are_reported_with_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "forms", forms)
    (content / "tomice" / "kontakt.pl.md").write_text("---\ntitle: Kontakt\n---\n\n# Zły\n")
    broken_form = (forms / "zgloszenie.yml").read_text().replace("type: phone", "type: telefon", 1)
    (forms / "zgloszenie.yml").write_text(broken_form)
    app = make_app(tmp_path, PORTAL_CONTENT_DIR=content, PORTAL_FORMS_DIR=forms)
    result = app.test_cli_runner().invoke(args=["content-check"])
    assert result.exit_code == 1
    assert f"{content / 'tomice' / 'kontakt.pl.md'}:5: use '##' headings" in result.output
    line = broken_form.splitlines().index("        type: telefon")  # the field starts a line above
    assert (
        f"{forms / 'zgloszenie.yml'}:{line}: field 'phone': unknown type 'telefon'" in result.output
    )
