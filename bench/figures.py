"""From the measurements to the table's rows and the notes under it."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from bench.driver import Phase
from bench.report import Row, verdict
from bench.results import Results
from bench.server import THREADS, WORKERS
from bench.settings import Settings

NA = "—"
MIB_MB = 1.048576  # VmRSS is in KiB; the target is in MB


def _rate(p: Phase | None) -> str:
    return f"{p.rate:,.1f}/s" if p else NA


def _ratio(a: float | None, b: float | None) -> tuple[str, float | None]:
    if a is None or b is None or b == 0:
        return NA, None
    return f"{a / b:.2f}×", a / b


def _throughput(res: Results, figure: str, name: str, base: str, target: float) -> Row:
    p, b = res.phases.get(name), res.phases.get(base)
    text_, ratio = _ratio(p.rate if p else None, b.rate if b else None)
    return Row(
        figure,
        _rate(p),
        f"{base}: {_rate(b)}",
        text_,
        f"≥ {target}×",
        verdict(None if ratio is None else ratio >= target),
    )


def _p99(res: Results) -> Row:
    p, b = res.phases.get("content page"), res.phases.get("bare page")
    text_, ratio = _ratio(b.p99 if b else None, p.p99 if p else None)  # baseline / ours
    return Row(
        "content page p99",
        f"{p.p99 * 1000:.1f} ms" if p else NA,
        f"bare page: {b.p99 * 1000:.1f} ms" if b else NA,
        f"{text_} (bare/ours)",
        "≥ 0.9× (bare p99 / ours)",
        verdict(None if ratio is None else ratio >= 0.9),
    )


def _queue(res: Results, kind: str) -> Row:
    ds = res.datasets.get(kind)
    p = res.phases.get(f"queue {kind} big")
    sql = res.sql.get(f"{kind} listing big")
    where = f"{kind}, {ds.requests:,} requests / {ds.centres:,} centres" if ds else kind
    if p is None or sql is None:
        why = "PORTAL_BENCH_PG_URL unset" if kind == "postgresql" and ds is None else "see notes"
        return Row(
            f"queue page p50/p95 ({where})", NA, NA, NA, "p95 ≤ 50 ms", f"not measured ({why})"
        )
    text_, _r = _ratio(p.p95, sql.p95)
    return Row(
        f"queue page p50/p95 ({where}; biggest centre, {ds.biggest[1]:,} requests)"
        if ds
        else "queue page",
        f"{p.p50 * 1000:.1f} / {p.p95 * 1000:.1f} ms",
        f"its listing SQL alone: {sql.p50 * 1000:.2f} / {sql.p95 * 1000:.2f} ms",
        f"{text_} (p95)",
        "p95 ≤ 50 ms",
        verdict(p.p95 <= 0.050),
    )


def _stats(res: Results, kind: str) -> Row:
    ds = res.datasets.get(kind)
    p = res.phases.get(f"statistics {kind} big")
    sql = res.sql.get(f"{kind} statistics count big")
    where = f"{kind}, {ds.requests:,} requests" if ds else kind
    if p is None or sql is None or ds is None:
        why = "PORTAL_BENCH_PG_URL unset" if kind == "postgresql" and ds is None else "see notes"
        return Row(
            f"/panel/statystyki p50/p95 ({where})",
            NA,
            NA,
            NA,
            "p95 ≤ 250 ms",
            f"not measured ({why})",
        )
    text_, _r = _ratio(p.p95, sql.p95)
    return Row(
        f"/panel/statystyki p50/p95 ({where}; biggest centre's year)",
        f"{p.p50 * 1000:.1f} / {p.p95 * 1000:.1f} ms",
        f"one count of the same rows alone: {sql.p50 * 1000:.2f} / {sql.p95 * 1000:.2f} ms",
        f"{text_} (p95)",
        "p95 ≤ 250 ms",
        verdict(p.p95 <= 0.250),
    )


def _memory(res: Results, s: Settings) -> list[Row]:
    big, small, end = res.max_rss("big"), res.max_rss("small"), res.max_rss("big end")
    up_big, up_small = res.median_startup("big"), res.median_startup("small")
    rss_ratio, _a = _ratio(big, small)
    up_ratio, _b = _ratio(up_big, up_small)
    return [
        Row(
            f"worker RSS after warm-up ({s.centres:,} centres)",
            f"{big:.0f} MiB = {big * MIB_MB:.0f} MB ({end or 0:.0f} MiB after all phases)"
            if big
            else NA,
            f"4 centres: {small:.0f} MiB" if small else NA,
            rss_ratio,
            "≤ 120 MB",
            verdict(None if big is None else big * MIB_MB <= 120),
        ),
        Row(
            f"start-up to first 200 on /healthz ({s.centres:,} centres)",
            f"{up_big:.2f} s" if up_big else NA,
            f"4 centres: {up_small:.2f} s" if up_small else NA,
            up_ratio,
            "≤ 2 s",
            verdict(None if up_big is None else up_big <= 2.0),
        ),
    ]


def rows(res: Results, s: Settings) -> list[Row]:
    return [
        _throughput(res, "content page req/s", "content page", "bare page", 0.9),
        _p99(res),
        _throughput(
            res,
            "conditional GET (If-None-Match → 304) req/s",
            "conditional GET (304)",
            "content page",
            1.5,
        ),
        _throughput(
            res,
            "parent request POST/s (step=submit, valid, stored)",
            "parent request POST",
            "bare POST",
            0.5,
        ),
        _throughput(
            res,
            "Za życiem POST/s with a 1 MB PDF (step=check: checked, held)",
            "Za życiem POST with PDF (check)",
            "bare upload POST",
            0.5,
        ),
        _throughput(
            res,
            "public page through the proxy (nginx cache) req/s",
            "content page through the proxy",
            "static page (nginx)",
            0.8,
        ),
        _throughput(
            res,
            "parent request POST/s through the proxy",
            "parent request POST through the proxy",
            "parent request POST (straight to gunicorn)",
            0.9,
        ),
        _queue(res, "sqlite"),
        _queue(res, "postgresql"),
        _stats(res, "sqlite"),
        _stats(res, "postgresql"),
        *_memory(res, s),
    ]


def _cache(res: Results) -> str:
    counts = res.proxy_cache
    return ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())) or "not recorded"


def db_versions(res: Results) -> list[tuple[str, str]]:
    out = []
    for kind, ds in res.datasets.items():
        engine = create_engine(ds.url)
        with engine.connect() as conn:
            query = "select sqlite_version()" if kind == "sqlite" else "show server_version"
            out.append((f"{kind} version", str(conn.scalar(text(query)))))
        engine.dispose()
    return out


def details(res: Results, s: Settings) -> list[str]:
    lines = [
        f"- Server: gunicorn, {WORKERS} workers × {THREADS} threads (gthread, as in "
        "docs/deploy.md), bound to 127.0.0.1, `PORTAL_ENV=production`, rate limits off "
        "(`PORTAL_RATELIMIT_ENABLED=0`); the baselines run under the same command line.",
        f"- Load: a second process (`bench/load.py`), {s.load.concurrency} threads, each one "
        "browser on one keep-alive connection; each form browser first GETs the form for its "
        f"session cookie and CSRF token. Each figure and its baseline alternate in "
        f"{s.load.rounds} rounds of {s.load.duration / s.load.rounds:.0f} s (each after "
        f"{s.load.warmup:.0f} s of warm-up), {s.load.duration:.0f} s measured in all; the "
        "queue: one round. Latency = one step, client side.",
        f"- Data: {s.centres:,} generated centres (`content/_defaults/` copied, each with "
        "centre.yml and an index page in pl/en/uk); requests spread Zipf-like over the centres, "
        "80 % parent requests, 5 % urgent, statuses by age, created over two years, every "
        "`answers` blob encrypted for its own reference.",
        f"- Content page: home pages of {min(100, s.centres)} centres in turn "
        f"(mean {res.sizes.get('content', 0):,} bytes); bare page: one Jinja page of "
        f"{res.sizes.get('bare', 0):,} bytes.",
        "- Conditional GET: the same pages with the ETag of a first GET in If-None-Match.",
        "- Parent request: one POST with step=submit and a fresh form_key (all answers valid, "
        "stored encrypted with the outbox notices) → 302; bare POST: the same fields, one "
        "plain INSERT.",
        "- Za życiem: the POST that carries the 1 MB PDF (step=check: sniffed, parsed, "
        "encrypted and held in the database, check page rendered); bare upload: the same "
        "file in one plain INSERT.",
        "- Through the proxy: nginx with deploy/nginx/'s site (as `make stack` runs it) in "
        "front of the same gunicorn. Public page: the same home pages, answered from the "
        f"proxy's cache ({_cache(res)}); baseline: their bytes (mean "
        f"{res.sizes.get('static copy', 0):,} bytes) as static files from the same nginx. "
        "Parent request: the POST above through the proxy (the form's GET too, for its "
        "cookie and token); baseline: the same POST straight to gunicorn, in the same rounds.",
        "- Queue: one logged-in worker (password + TOTP through the real forms) GETs `/panel/` "
        "(default view: open requests, 50 a page) one request at a time; baseline: the "
        "page's listing query (`portal.panel.queue.ordered(filtered(...))`) alone, Core, "
        "in the bench process.",
        "- Statistics: the biggest centre's manager (logged in the same way) GETs "
        "`/panel/statystyki` for the whole current year, one request at a time (seven SQL "
        "aggregates); baseline: one `count(*)` of the same rows alone, Core, in the bench "
        "process.",
        "- Memory: VmRSS of each worker after every home page in three languages "
        "(4 centres: their home pages, 20 times); start-up: median of "
        "3 starts, process start to first 200 on /healthz.",
        "",
        "All phases:",
        "",
        "```",
        *(p.line().strip() for p in res.phases.values()),
        *(
            f"SQL alone {k}: p50 {t.p50 * 1000:.2f} ms, p95 {t.p95 * 1000:.2f} ms (n={t.count})"
            for k, t in res.sql.items()
        ),
        *(
            f"data {k}: {d.requests:,} requests in {d.seconds:.1f} s; biggest {d.biggest}, "
            f"median {d.median}"
            for k, d in res.datasets.items()
        ),
        f"worker RSS MiB: {res.rss}",
        f"start-up s: {res.startup}",
        "```",
        *(f"- Note: {n}" for n in res.notes),
    ]
    return lines
