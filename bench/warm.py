"""Warm-up: every path once, from a few browsers in parallel (not measured)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bench.client import Browser


def _fetch(port: int, paths: list[str]) -> list[int]:
    b = Browser(port)
    try:
        return [len(b.get(p).body) for p in paths]
    finally:
        b.close()


def warm(port: int, paths: list[str], browsers: int = 4) -> list[int]:
    """GET each path once; returns the body sizes in the order of `paths`' slices."""
    slices = [paths[n::browsers] for n in range(browsers)]
    with ThreadPoolExecutor(browsers) as pool:
        return [size for sizes in pool.map(lambda s: _fetch(port, s), slices) for size in sizes]
