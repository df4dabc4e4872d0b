"""The table: each figure beside its same-run baseline, the ratio, the target and the verdict."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    baseline: str
    ratio: str
    target: str
    verdict: str  # PASS, MISS or "not measured"


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else "PASS" if ok else "MISS"


RUNNING = (
    "Run: `make bench` (about 10 minutes on 2 cores: 2,500 centres, 1,000,000 requests); "
    "`python -m bench --quick` for a 1-minute smoke run that writes nothing. Set "
    "`PORTAL_BENCH_PG_URL=postgresql+psycopg://…` to add the queue on PostgreSQL: it must "
    "name a throwaway database, every table in it is dropped. The proxy figures need "
    "Debian's `nginx` (it runs deploy/nginx/'s site on loopback, as `make stack` does). "
    "`python -m bench.profile content|conditional|parent|zz|startup` shows where the time goes."
)
HEAD = ("figure", "measured", "baseline (same run)", "ratio", "target", "verdict")


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + " --- |" * len(HEAD)]
    for r in rows:
        lines.append(
            f"| {r.figure} | {r.measured} | {r.baseline} | {r.ratio} | {r.target} | "
            f"**{r.verdict}** |"
        )
    return "\n".join(lines)


def console_table(rows: list[Row]) -> str:
    cells = [HEAD] + [
        (r.figure, r.measured, r.baseline, r.ratio, r.target, r.verdict) for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEAD))]
    out = []
    for n, c in enumerate(cells):
        out.append("  ".join(v.ljust(widths[i]) for i, v in enumerate(c)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def write_doc(
    path: Path, rows: list[Row], machine: list[tuple[str, str]], details: list[str], analysis: str
) -> None:
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); the analysis at the end is kept in "
        "`bench/analysis.md`. Every figure is measured beside its baseline in the same run, "
        "with the same gunicorn settings. These are figures, not tests.",
        "",
        RUNNING,
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in machine),
        "",
        "## Figures",
        "",
        markdown_table(rows),
        "",
        "## How each figure was measured (this run)",
        "",
        *details,
        "",
        MARKER,
        "",
        analysis.strip(),
        "",
    ]
    path.write_text("\n".join(parts), encoding="utf-8")


MARKER = "<!-- below: bench/analysis.md (python -m bench --analysis-only refreshes it) -->"


def refresh_analysis(path: Path, analysis: str) -> None:
    """Put the current bench/analysis.md under the figures of the last run."""
    head = path.read_text(encoding="utf-8").split(MARKER, 1)[0]
    path.write_text(f"{head}{MARKER}\n\n{analysis.strip()}\n", encoding="utf-8")
