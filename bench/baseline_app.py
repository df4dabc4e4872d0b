"""The baselines: bare Flask + Jinja, no validation, no CSRF, no encryption.

Served by gunicorn with the portal's settings (`bench.baseline_app:create_app()`):
- `GET /page`: a Jinja page padded to BENCH_PAGE_BYTES (the content page's size);
- `POST /store`: the parent form's fields, one plain INSERT in the same database;
- `POST /upload`: the uploaded file's bytes, one plain INSERT in the same database.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, render_template, request
from jinja2 import DictLoader
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    text,
)

FIELDS = (
    "centre",
    "child_in_danger",
    "full_name",
    "phone",
    "email",
    "street",
    "postal_code",
    "city",
    "children_count",
    "children_ages",
    "difficulties",
    "description",
)
metadata = MetaData()
plain_requests = Table(
    "bench_plain_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime),
    *(Column(name, Text) for name in FIELDS),
)
plain_uploads = Table(
    "bench_plain_uploads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime),
    Column("name", String(200)),
    Column("content", LargeBinary),
)
PAGE = """<!doctype html>
<html lang="pl"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/portal.css"></head>
<body><header><a href="/">Portal</a></header><main><h1>{{ title }}</h1>
{% for p in paragraphs %}<p>{{ p }}</p>
{% endfor %}</main><footer>{{ footer }}</footer></body></html>
"""
FILLER = "Asystent rodziny pomaga rodzicom odnaleźć się w ich rolach i ustabilizować życie. "


def create_tables(url: str) -> None:
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()


def _paragraphs(size: int) -> list[str]:
    """Filler paragraphs so that the rendered page has `size` bytes (±1 paragraph's end)."""
    base = len(PAGE.encode()) + 60
    words = (FILLER * (size // len(FILLER) + 2)).encode()[: max(0, size - base)]
    text_ = words.decode("utf-8", "ignore")
    return [text_[i : i + 600] for i in range(0, len(text_), 600)]


def create_app() -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"page.html": PAGE})
    engine = create_engine(os.environ["PORTAL_DATABASE_URL"])
    paragraphs = _paragraphs(int(os.environ.get("BENCH_PAGE_BYTES", "20000")))

    @app.get("/healthz")
    def healthz() -> str:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return "ok"

    @app.get("/page")
    def page() -> str:
        return render_template(
            "page.html",
            title="Asystent rodziny",
            paragraphs=paragraphs,
            footer="Ośrodek Pomocy Społecznej",
        )

    @app.post("/store")
    def store() -> str:
        row = {name: ",".join(request.form.getlist(name)) for name in FIELDS}
        with engine.begin() as conn:
            conn.execute(insert(plain_requests), {**row, "created_at": datetime.now(UTC)})
        return "stored"

    @app.post("/upload")
    def upload() -> str:
        file = request.files["certificates"]
        with engine.begin() as conn:
            conn.execute(
                insert(plain_uploads),
                {"name": file.filename, "content": file.read(), "created_at": datetime.now(UTC)},
            )
        return "stored"

    return app
