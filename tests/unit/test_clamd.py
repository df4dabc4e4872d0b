"""clamd INSTREAM client, against a real clamd and against misbehaving fake servers."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from portal.uploads import RejectReason, UploadRejected, check_upload
from portal.uploads.clamd import ScannerUnavailable, ScanResult, ping, scan

Make = Callable[..., bytes]
Handler = Callable[[socket.socket, threading.Event], None]
StartServer = Callable[[Handler], str]
MB = 1024 * 1024


# --- a tiny fake clamd -------------------------------------------------------


def read_command(conn: socket.socket) -> bytes:
    buf = b""
    while not buf.endswith(b"\0"):
        byte = conn.recv(1)
        if not byte:
            break
        buf += byte
    return buf


def read_exact(conn: socket.socket, size: int) -> bytes:
    buf = b""
    while len(buf) < size:
        chunk = conn.recv(size - len(buf))
        if not chunk:
            raise ConnectionError("client went away")
        buf += chunk
    return buf


def read_chunks(conn: socket.socket) -> list[bytes]:
    """Read INSTREAM chunks up to and including the zero-length terminator."""
    chunks = []
    while True:
        (size,) = struct.unpack(">I", read_exact(conn, 4))
        chunks.append(read_exact(conn, size))
        if size == 0:
            return chunks


def replying(reply: bytes) -> Handler:
    def handler(conn: socket.socket, stop: threading.Event) -> None:
        if read_command(conn) == b"zINSTREAM\0":
            read_chunks(conn)
        conn.sendall(reply)

    return handler


@pytest.fixture
def fake_clamd() -> Iterator[StartServer]:
    """Start UNIX-socket servers that run `handler` for each connection."""
    root = tempfile.mkdtemp(prefix="fakeclamd-")
    stop = threading.Event()
    started: list[tuple[socket.socket, threading.Thread]] = []

    def start(handler: Handler) -> str:
        path = os.path.join(root, f"s{len(started)}.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        server.listen(4)
        server.settimeout(0.05)
        thread = threading.Thread(target=_serve, args=(server, handler, stop), daemon=True)
        thread.start()
        started.append((server, thread))
        return path

    yield start
    stop.set()
    for server, thread in started:
        thread.join(timeout=5)
        server.close()
    shutil.rmtree(root, ignore_errors=True)


def _serve(server: socket.socket, handler: Handler, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            conn, _ = server.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(5)
            try:
                handler(conn, stop)
            except OSError:
                pass  # the client gave up: exactly what some tests provoke


# --- protocol details against the fake --------------------------------------


def test_instream_framing(fake_clamd: StartServer) -> None:
    received: dict[str, object] = {}

    def recorder(conn: socket.socket, stop: threading.Event) -> None:
        received["command"] = read_command(conn)
        received["chunks"] = read_chunks(conn)
        conn.sendall(b"stream: OK\0")

    data = os.urandom(200_000)
    assert scan(fake_clamd(recorder), data) == ScanResult(infected=False)
    chunks = received["chunks"]
    assert isinstance(chunks, list)
    assert received["command"] == b"zINSTREAM\0"
    assert chunks[-1] == b""
    assert all(0 < len(c) <= 64 * 1024 for c in chunks[:-1])
    assert b"".join(chunks) == data


def test_ping_against_fake(fake_clamd: StartServer) -> None:
    assert ping(fake_clamd(replying(b"PONG\0"))) is True
    assert ping(fake_clamd(replying(b"PANG\0"))) is False
    assert ping(fake_clamd(replying(b""))) is False


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (b"stream: OK\0", ScanResult(infected=False)),
        (b"stream: OK", ScanResult(infected=False)),  # no NUL, connection closed
        (b"stream: Win.Test.EICAR_HDB-1 FOUND\0", ScanResult(True, "Win.Test.EICAR_HDB-1")),
        (b"stream: Doc.Exploit FOUND\0trailing", ScanResult(True, "Doc.Exploit")),
    ],
)
def test_verdicts(fake_clamd: StartServer, reply: bytes, expected: ScanResult) -> None:
    result = scan(fake_clamd(replying(reply)), b"data")
    assert result == expected
    assert result.clean is not expected.infected


@pytest.mark.parametrize(
    "reply",
    [
        b"",  # closes without a word
        b"\0",
        b"INSTREAM size limit exceeded. ERROR\0",
        b"stream: Can't allocate memory ERROR\0",
        b"hello\0",
        b"stream: \0",
        b"stream:  FOUND\0",
        b"stream: OK FOUND?\0",
        b"stream: \xff\xfe FOUND\0",
        b"x" * 10_000,  # never terminated, far too long
    ],
)
def test_bad_replies_mean_unavailable(fake_clamd: StartServer, reply: bytes) -> None:
    with pytest.raises(ScannerUnavailable):
        scan(fake_clamd(replying(reply)), b"data", timeout=2.0)


def test_silent_server_times_out(fake_clamd: StartServer) -> None:
    def silent(conn: socket.socket, stop: threading.Event) -> None:
        read_command(conn)
        read_chunks(conn)
        stop.wait(10)  # accept everything, answer nothing

    path = fake_clamd(silent)
    started = time.monotonic()
    with pytest.raises(ScannerUnavailable):
        scan(path, b"data", timeout=0.5)
    assert 0.4 < time.monotonic() - started < 2.0


def test_slow_drip_server_is_bounded_by_the_overall_timeout(fake_clamd: StartServer) -> None:
    def drip(conn: socket.socket, stop: threading.Event) -> None:
        read_command(conn)
        read_chunks(conn)
        for _ in range(50):  # one byte every 0.1 s: each recv succeeds, the total does not
            conn.sendall(b"s")
            if stop.wait(0.1):
                return

    path = fake_clamd(drip)
    started = time.monotonic()
    with pytest.raises(ScannerUnavailable):
        scan(path, b"data", timeout=0.5)
    assert time.monotonic() - started < 2.0


def test_check_upload_with_silent_scanner(
    fake_clamd: StartServer, make_pdf: Make, caplog: pytest.LogCaptureFixture
) -> None:
    def silent(conn: socket.socket, stop: threading.Event) -> None:
        stop.wait(10)

    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(UploadRejected) as info:
        check_upload(
            make_pdf(),
            "Nowak_zaswiadczenie.pdf",
            max_bytes=MB,
            clamd_socket=fake_clamd(silent),
            scan_timeout=0.5,
        )
    assert info.value.reason is RejectReason.SCANNER_UNAVAILABLE
    assert time.monotonic() - started < 2.0
    assert "scanner unavailable" in caplog.text.lower()
    assert "Nowak" not in caplog.text


# --- unreachable sockets ----------------------------------------------------


def test_missing_socket() -> None:
    missing = "/nonexistent-dir/clamd.sock"
    with pytest.raises(ScannerUnavailable):
        scan(missing, b"data")
    assert ping(missing) is False


def test_refusing_socket() -> None:
    root = tempfile.mkdtemp(prefix="refuse-")
    try:
        path = os.path.join(root, "dead.sock")
        dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        dead.bind(path)  # bound but never listening: connect() is refused
        not_a_socket = os.path.join(root, "plain-file")
        with open(not_a_socket, "w") as fh:
            fh.write("x")
        for target in (path, not_a_socket, root, "/" + "x" * 200):
            with pytest.raises(ScannerUnavailable):
                scan(target, b"data", timeout=1.0)
        dead.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_check_upload_with_missing_socket(make_pdf: Make) -> None:
    with pytest.raises(UploadRejected) as info:
        check_upload(make_pdf(), "a.pdf", max_bytes=MB, clamd_socket="/nonexistent/clamd.sock")
    assert info.value.reason is RejectReason.SCANNER_UNAVAILABLE


# --- the real clamd ---------------------------------------------------------


def test_real_ping(clamd_socket: str) -> None:
    assert ping(clamd_socket) is True


def test_real_eicar_is_found(clamd_socket: str, eicar: bytes) -> None:
    result = scan(clamd_socket, eicar)
    assert result.infected and not result.clean
    assert result.signature is not None
    assert result.signature.startswith("Eicar-Test-Signature")


def test_real_clean_data(clamd_socket: str, make_pdf: Make) -> None:
    assert scan(clamd_socket, make_pdf()) == ScanResult(infected=False)
    assert scan(clamd_socket, os.urandom(MB)).clean


def test_real_eicar_across_chunk_boundary(clamd_socket: str, eicar: bytes) -> None:
    data = b"A" * (64 * 1024 - 30) + eicar + b"B" * 100_000
    assert scan(clamd_socket, data).infected


def test_real_stream_limit_is_unavailable_not_clean(clamd_socket: str) -> None:
    # Our clamd allows 4 MB per stream; clamd answers "size limit exceeded. ERROR".
    with pytest.raises(ScannerUnavailable):
        scan(clamd_socket, b"\0" * (5 * MB))


def test_check_upload_clean_pdf_passes(clamd_socket: str, make_pdf: Make) -> None:
    pdf = make_pdf()
    result = check_upload(pdf, "zaświadczenie.pdf", max_bytes=MB, clamd_socket=clamd_socket)
    assert result.content.startswith(b"%PDF-")
    assert result.display_name == "zaświadczenie.pdf"


def test_check_upload_infected_pdf_is_refused(
    clamd_socket: str, make_pdf: Make, eicar: bytes
) -> None:
    # Junk after %%EOF is tolerated by PDF readers, so it is a real hiding place; the
    # rewritten copy would leave it behind, but what was sent is what gets scanned.
    infected = make_pdf(trailer=b"\n" + eicar + b"\n")
    assert eicar not in check_upload(infected, "x.pdf", max_bytes=MB, clamd_socket=None).content
    with pytest.raises(UploadRejected) as info:
        check_upload(infected, "zaswiadczenie.pdf", max_bytes=MB, clamd_socket=clamd_socket)
    assert info.value.reason is RejectReason.INFECTED


def test_check_upload_scans_what_was_sent_not_the_reencoding(
    clamd_socket: str, make_image: Make, eicar: bytes
) -> None:
    # The re-encoded JPEG would be clean; the upload itself carried the payload.
    infected = make_image("JPEG") + eicar
    assert check_upload(infected, "x.jpg", max_bytes=MB, clamd_socket=None).content.find(eicar) < 0
    with pytest.raises(UploadRejected) as info:
        check_upload(infected, "x.jpg", max_bytes=MB, clamd_socket=clamd_socket)
    assert info.value.reason is RejectReason.INFECTED


def test_bare_eicar_upload_is_refused_by_type_first(clamd_socket: str, eicar: bytes) -> None:
    with pytest.raises(UploadRejected) as info:
        check_upload(eicar, "eicar.pdf", max_bytes=MB, clamd_socket=clamd_socket)
    assert info.value.reason is RejectReason.UNSUPPORTED_TYPE
