"""A small keep-alive HTTP/1.1 client with cookies, like one browser tab (loopback only)."""

from __future__ import annotations

import http.client
import re
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

HOST = "127.0.0.1"
# `name` before `value` (our templates) or after it (WTForms' hidden_tag).
CSRF_RE = re.compile(
    r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"'
)
HELD_RE = re.compile(r'name="held" value="([^"]+)"')


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """One connection (reopened when the server closes it) and one cookie jar."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()  # a keep-alive connection the server dropped: once more
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
        data = response.read()
        seconds = time.perf_counter() - started
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(
            response.status, data, {k.lower(): v for k, v in response.getheaders()}, seconds
        )

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: list[tuple[str, str]]) -> Reply:
        body = urlencode(fields).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_multipart(
        self, path: str, fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
    ) -> Reply:
        body, kind = multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": kind})

    def csrf_token(self, path: str) -> str:
        """GET a form like a browser would: the session cookie and its CSRF token."""
        reply = self.get(path)
        match = CSRF_RE.search(reply.text)
        assert reply.status == 200 and match, f"no CSRF token on {path}: {reply.status}"
        return match.group(1) or match.group(2)

    def close(self) -> None:
        self.conn.close()


def multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = "bench" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        parts += [head.encode(), data, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
