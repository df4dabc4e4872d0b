"""Where the time goes: `python -m bench.profile WHAT [N]` runs cProfile in-process.

WHAT: content, conditional, parent, zz or startup. Uses a small generated data
set (50 centres, 20,000 requests; startup: 2,500 centres) in a temporary folder and
the Flask test client, so the numbers are the app's own, without gunicorn or sockets.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from bench.client import CSRF_RE, HELD_RE
from bench.content import GenCentre, make_content
from bench.dataset import bench_app, build_database
from bench.forms import parent_fields, za_zyciem_fields
from bench.run import base_env
from bench.samples import certificate_pdf


def _token(client: FlaskClient, path: str) -> str:
    match = CSRF_RE.search(client.get(path).text)
    assert match
    return match.group(1) or match.group(2)


def scenario(what: str, app: Flask, c: GenCentre, n: int) -> Callable[[], None]:
    client = app.test_client()
    page = f"/{c.slug}/"
    etag = client.get(page).headers["ETag"]
    parent, zz = f"/{c.slug}/zgloszenie", f"/{c.slug}/za-zyciem/wniosek"
    token = _token(client, parent)
    pdf = certificate_pdf()

    def run() -> None:
        for i in range(n):
            if what == "content":
                assert client.get(page).status_code == 200
            elif what == "conditional":
                assert client.get(page, headers={"If-None-Match": etag}).status_code == 304
            elif what == "parent":
                data = [*parent_fields(c), ("csrf_token", token), ("form_key", f"prof{i:020d}")]
                reply = client.post(parent, data=_multi(data + [("step", "submit")]))
                assert reply.status_code == 302, reply.status_code
            elif what == "zz":
                data = [*za_zyciem_fields(c), ("csrf_token", token), ("step", "check")]
                files = {"certificates": (io.BytesIO(pdf), "zaswiadczenie.pdf")}
                reply = client.post(zz, data=_multi(data + [("form_key", f"prof{i:020d}")]) | files)
                assert reply.status_code == 200 and HELD_RE.search(reply.text)

    return run


def _multi(pairs: list[tuple[str, str]]) -> dict[str, object]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return {k: v if len(v) > 1 else v[0] for k, v in out.items()}


def main(argv: list[str]) -> None:
    what, n = argv[0], int(argv[1]) if len(argv) > 1 else 500
    os.environ.update(base_env())
    work = Path(tempfile.mkdtemp(prefix="portal-profile-"))
    try:
        profile(what, n, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def profile(what: str, n: int, work: Path) -> None:
    centres = make_content(work / "content", 2500 if what == "startup" else 50)
    url = f"sqlite:///{work / 'portal.sqlite3'}"
    slugs, prefixes = [c.slug for c in centres], [c.prefix for c in centres]
    build_database(url, work / "content", slugs, prefixes, 100 if what == "startup" else 20_000)
    profiler = cProfile.Profile()
    if what == "startup":
        profiler.runcall(bench_app, url, work / "content")
    else:
        run = scenario(what, bench_app(url, work / "content"), centres[3], n)
        profiler.runcall(run)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main(sys.argv[1:])
