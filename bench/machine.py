"""The machine a run was made on, for docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def describe() -> list[tuple[str, str]]:
    """(what, value) pairs: CPU, cores, RAM, Python, date, load before the run."""
    mem_kib = _first("/proc/meminfo", "MemTotal").split()[0]
    ram = f"{int(mem_kib) / 1024 / 1024:.1f} GiB" if mem_kib.isdigit() else "unknown"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        ("CPU", _first("/proc/cpuinfo", "model name")),
        ("cores", str(os.cpu_count())),
        ("RAM", ram),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("load average at start", load),
    ]
