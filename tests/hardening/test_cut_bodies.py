"""A body cut off before its declared end is refused (400, nothing stored) under gunicorn.

gunicorn runs for real, as docs/deploy.md runs it (a sync and a threaded worker),
in production mode; the cut bodies are written on a raw socket, which is then
half-closed so the server sees the end of the stream and can still answer.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.core.bodies import WholeBody
from portal.core.extensions import db
from portal.referrals.models import HeldUpload, Request
from tests.conftest import ROOT, TEST_DATA_KEY, database_url, make_app
from tests.referrals.helpers import PARENT, ZZ, parent_answers, pdf_bytes, zz_answers

START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A gunicorn serving the portal, the app (same database) to look into, and its log."""

    port: int
    app: Flask
    log: Path

    def log_since(self, offset: int) -> str:
        return self.log.read_text(errors="replace")[offset:]

    def log_size(self) -> int:
        return len(self.log.read_text(errors="replace"))


def _wait_until_listening(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"gunicorn did not listen on {port} within {START_TIMEOUT:.0f} s")


@pytest.fixture(scope="module", params=["sync", "gthread"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp(f"gunicorn-{request.param}")
    schema = f"cut_bodies_{request.param}"  # its own tables on PostgreSQL (see make_app)
    app = make_app(tmp, schema=schema)  # an empty, migrated database gunicorn's workers share
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PORTAL_ENV": "production",
        "PORTAL_DATABASE_URL": database_url(tmp, schema),
        "PORTAL_SECRET_KEY": "gunicorn-test-secret-key",
        "PORTAL_DATA_KEY": TEST_DATA_KEY,
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "PORTAL_TRUSTED_HOSTS": "127.0.0.1",
        "PORTAL_VIRUS_SCAN": "off",
        "PORTAL_RATELIMIT_ENABLED": "0",
    }
    env.pop("PORTAL_CLAMD_SOCKET", None)
    workers = ["--threads", "2"] if request.param == "gthread" else []
    log = tmp / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "1",
                *workers,
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "30",
                "portal:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(proc, port, log)
        yield Served(port, app, log)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with app.app_context():  # the module's connections (PostgreSQL counts them)
            db.session.remove()
            db.engine.dispose()


@dataclass
class Visit:
    cookie: str
    csrf: str
    form_key: str


def visit(served: Served, path: str) -> Visit:
    """GET a form as a browser would: its session cookie, CSRF token and form key."""
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    assert response.status == 200, html
    cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    key = re.search(r'name="form_key" value="([^"]+)"', html)
    assert cookie and csrf and key
    return Visit(cookie, csrf.group(1), key.group(1))


def parent_body(v: Visit) -> bytes:
    """A whole request in an order a script chooses: `step=submit` first, free text last."""
    answers = parent_answers(v.form_key, step="submit")
    first = [("csrf_token", v.csrf), ("step", "submit")]
    rest = [
        (k, x)
        for k, val in answers.items()
        if k != "step"
        for x in (val if isinstance(val, list) else [val])
    ]
    rest.sort(key=lambda kv: kv[0] == "description")  # the long answer last: it gets cut
    rest = [
        (
            k,
            "Potrzebuję pomocy w organizacji dnia i w sprawach szkoły. " * 8
            if k == "description"
            else x,
        )
        for k, x in rest
    ]
    return urllib.parse.urlencode(first + rest).encode()


def raw_post(served: Served, path: str, headers: dict[str, str], payload: bytes) -> tuple[int, str]:
    """Send `payload` after the headers, close our sending side, read the whole answer."""
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nConnection: close\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", served.port), timeout=15) as sock:
        sock.sendall(head.encode() + payload)
        sock.shutdown(socket.SHUT_WR)  # the body ends here, wherever that is
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.decode(errors="replace")


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        requests = db.session.scalar(select(func.count(Request.id))) or 0
        held = db.session.scalar(select(func.count(HeldUpload.id))) or 0
        db.session.remove()
    return int(requests), int(held)


def assert_refused_cleanly(
    served: Served, status: int, page: str, before: tuple[int, int], log_from: int
) -> None:
    assert status == 400
    assert "Nie udało się odczytać tego, co wysłano" in page  # the portal's own 400 page
    assert counts(served.app) == before
    log = served.log_since(log_from)
    assert "request body cut off" in log
    # One line naming the sizes (or the server's error type), no traceback, no 500.
    assert "Traceback" not in log and "unhandled error" not in log


def urlencoded(v: Visit, length: int) -> dict[str, str]:
    return {
        "Cookie": v.cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(length),
    }


def test_the_whole_body_is_stored(served: Served) -> None:
    """The same post, not cut: stored (so a refusal below is the cut, nothing else)."""
    v = visit(served, PARENT)
    body = parent_body(v)
    before = counts(served.app)
    status, _page = raw_post(served, PARENT, urlencoded(v, len(body)), body)
    assert status == 302
    assert counts(served.app) == (before[0] + 1, before[1])


@pytest.mark.parametrize("share", [0.6, 0.99])
def test_a_cut_urlencoded_body_is_refused(served: Served, share: float) -> None:
    v = visit(served, PARENT)
    body = parent_body(v)
    cut = body[: int(len(body) * share)]
    assert b"step=submit" in cut and b"full_name=" in cut  # what arrived looks like a request
    before, log_from = counts(served.app), served.log_size()
    status, page = raw_post(served, PARENT, urlencoded(v, len(body)), cut)
    assert_refused_cleanly(served, status, page, before, log_from)


def test_a_cut_chunked_body_is_refused(served: Served) -> None:
    v = visit(served, PARENT)
    body = parent_body(v)
    cut = body[: int(len(body) * 0.6)]
    chunked = f"{len(cut):x}\r\n".encode() + cut + b"\r\n"  # and then no last chunk
    headers = {
        "Cookie": v.cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Transfer-Encoding": "chunked",
    }
    before, log_from = counts(served.app), served.log_size()
    status, page = raw_post(served, PARENT, headers, chunked)
    assert_refused_cleanly(served, status, page, before, log_from)


def multipart(fields: list[tuple[str, str]], file: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    out = BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="certificates"; '
        'filename="zaswiadczenie.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
    )
    out.write(file + f"\r\n--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", out.getvalue()


def test_a_cut_upload_is_refused_and_no_file_held(served: Served) -> None:
    v = visit(served, ZZ)
    answers = zz_answers(v.form_key)
    fields = [("csrf_token", v.csrf), *((k, str(x)) for k, x in answers.items())]
    content_type, body = multipart(fields, pdf_bytes(pages=40))
    cut = body[: int(len(body) * 0.6)]
    before, log_from = counts(served.app), served.log_size()
    headers = {"Cookie": v.cookie, "Content-Type": content_type, "Content-Length": str(len(body))}
    status, page = raw_post(served, ZZ, headers, cut)
    assert_refused_cleanly(served, status, page, before, log_from)


# --- the guard itself, on any stream ------------------------------------------------------


def test_reads_stop_at_the_declared_length() -> None:
    stream = WholeBody(BytesIO(b"a=1&b=2EXTRA"), 7)
    assert stream.read() == b"a=1&b=2"
    assert stream.read(10) == b""


def test_a_short_stream_raises_for_read_and_readline() -> None:
    from werkzeug.exceptions import ClientDisconnected

    with pytest.raises(ClientDisconnected):
        WholeBody(BytesIO(b"a=1&b"), 100).read()
    with pytest.raises(ClientDisconnected):
        WholeBody(BytesIO(b"a=1&b"), 100).read(3 + 100)
    line = WholeBody(BytesIO(b"--x\r\npart"), 100)
    assert line.readline() == b"--x\r\n"
    with pytest.raises(ClientDisconnected):
        line.readline()


def test_a_server_error_while_reading_becomes_a_400() -> None:
    from werkzeug.exceptions import ClientDisconnected

    class Broken(BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError("No more data")

    with pytest.raises(ClientDisconnected):
        WholeBody(Broken(), None).read()


def test_a_server_that_trusts_its_stream_gets_the_same_answer(app: Flask) -> None:
    """Like gunicorn, a server may mark its input as ended by itself (wsgi.input_terminated)."""
    client = app.test_client()
    body = urllib.parse.urlencode(parent_answers("k" * 32, step="submit"), doseq=True).encode()
    response = client.post(
        PARENT,
        input_stream=BytesIO(body[: len(body) // 2]),
        content_type="application/x-www-form-urlencoded",
        # The declared length is the whole body's; the stream holds half of it.
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": str(len(body))},
    )
    assert response.status_code == 400
    assert "Nie udało się odczytać tego, co wysłano" in response.text
    assert counts(app) == (0, 0)
