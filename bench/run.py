"""`make bench`: generate the data, start gunicorn, drive it, print and write the table."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from bench import figures, public, settings, staffqueue
from bench.content import GenCentre, make_content
from bench.dataset import bench_app, build_database
from bench.driver import Load, run_phase
from bench.machine import describe
from bench.report import console_table, refresh_analysis, write_doc
from bench.results import Results
from bench.server import Server
from portal.auth.roles import Role
from portal.core.crypto import Keyring
from portal.core.settings import PROJECT_ROOT


def portal_env(url: str, content: Path) -> dict[str, str]:
    return {"PORTAL_DATABASE_URL": url, "PORTAL_CONTENT_DIR": str(content)}


def base_env() -> dict[str, str]:
    """Production mode, fresh keys, rate limits off (the load comes from one address)."""
    return {
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(48),
        "PORTAL_DATA_KEY": Keyring.generate_value("bench1"),
        "PORTAL_RATELIMIT_ENABLED": "0",
        "PORTAL_RATELIMIT_STORAGE_URL": "memory://",
        # What production refuses to start without; the load reaches it on 127.0.0.1 only,
        # and the benchmark measures the portal, not ClamAV (say so, as an operator must).
        "PORTAL_TRUSTED_HOSTS": "127.0.0.1",
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "PORTAL_VIRUS_SCAN": "off",
    }


def generate(
    kind: str, url: str, work: Path, centres: list[GenCentre], s: settings.Settings, res: Results
) -> None:
    print(f"generating {s.requests:,} requests in {kind} …", flush=True)
    ds = build_database(
        url, work / "content", [c.slug for c in centres], [c.prefix for c in centres], s.requests
    )
    res.datasets[kind] = ds
    print(
        f"  {kind}: {ds.requests:,} requests in {ds.seconds:.1f} s "
        f"({ds.requests / ds.seconds:,.0f} rows/s); biggest centre {ds.biggest[0]} "
        f"({ds.biggest[1]:,}), median {ds.median[0]} ({ds.median[1]:,})",
        flush=True,
    )


def queue_figures(
    kind: str, server: Server, url: str, work: Path, load: Load, res: Results
) -> None:
    """Log in as the worker of the biggest and of the median centre; the page and its SQL."""
    app = bench_app(url, work / "content")
    ds = res.datasets[kind]
    for label, (slug, _count) in (("big", ds.biggest), ("median", ds.median)):
        staff = staffqueue.enrol_worker(app, slug)
        cookies = staffqueue.log_in(server.port, staff)
        one = Load(load.duration, 1, load.warmup)  # one member of staff: latency, no queueing
        phase = run_phase(
            f"queue {kind} {label}", server, "get", {"paths": ["/panel/"], "cookies": cookies}, one
        )
        print(phase.line(), flush=True)
        res.phases[phase.name] = phase
        for name, stmt in staffqueue.page_statements(app, slug).items():
            timing = staffqueue.time_sql(app, stmt, min(5.0, load.duration))
            res.sql[f"{kind} {name} {label}"] = timing
            print(
                f"  SQL alone {kind} {name} {label}: p50 {timing.p50 * 1000:.2f} ms "
                f"p95 {timing.p95 * 1000:.2f} ms (n={timing.count})",
                flush=True,
            )


def stats_figures(
    kind: str, server: Server, url: str, work: Path, load: Load, res: Results
) -> None:
    """The biggest centre's manager opens /panel/statystyki; beside it, one count alone."""
    app = bench_app(url, work / "content")
    slug = res.datasets[kind].biggest[0]
    staff = staffqueue.enrol_worker(app, slug, Role.MANAGER)
    cookies = staffqueue.log_in(server.port, staff)
    one = Load(load.duration, 1, load.warmup)
    paths = [staffqueue.stats_path()]
    phase = run_phase(
        f"statistics {kind} big", server, "get", {"paths": paths, "cookies": cookies}, one
    )
    print(phase.line(), flush=True)
    res.phases[phase.name] = phase
    timing = staffqueue.time_sql(app, staffqueue.stats_baseline(app, slug), min(5.0, load.duration))
    res.sql[f"{kind} statistics count big"] = timing
    print(
        f"  SQL alone {kind} statistics count big: p50 {timing.p50 * 1000:.2f} ms "
        f"p95 {timing.p95 * 1000:.2f} ms (n={timing.count})",
        flush=True,
    )


def staff_figures(
    kind: str, server: Server, url: str, work: Path, load: Load, res: Results
) -> None:
    """The queue, then the statistics, on the same server."""
    queue_figures(kind, server, url, work, load, res)
    stats_figures(kind, server, url, work, load, res)


def main(argv: list[str] | None = None) -> int:
    s = settings.parse(argv)
    analysis = (PROJECT_ROOT / "bench" / "analysis.md").read_text(encoding="utf-8")
    if s.analysis_only:
        refresh_analysis(PROJECT_ROOT / "docs" / "benchmarks.md", analysis)
        return 0
    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    res = Results()
    env = base_env()
    os.environ.update(env)  # the in-process app (data, logins, SQL) uses the same keys
    machine = describe()
    try:
        started = time.perf_counter()
        centres = make_content(work / "content", s.centres)
        res.timings["content"] = time.perf_counter() - started
        print(f"content: {s.centres} centres in {res.timings['content']:.1f} s ({work})")
        url = f"sqlite:///{work / 'portal.sqlite3'}"
        generate("sqlite", url, work, centres, s, res)
        public.run(
            s,
            work,
            env | portal_env(url, work / "content"),
            centres,
            res,
            lambda server: staff_figures("sqlite", server, url, work, s.load, res),
        )
        if s.pg_url:
            public.reset_postgres(s.pg_url)
            generate("postgresql", s.pg_url, work, centres, s, res)
            public.run_queue_only(
                s,
                work,
                env | portal_env(s.pg_url, work / "content"),
                res,
                lambda server: staff_figures(
                    "postgresql", server, s.pg_url or "", work, s.load, res
                ),
            )
        rows = figures.rows(res, s)
        print()
        print(console_table(rows))
        if s.out is not None:
            write_doc(
                s.out,
                rows,
                machine + figures.db_versions(res),
                figures.details(res, s),
                analysis,
            )
            print(f"\nwritten: {s.out.relative_to(PROJECT_ROOT)}")
    finally:
        if s.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0
