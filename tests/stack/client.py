"""A browser-like client for the stack: cookies, forms, one new connection a request.

It never retries by itself: a failed request raises (or returns the proxy's 502),
so a test sees exactly what a visitor would see.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.client import CSRF_RE, HELD_RE, multipart

HOST = "127.0.0.1"
FORM_KEY_RE = re.compile(r'name="form_key" value="([^"]+)"')
REFERENCE_RE = re.compile(r'<span class="reference">([A-Z]{3}-\d{4}-[0-9A-Z]{5})</span>')
STATUS_LINK_RE = re.compile(r'href="(?:https?://[^/"]+)?(/(?:[a-z]{2}/)?status/[^"]+)"')
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        """The redirect's path (the portal redirects within the site)."""
        parts = urlsplit(self.headers["location"])
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def csrf(self) -> str:
        match = CSRF_RE.search(self.text)
        assert match, f"no CSRF token in the page (HTTP {self.status})"
        return match.group(1) or match.group(2)

    def form_key(self) -> str:
        match = FORM_KEY_RE.search(self.text)
        assert match, "the form has no form_key"
        return match.group(1)

    def held(self) -> list[str]:
        return HELD_RE.findall(self.text)


@dataclass
class Client:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0

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
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: list[tuple[str, str]]) -> Reply:
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_files(
        self, path: str, fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
    ) -> Reply:
        body, kind = multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": kind})


def pairs(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """A dict of answers (lists for multiple choices) as form fields."""
    out: list[tuple[str, str]] = []
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            out.append((name, str(one)))
    return out
