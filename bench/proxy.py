"""The portal behind the production proxy (deploy/nginx/, as `make stack` runs it).

Two figures, each beside a baseline measured in the same rounds:
- a public page through the proxy (its cache) against the same bytes served by the
  same nginx as static files;
- the parent's request POST through the proxy against the same POST sent straight
  to gunicorn.
"""

from __future__ import annotations

import http.client
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bench.content import GenCentre
from bench.driver import Step, run_rounds
from bench.forms import parent_fields
from bench.results import Results
from bench.server import Server
from bench.settings import Settings
from bench.warm import warm
from stack import services
from stack.config import nginx_conf
from stack.procs import Proc, free_port

STATIC = "/_bench_static/"  # where nginx serves the copies of the pages


@dataclass
class Proxy:
    """nginx with deploy/nginx/'s site in front of one gunicorn, plus a static folder."""

    upstream: int
    port: int = 0
    folder: Path | None = None
    proc: Proc | None = None

    def __enter__(self) -> Proxy:
        self.folder = Path(tempfile.mkdtemp(prefix="portal-bench-nginx-"))
        self.folder.chmod(0o755)  # nginx's workers run as another user when we are root
        (self.folder / "static").mkdir()
        self.port = free_port()
        user = services.nginx_user(self.folder)
        extra = (
            f"        location ^~ {STATIC} {{ alias {self.folder / 'static'}/; "
            "default_type text/html; }\n"
        )
        conf = nginx_conf(self.folder, self.port, [self.upstream], user=user, extra_locations=extra)
        self.proc = services.nginx(self.folder, conf, self.port)
        return self

    def copy_pages(self, paths: list[str]) -> tuple[list[str], int]:
        """Keep each page's bytes (as the proxy serves it) as a static file.

        Returns the static files' paths and their mean size in bytes.
        """
        if self.folder is None:
            raise RuntimeError("the proxy is not running")
        out, sizes = [], []
        for n, path in enumerate(paths):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request("GET", path)
            body = conn.getresponse().read()
            conn.close()
            (self.folder / "static" / f"page{n}.html").write_bytes(body)
            out.append(f"{STATIC}page{n}.html")
            sizes.append(len(body))
        return out, sum(sizes) // max(1, len(sizes))

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc is not None:
            self.proc.stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def proxy_phases(
    portal: Server, s: Settings, centre: GenCentre, paths: list[str], res: Results
) -> None:
    """The two proxy figures and their baselines, alternating round by round."""
    parent = f"/{centre.slug}/zgloszenie"
    submit = {"path": parent, "csrf_from": parent, "fields": parent_fields(centre)}
    with Proxy(portal.port) as proxy:
        static, res.sizes["static copy"] = proxy.copy_pages(paths)  # also caches each page
        warm(proxy.port, static)
        steps: list[Step] = [
            ("static page (nginx)", proxy, "get", {"paths": static}),
            ("content page through the proxy", proxy, "get", {"paths": paths}),
            ("parent request POST (straight to gunicorn)", portal, "parent_submit", submit),
            ("parent request POST through the proxy", proxy, "parent_submit", submit),
        ]
        res.phases.update(run_rounds(steps, s.load))
        res.proxy_cache = proxy_cache_summary(proxy, set(paths))


def proxy_cache_summary(proxy: Proxy, paths: set[str]) -> dict[str, int]:
    """How the proxy answered the content pages (HIT, MISS …), from its access log."""
    if proxy.folder is None:
        return {}
    counts: dict[str, int] = {}
    for line in (proxy.folder / "logs" / "portal.access.log").read_text().splitlines():
        request = line.split('"', 2)[1] if '"' in line else ""
        if request.startswith("GET ") and request[4:] in paths:
            status = line.split("cache=", 1)[1].split()[0]
            counts[status] = counts.get(status, 0) + 1
    return counts
