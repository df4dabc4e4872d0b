"""A request body shorter than it said it would be is refused, whatever the server.

A client that declares `Content-Length` and closes the connection early must not
have the part it did send taken for the whole: a cut-off form can look complete
(`step=submit` early, the last answers cut short). Werkzeug's own server refuses
such a body, gunicorn hands the application the short body as if it were all
there, and a cut chunked body ends in gunicorn's `NoMoreData` deep inside form
parsing. Wrapping `wsgi.input` here gives every server the same answer: a 400
page, nothing stored, one line in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from werkzeug.exceptions import ClientDisconnected
from werkzeug.wsgi import get_content_length

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
_CHUNK = 64 * 1024


class WholeBody:
    """`wsgi.input` that reads no further than the declared length and never less."""

    def __init__(self, stream: IO[bytes], declared: int | None) -> None:
        self._stream = stream
        self._declared = declared
        self._left = declared  # None: no length given (chunked); the server ends it

    def _cut(self, error: Exception | None = None) -> ClientDisconnected:
        """The error to raise, logged once with sizes and the error type (never content)."""
        reason = type(error).__name__ if error else "connection closed"
        if self._declared is None or self._left is None:
            log.warning("request body cut off (no length declared; %s)", reason)
        else:
            got = self._declared - self._left
            log.warning("request body cut off: %d of %d bytes (%s)", got, self._declared, reason)
        return ClientDisconnected()

    def _raw(self, method: str, size: int) -> bytes:
        try:
            data: bytes = getattr(self._stream, method)(size)
        except (OSError, ValueError) as exc:  # gunicorn's NoMoreData is an OSError
            raise self._cut(exc) from None
        if self._left is not None:
            self._left -= len(data)
        return data

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes (all that is left when negative); a short body raises."""
        if self._left is None:
            return self._raw("read", -1 if size is None else size)
        wanted = self._left if size is None or size < 0 else min(size, self._left)
        parts = []
        while wanted > 0:
            data = self._raw("read", min(wanted, _CHUNK))
            if not data:
                raise self._cut()
            parts.append(data)
            wanted -= len(data)
        return b"".join(parts)

    def readline(self, size: int | None = -1) -> bytes:
        """One line, as far as the declared length allows; a short body raises."""
        if self._left is None:
            return self._raw("readline", -1 if size is None else size)
        if self._left == 0:
            return b""
        limit = self._left if size is None or size < 0 else min(size, self._left)
        line = self._raw("readline", limit)
        if len(line) < limit and not line.endswith(b"\n"):
            raise self._cut()  # the stream ended inside the line, before the declared end
        return line

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(self)

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


class RefuseCutBodies:
    """WSGI middleware putting `WholeBody` around every request's input."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        stream: Any = environ.get("wsgi.input")
        if stream is not None:
            environ["wsgi.input"] = WholeBody(stream, get_content_length(environ))
        return self.app(environ, start_response)
