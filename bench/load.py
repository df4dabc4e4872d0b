"""The load generator: a separate process (`python -m bench.load SPEC-JSON`), N threads.

Each thread is one browser on one keep-alive connection. Steps ending in the
warm-up are dropped; the rest, up to the deadline, give the rate and latencies.
Prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.client import HELD_RE, Browser, Reply

Step = Callable[[Browser, dict[str, Any], dict[str, Any]], list[Reply]]


def _check(reply: Reply, status: int) -> Reply:
    if reply.status != status:
        raise AssertionError(f"HTTP {reply.status}, expected {status}: {reply.text[:200]!r}")
    return reply


def get_page(b: Browser, p: dict[str, Any], st: dict[str, Any]) -> list[Reply]:
    st["i"] = st.get("i", st["offset"]) + 1
    path = p["paths"][st["i"] % len(p["paths"])]
    headers = {"If-None-Match": st["etags"][path]} if p.get("conditional") else None
    return [_check(b.get(path, headers), p.get("expect", 200))]


def _answers(p: dict[str, Any], st: dict[str, Any], step: str, key: str) -> list[tuple[str, str]]:
    return [*p["fields"], ("csrf_token", st["csrf"]), ("form_key", key), ("step", step)]


def parent_submit(b: Browser, p: dict[str, Any], st: dict[str, Any]) -> list[Reply]:
    key = secrets.token_urlsafe(24)  # a fresh filling of the form each time
    return [_check(b.post_form(p["path"], _answers(p, st, "submit", key)), 302)]


def zz_check(b: Browser, p: dict[str, Any], st: dict[str, Any]) -> list[Reply]:
    st["key"] = secrets.token_urlsafe(24)
    files = [("certificates", "zaswiadczenie.pdf", st["pdf"])]
    reply = _check(b.post_multipart(p["path"], _answers(p, st, "check", st["key"]), files), 200)
    st["held"] = HELD_RE.findall(reply.text)
    assert st["held"], "the check page holds no file"
    return [reply]


def zz_full(b: Browser, p: dict[str, Any], st: dict[str, Any]) -> list[Reply]:
    first = zz_check(b, p, st)
    fields = _answers(p, st, "submit", st["key"]) + [("held", h) for h in st["held"]]
    return [*first, _check(b.post_form(p["path"], fields), 302)]


def bare_post(b: Browser, p: dict[str, Any], st: dict[str, Any]) -> list[Reply]:
    return [_check(b.post_form(p["path"], p["fields"]), 200)]


def bare_upload(b: Browser, p: dict[str, Any], st: dict[str, Any]) -> list[Reply]:
    files = [("certificates", "zaswiadczenie.pdf", st["pdf"])]
    return [_check(b.post_multipart(p["path"], p["fields"], files), 200)]


STEPS: dict[str, Step] = {
    "get": get_page,
    "parent_submit": parent_submit,
    "zz_check": zz_check,
    "zz_full": zz_full,
    "bare_post": bare_post,
    "bare_upload": bare_upload,
}


def setup(b: Browser, p: dict[str, Any], number: int) -> dict[str, Any]:
    """Per browser: cookies given, a form's CSRF token, the file, the ETags."""
    st: dict[str, Any] = {"offset": number * 7919}
    if "fields" in p:  # JSON made the pairs lists; urlencode wants tuples
        p["fields"] = [tuple(pair) for pair in p["fields"]]
    b.cookies.update(p.get("cookies", {}))
    if p.get("csrf_from"):
        st["csrf"] = b.csrf_token(p["csrf_from"])
    if p.get("pdf"):
        st["pdf"] = Path(p["pdf"]).read_bytes()
    if p.get("conditional"):
        st["etags"] = {path: _check(b.get(path), 200).headers["etag"] for path in p["paths"]}
    return st


def worker(spec: dict[str, Any], number: int, ready: threading.Barrier, out: list[Any]) -> None:
    b = Browser(spec["port"])
    step, params = STEPS[spec["scenario"]], spec["params"]
    try:
        try:
            st = setup(b, params, number)
        except Exception as exc:
            out.append(("error", time.perf_counter(), f"setup: {type(exc).__name__}: {exc}"))
            ready.abort()
            return
        try:
            ready.wait()  # every browser has its cookie, token and file: the clock starts
        except threading.BrokenBarrierError:
            return
        while time.perf_counter() < spec["deadline"]:
            try:
                replies = step(b, params, st)
            except Exception as exc:  # counted and shown, never fatal
                out.append(("error", time.perf_counter(), f"{type(exc).__name__}: {exc}"))
                time.sleep(0.05)
                continue
            out.append(("ok", time.perf_counter(), sum(r.seconds for r in replies)))
    finally:
        b.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(spec: dict[str, Any]) -> dict[str, Any]:
    def start_clock() -> None:
        spec["t0"] = time.perf_counter() + spec.get("warmup", 2.0)
        spec["deadline"] = spec["t0"] + spec["duration"]

    ready = threading.Barrier(spec["concurrency"], action=start_clock, timeout=120)
    outs: list[list[Any]] = [[] for _ in range(spec["concurrency"])]
    threads = [
        threading.Thread(target=worker, args=(spec, n, ready, outs[n]))
        for n in range(spec["concurrency"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if "t0" not in spec:  # a browser could not even start
        errors = [r[2] for o in outs for r in o if r[0] == "error"]
        raise SystemExit(f"setup failed: {errors[:3]}")
    measured = [r for o in outs for r in o if spec["t0"] <= r[1] <= spec["deadline"]]
    lat = [r[2] for r in measured if r[0] == "ok"]
    errors = [r[2] for r in measured if r[0] == "error"]
    return {
        "count": len(lat),
        "errors": len(errors),
        "error_sample": errors[:3],
        "seconds": spec["duration"],
        "rate": len(lat) / spec["duration"],
        "p50": percentile(lat, 0.50),
        "p95": percentile(lat, 0.95),
        "p99": percentile(lat, 0.99),
        "latencies": [round(x, 6) for x in lat],
    }


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
