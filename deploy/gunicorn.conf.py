"""gunicorn's settings for an app host: `gunicorn -c deploy/gunicorn.conf.py 'portal:create_app()'`.

The same file on every host. What differs between hosts (the address to listen on,
the proxy's address) comes from the command line or from GUNICORN_CMD_ARGS in
/etc/portal/env, which gunicorn reads itself; both win over this file.
"""

import multiprocessing
import socket
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

# A page up to this size leaves the worker in one write (see OneWriteWorker).
ONE_WRITE_BYTES = 64 * 1024


class _OneWrite:
    """The connection's socket, holding what is sent until the response is complete.

    gunicorn writes a response's headers and its body with two calls. A host that dies
    between them leaves the proxy with headers it has already passed on and no body:
    too late to ask the other host, so the visitor gets a blank page. Sent in one call,
    a response is in the kernel whole or not at all, and the proxy can fail over.
    Bigger responses (exports, downloads) are streamed once they pass ONE_WRITE_BYTES.
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._held: list[bytes] | None = []
        self._size = 0

    def sendall(self, data: bytes) -> None:
        if self._held is None:
            self._sock.sendall(data)
            return
        self._held.append(bytes(data))
        self._size += len(data)
        if self._size > ONE_WRITE_BYTES:
            self.flush(streaming=True)

    def flush(self, streaming: bool = False) -> None:
        if self._held:
            self._sock.sendall(b"".join(self._held))
        self._held, self._size = (None if streaming else []), 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class OneWriteWorker(ThreadWorker):
    """gunicorn's gthread worker, each response of a page's size sent in one write."""

    def handle_request(self, req: Any, conn: Any) -> bool:
        real = conn.sock
        held = conn.sock = _OneWrite(real)
        try:
            keep: bool = super().handle_request(req, conn)
            held.flush()
            return keep
        finally:
            conn.sock = real


bind = ["127.0.0.1:8000"]
# About two per core: the work is Python (validation, encryption, PDF checks) and waits
# on the database. Two threads each, so a slow upload does not hold a whole worker.
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = OneWriteWorker
threads = 2
# Every body goes through the socket's sendall (so through OneWriteWorker), not
# os.sendfile; the proxy serves the static files anyway.
sendfile = False
# Uploads are checked in the worker: a 10 MB PDF is parsed and scanned in seconds.
timeout = 60
graceful_timeout = 30
keepalive = 2
# Workers are renewed now and then, so memory kept by one big upload does not stay.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy may say a request came over https (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1"
# The proxy writes the access log (without private tokens, deploy/nginx/portal-http.conf);
# gunicorn's own log (and the portal's JSON lines) go to standard error, i.e. journald.
accesslog = None
errorlog = "-"
loglevel = "info"
# Nothing of a request's body or headers is ever logged.
capture_output = False
proc_name = "portal"
