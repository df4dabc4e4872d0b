"""Backup and restore with pg_dump/pg_restore on a seeded database (PostgreSQL runs only).

Collected only when PORTAL_TEST_DATABASE_URL names a PostgreSQL server (see
tests/conftest.py); `.ci/run` starts one and runs `make test-postgres`.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, make_url, select, text

from portal.core.extensions import db
from portal.referrals.display import attachment_content, stored_answers
from portal.referrals.models import Request
from tests.conftest import make_app
from tests.referrals.helpers import PESEL, ZZ, form_key, pdf_bytes, upload, zz_answers


def pg_tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None
    )
    assert found, f"{name} is missing: install Debian's postgresql"
    return found


def seed(app_path: Path) -> None:
    app = make_app(app_path)
    client = app.test_client()
    for _ in range(3):
        key = form_key(client, ZZ)
        check = client.post(ZZ, data={**zz_answers(key), "certificates": [upload(pdf_bytes())]})
        held = re.findall(r'name="held" value="([^"]+)"', check.text)
        sent = client.post(ZZ, data={**zz_answers(key), "held": held, "step": "submit"})
        assert sent.status_code == 302


def test_dump_and_restore(tmp_path: Path) -> None:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
    assert url.startswith("postgresql"), "needs PostgreSQL: run `make test-postgres` (.ci/run)"
    source = make_url(url)
    seed(tmp_path)
    dump = tmp_path / "portal.dump"
    libpq = source.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run([pg_tool("pg_dump"), "--format=custom", f"--file={dump}", libpq], check=True)
    restored = source.set(database=f"{source.database}_restored")
    admin = create_engine(source, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{restored.database}"'))
        connection.execute(text(f'CREATE DATABASE "{restored.database}"'))
    try:
        target = restored.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(
            [pg_tool("pg_restore"), "--no-owner", f"--dbname={target}", str(dump)], check=True
        )
        app = _app_on(tmp_path / "restored", restored.render_as_string(hide_password=False))
        with app.app_context():
            requests = db.session.scalars(select(Request)).all()
            assert len(requests) == 3
            assert all(stored_answers(r)["pesel"] == PESEL for r in requests)
            assert attachment_content(requests[0].attachments[0]).startswith(b"%PDF")
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{restored.database}"'))
        admin.dispose()


def _app_on(path: Path, url: str) -> Flask:
    """The app on the restored database, migrated (a no-op) but not emptied."""
    from portal import create_app
    from portal.core.database import upgrade_database

    path.mkdir()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade_database()
    return app
