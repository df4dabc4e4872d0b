"""gunicorn as a subprocess on 127.0.0.1: start-up time, worker memory, a clean stop."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"  # the only address this benchmark ever talks to
WORKERS = 2
THREADS = 2  # docs/deploy.md runs gthread workers with 2 threads


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def gunicorn_command(app_spec: str, port: int) -> list[str]:
    """The same settings for the portal and every baseline."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    return [
        gunicorn,
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        "--no-control-socket",
        app_spec,
    ]


def _status(port: int, path: str) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


class Server:
    """One gunicorn master with its workers; use as a context manager."""

    def __init__(self, app_spec: str, env: dict[str, str], log: Path, health: str) -> None:
        self.port = free_port()
        self.health = health
        self.log = log
        self._spec, self._env = app_spec, {**os.environ, **env}
        self.proc: subprocess.Popen[bytes] | None = None
        self.startup_seconds = 0.0

    def __enter__(self) -> Server:
        started = time.perf_counter()
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                gunicorn_command(self._spec, self.port),
                env=self._env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.startup_seconds = self._wait(started)
        return self

    def _wait(self, started: float, limit: float = 120.0) -> float:
        assert self.proc is not None
        while time.perf_counter() - started < limit:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                if _status(self.port, self.health) == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"no 200 on {self.health} within {limit} s; see {self.log}")

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        return [int(p) for p in children.split()]

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each worker, in MiB."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes
