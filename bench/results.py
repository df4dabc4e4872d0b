"""Everything a run measured, filled in as it goes."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from bench.dataset import Dataset
from bench.driver import Phase
from bench.staffqueue import Timing


@dataclass
class Results:
    phases: dict[str, Phase] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)  # page bytes: content, bare
    startup: dict[str, list[float]] = field(default_factory=dict)  # "big"/"small" → seconds
    rss: dict[str, list[float]] = field(default_factory=dict)  # "big"/"small"/"big end" → MiB
    sql: dict[str, Timing] = field(default_factory=dict)  # "sqlite listing big" …
    datasets: dict[str, Dataset] = field(default_factory=dict)  # "sqlite"/"postgresql"
    timings: dict[str, float] = field(default_factory=dict)  # generation steps, seconds
    notes: list[str] = field(default_factory=list)
    proxy_cache: dict[str, int] = field(default_factory=dict)  # X-Cache-Status → requests

    def median_startup(self, key: str) -> float | None:
        values = self.startup.get(key)
        return statistics.median(values) if values else None

    def max_rss(self, key: str) -> float | None:
        values = self.rss.get(key)
        return max(values) if values else None
