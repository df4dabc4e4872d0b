"""The database of the run: schema by migrations, then bulk rows with SQLAlchemy Core."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Connection, Table, insert, select, text

from bench.rows import RowMaker
from portal import create_app
from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.auth.roles import Role
from portal.core.clock import utcnow
from portal.core.database import upgrade_database
from portal.core.extensions import db
from portal.core.keys import keyring
from portal.referrals.models import FormVersion, Request
from portal.referrals.service import form_version_id

CHUNK = 20_000
# Rows were loaded with explicit ids (users) or by COPY: move the sequences past them.
SEQUENCE_RESETS = (
    "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))",
    "SELECT setval(pg_get_serial_sequence('requests', 'id'), (SELECT max(id) FROM requests))",
)
# The generated staff accounts share one password, new for every run.
STAFF_PASSWORD = secrets.token_urlsafe(18)


@dataclass(frozen=True)
class Dataset:
    """What was generated, for the report and the queue figure."""

    url: str
    requests: int
    centres: int
    seconds: float
    biggest: tuple[str, int]  # (centre slug, its requests)
    median: tuple[str, int]


def bench_app(url: str, content_dir: Path) -> Flask:
    """The portal configured on the run's database and content (no HTTP)."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_CONTENT_DIR": content_dir})


def _insert_staff(conn: Connection, slugs: list[str]) -> dict[str, tuple[int, int]]:
    """A worker and a manager per centre (one shared argon2 hash; no second factor yet)."""
    digest = hash_password(STAFF_PASSWORD)
    rows, staff = [], {}
    for n, slug in enumerate(slugs):
        worker, manager = 2 * n + 1, 2 * n + 2
        staff[slug] = (worker, manager)
        for uid, role in ((worker, Role.WORKER), (manager, Role.MANAGER)):
            rows.append(
                {
                    "id": uid,
                    "email": f"{role}-{n}@bench.example.org",
                    "centre_slug": slug,
                    "role": role,
                    "password_hash": digest,
                    "created_at": utcnow(),
                }
            )
    users = User.__table__
    assert isinstance(users, Table)
    conn.execute(insert(users), rows)
    return staff


def _copy_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY through psycopg (an order of magnitude faster than INSERT)."""
    columns = list(rows[0])
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cur:
        sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"  # noqa: S608
        with cur.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


def _load(conn: Connection, maker: RowMaker) -> None:
    postgres = conn.dialect.name == "postgresql"
    table = Request.__table__
    assert isinstance(table, Table)
    for rows in maker.chunks(CHUNK):
        if postgres:
            _copy_rows(conn, table, rows)
        else:
            conn.execute(insert(table), rows)
        conn.commit()


def _finish(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for sql in SEQUENCE_RESETS:
            conn.execute(text(sql))
        conn.commit()
        # Autovacuum would have analysed a production table of this size.
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    else:
        conn.exec_driver_sql("PRAGMA synchronous=FULL")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def build_database(
    url: str, content_dir: Path, slugs: list[str], prefixes: list[str], total: int
) -> Dataset:
    """Create the schema and fill it; returns the counts and how long it took."""
    started = time.perf_counter()
    app = bench_app(url, content_dir)
    with app.app_context():
        upgrade_database()
        forms = app.extensions["portal.forms"]
        versions = {n: form_version_id(forms.get("", n).spec) for n in ("zgloszenie", "za-zyciem")}
        db.session.commit()
        with db.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
                conn.exec_driver_sql("PRAGMA synchronous=OFF")
            staff = _insert_staff(conn, slugs)
            conn.commit()
            maker = RowMaker(slugs, prefixes, staff, versions, keyring(), total, utcnow())
            _load(conn, maker)
            _finish(conn)
            assert conn.scalar(select(FormVersion.id).limit(1)) is not None
        db.engine.dispose()
    ranked = sorted(zip(maker.counts, slugs, strict=True), reverse=True)
    return Dataset(
        url,
        total,
        len(slugs),
        time.perf_counter() - started,
        biggest=(ranked[0][1], ranked[0][0]),
        median=(ranked[len(ranked) // 2][1], ranked[len(ranked) // 2][0]),
    )
