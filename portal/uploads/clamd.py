"""Minimal clamd client: the INSTREAM and PING commands over a UNIX socket.

Written against the protocol in clamd(8) rather than a third-party library so
the only dependency is the daemon itself. Every failure to get a clear verdict
raises ScannerUnavailable: an upload is never accepted unscanned by accident.
"""

from __future__ import annotations

import socket
import struct
import time
from dataclasses import dataclass

__all__ = ["ScanResult", "ScannerUnavailable", "ping", "scan"]

# clamd's default StreamMaxLength is 25 MB; chunks just need to be reasonable.
_CHUNK = 64 * 1024
# Replies are one short line; anything longer is not clamd talking.
_MAX_REPLY = 4096


class ScannerUnavailable(Exception):
    """clamd could not be reached or gave no usable verdict."""


@dataclass(frozen=True)
class ScanResult:
    """A clamd verdict: clean, or infected with the named signature."""

    infected: bool
    signature: str | None = None

    @property
    def clean(self) -> bool:
        """True when clamd found nothing."""
        return not self.infected


class _Deadline:
    """One overall time budget shared by every socket operation of a request."""

    def __init__(self, timeout: float) -> None:
        self._end = time.monotonic() + timeout

    def apply(self, sock: socket.socket) -> None:
        """Give the next blocking call only the time that is left."""
        remaining = self._end - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("clamd deadline passed")
        sock.settimeout(remaining)


def scan(socket_path: str, data: bytes, timeout: float = 10.0) -> ScanResult:
    """Scan `data` with clamd at `socket_path`; raise ScannerUnavailable without a verdict."""
    reply = _exchange(socket_path, b"zINSTREAM\0", data, timeout)
    return _parse_scan_reply(reply)


def ping(socket_path: str, timeout: float = 2.0) -> bool:
    """Return True if clamd answers PING with PONG, False if it is unreachable or odd."""
    try:
        return _exchange(socket_path, b"zPING\0", None, timeout) == "PONG"
    except ScannerUnavailable:
        return False


def _exchange(socket_path: str, command: bytes, stream: bytes | None, timeout: float) -> str:
    """Send one command (optionally followed by an INSTREAM body) and return the reply."""
    deadline = _Deadline(timeout)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            deadline.apply(sock)
            sock.connect(socket_path)
            _send(sock, command, deadline)
            if stream is not None:
                _send_stream(sock, stream, deadline)
            raw = _read_reply(sock, deadline)
    except (OSError, ValueError) as exc:  # OSError covers timeouts, refusals, missing paths
        raise ScannerUnavailable(f"clamd not usable: {type(exc).__name__}") from None
    try:
        return raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise ScannerUnavailable("clamd sent a non-ASCII reply") from None


def _send(sock: socket.socket, payload: bytes, deadline: _Deadline) -> None:
    deadline.apply(sock)
    sock.sendall(payload)


def _send_stream(sock: socket.socket, data: bytes, deadline: _Deadline) -> None:
    """Send `data` as length-prefixed chunks ending with a zero-length chunk."""
    view = memoryview(data)
    for start in range(0, len(view), _CHUNK):
        chunk = view[start : start + _CHUNK]
        _send(sock, struct.pack(">I", len(chunk)) + bytes(chunk), deadline)
    _send(sock, struct.pack(">I", 0), deadline)


def _read_reply(sock: socket.socket, deadline: _Deadline) -> bytes:
    """Read up to the NUL terminator (the 'z' command prefix asks for one) or EOF."""
    buf = b""
    while b"\0" not in buf:
        if len(buf) > _MAX_REPLY:
            raise ValueError("reply too long")
        deadline.apply(sock)
        chunk = sock.recv(1024)
        if not chunk:
            break
        buf += chunk
    if not buf:
        raise ValueError("empty reply")
    return buf.split(b"\0", 1)[0]


def _parse_scan_reply(reply: str) -> ScanResult:
    """Turn ``stream: OK`` / ``stream: <Name> FOUND`` into a result; anything else fails."""
    if reply.endswith("ERROR"):
        # clamd's own text (e.g. "INSTREAM size limit exceeded") helps operators.
        raise ScannerUnavailable(f"clamd reported an error: {reply[:200]}")
    if reply == "stream: OK":
        return ScanResult(infected=False)
    prefix, suffix = "stream: ", " FOUND"
    if reply.startswith(prefix) and reply.endswith(suffix):
        name = reply[len(prefix) : -len(suffix)].strip()
        if name:
            return ScanResult(infected=True, signature=name)
    raise ScannerUnavailable("clamd sent an unexpected reply")
