"""Command line and sizes of a run."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from bench.driver import Load
from portal.core.settings import PROJECT_ROOT


@dataclass(frozen=True)
class Settings:
    centres: int
    requests: int
    load: Load
    pg_url: str | None
    out: Path | None  # None: print only
    keep: bool
    analysis_only: bool


def parse(argv: list[str] | None) -> Settings:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 50 centres, 20,000 requests, 3 s phases; no doc",
    )
    parser.add_argument("--centres", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--duration", type=float, help="seconds measured per phase")
    parser.add_argument("--concurrency", type=int, default=4, help="browsers per phase")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md (--quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--analysis-only",
        action="store_true",
        help="measure nothing: put bench/analysis.md under the figures in docs/benchmarks.md",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    duration = args.duration or (3.0 if quick else 10.0)
    write = args.write or not quick
    return Settings(
        centres=args.centres or (50 if quick else 2500),
        requests=args.requests or (20_000 if quick else 1_000_000),
        load=Load(duration=duration, concurrency=args.concurrency, warmup=1.0 if quick else 2.0),
        pg_url=os.environ.get("PORTAL_BENCH_PG_URL") or None,
        out=PROJECT_ROOT / "docs" / "benchmarks.md" if write else None,
        keep=args.keep,
        analysis_only=args.analysis_only,
    )
