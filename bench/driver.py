"""Runs load phases in a second process (`bench.load`) and reads its JSON answers.

A figure and its baseline are measured in alternating rounds (baseline, figure,
baseline, figure…), so that both see the same machine even when it is shared.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any, Protocol


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass(frozen=True)
class Phase:
    """Completed steps per second and each step's latency, in seconds (merged rounds)."""

    name: str
    seconds: float
    latencies: list[float] = field(repr=False)
    errors: int
    error_sample: list[str]

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 0.99)

    def merged(self, other: Phase | None) -> Phase:
        if other is None:
            return self
        return Phase(
            self.name,
            self.seconds + other.seconds,
            other.latencies + self.latencies,
            self.errors + other.errors,
            (other.error_sample + self.error_sample)[:3],
        )

    def line(self) -> str:
        errors = f", {self.errors} errors {self.error_sample[:1]}" if self.errors else ""
        return (
            f"  {self.name:<38} {self.rate:8.1f}/s  p50 {self.p50 * 1000:7.1f} ms  "
            f"p95 {self.p95 * 1000:7.1f} ms  p99 {self.p99 * 1000:7.1f} ms  "
            f"n={self.count}{errors}"
        )


@dataclass(frozen=True)
class Load:
    """How hard and how long every phase drives the server (duration: all rounds together)."""

    duration: float
    concurrency: int
    warmup: float
    rounds: int = 2


class Target(Protocol):
    """Whatever answers HTTP on a loopback port: gunicorn (`Server`) or the proxy."""

    @property
    def port(self) -> int: ...


def run_phase(
    name: str,
    server: Target,
    scenario: str,
    params: dict[str, Any],
    load: Load,
    seconds: float | None = None,
) -> Phase:
    """One round of `seconds` (default: the whole duration)."""
    spec = {
        "port": server.port,
        "scenario": scenario,
        "params": params,
        "duration": seconds or load.duration,
        "concurrency": load.concurrency,
        "warmup": load.warmup,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
        timeout=load.warmup + load.duration + 180,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed for {name}: {done.stderr[-2000:]}")
    data = json.loads(done.stdout)
    return Phase(name, data["seconds"], data["latencies"], data["errors"], data["error_sample"])


Step = tuple[str, Target, str, dict[str, Any]]


def run_rounds(steps: list[Step], load: Load) -> dict[str, Phase]:
    """Each step for duration/rounds seconds, the list again, `rounds` times; merged."""
    out: dict[str, Phase] = {}
    for _round in range(load.rounds):
        for name, server, scenario, params in steps:
            phase = run_phase(name, server, scenario, params, load, load.duration / load.rounds)
            out[name] = phase.merged(out.get(name))
    for phase in out.values():
        print(phase.line(), flush=True)
    return out
