"""Fixtures for the unit tests: sample files built in code and a real clamd."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from portal.uploads.clamd import ping

# Built from two halves so this file itself is not flagged by virus scanners.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_NAME = "Eicar-Test-Signature"
CLAMD_START_TIMEOUT = 60.0
STREAM_MAX_MB = 4


def build_pdf(pages: int = 1, *, password: str | None = None, trailer: bytes = b"") -> bytes:
    """A small real PDF with blank pages, optionally encrypted or with bytes appended."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Zaświadczenie"})
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = BytesIO()
    writer.write(out)
    return out.getvalue() + trailer


def build_image(
    fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **save: object
) -> bytes:
    """A real image with a simple pattern (so orientation changes are detectable)."""
    img = Image.new(mode, size, _white(mode))
    # A dark block in the top-left corner marks "up" and "left".
    corner = Image.new(mode, (size[0] // 4, size[1] // 4), _black(mode))
    img.paste(corner, (0, 0))
    out = BytesIO()
    img.save(out, format=fmt, **save)
    return out.getvalue()


def _white(mode: str) -> int | tuple[int, ...]:
    colours: dict[str, int | tuple[int, ...]] = {
        "L": 255,
        "1": 1,
        "RGB": (255, 255, 255),
        "RGBA": (255, 255, 255, 255),
        "LA": (255, 255),
        "CMYK": (0, 0, 0, 0),
        "P": 1,
    }
    return colours[mode]


def _black(mode: str) -> int | tuple[int, ...]:
    colours: dict[str, int | tuple[int, ...]] = {
        "L": 0,
        "1": 0,
        "RGB": (0, 0, 0),
        "RGBA": (0, 0, 0, 255),
        "LA": (0, 255),
        "CMYK": (0, 0, 0, 255),
        "P": 0,
    }
    return colours[mode]


@pytest.fixture
def eicar() -> bytes:
    """The EICAR anti-virus test string (harmless; every scanner detects it)."""
    return EICAR


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return build_pdf


@pytest.fixture
def make_image() -> Callable[..., bytes]:
    return build_image


def _write_clamd_files(root: Path) -> Path:
    """Signature database and config for a private clamd; returns the config path."""
    db = root / "db"
    db.mkdir()
    # Whole-file MD5 signature (what `sigtool --md5` prints) for the bare string...
    md5 = hashlib.md5(EICAR, usedforsecurity=False).hexdigest()  # the .hdb format is MD5
    (db / "eicar.hdb").write_text(f"{md5}:{len(EICAR)}:{EICAR_NAME}\n")
    # ...and a body signature so EICAR hidden inside a valid PDF or JPEG is found too.
    (db / "eicar.ndb").write_text(f"{EICAR_NAME}-Body:0:*:{EICAR.hex()}\n")
    conf = root / "clamd.conf"
    conf.write_text(
        f"LocalSocket {root / 'clamd.sock'}\n"
        f"DatabaseDirectory {db}\n"
        f"LogFile {root / 'clamd.log'}\n"
        f"PidFile {root / 'clamd.pid'}\n"
        "Foreground yes\n"
        # Small, so the tests can see clamd's real "size limit exceeded" ERROR reply.
        f"StreamMaxLength {STREAM_MAX_MB}M\n"
    )
    return conf


@pytest.fixture(scope="session")
def clamd_socket() -> Iterator[str]:
    """Start a real clamd with our own EICAR signatures; yield its socket path."""
    binary = shutil.which("clamd") or next(
        (p for p in ("/usr/sbin/clamd", "/usr/local/sbin/clamd") if os.access(p, os.X_OK)), None
    )
    if binary is None:
        pytest.fail("clamd not found: install clamav-daemon (apt-get install clamav-daemon)")
    # A short path: UNIX socket paths are limited to ~108 bytes.
    root = Path(tempfile.mkdtemp(prefix="clamd-"))
    conf = _write_clamd_files(root)
    sock = str(root / "clamd.sock")
    proc = subprocess.Popen(
        [binary, f"--config-file={conf}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_clamd(proc, sock, root)
        yield sock
    finally:
        _stop(proc)
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_clamd(proc: subprocess.Popen[bytes], sock: str, root: Path) -> None:
    deadline = time.monotonic() + CLAMD_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log_file = root / "clamd.log"
            log = log_file.read_text(errors="replace") if log_file.exists() else ""
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            pytest.fail(f"clamd exited with {proc.returncode}:\n{err}\n{log}")
        if os.path.exists(sock) and ping(sock, timeout=1.0):
            return
        time.sleep(0.2)
    pytest.fail(f"clamd did not answer on {sock} within {CLAMD_START_TIMEOUT:.0f} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stderr:
        proc.stderr.close()
