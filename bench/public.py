"""The HTTP part of a run: the portal and the baselines under gunicorn, phase after phase."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import MetaData, create_engine

from bench import baseline_app
from bench.content import REAL_CONTENT, GenCentre
from bench.driver import Step, run_rounds
from bench.forms import parent_fields, za_zyciem_fields
from bench.proxy import proxy_phases
from bench.results import Results
from bench.samples import certificate_pdf
from bench.server import Server
from bench.settings import Settings
from bench.warm import warm
from portal.core.settings import LANGUAGES

PORTAL = "portal:create_app()"
BASELINE = "bench.baseline_app:create_app()"
CONTENT_PAGES = 100  # the content-page phase cycles over this many centres' home pages
STARTS = 3  # start-up time: the median of this many starts


def home_paths(slugs: list[str]) -> list[str]:
    prefix = {"pl": ""} | {lang: f"/{lang}" for lang in LANGUAGES if lang != "pl"}
    return [f"{prefix[lang]}/{slug}/" for lang in LANGUAGES for slug in slugs]


def extra_starts(spec: str, env: dict[str, str], log: Path, key: str, res: Results) -> None:
    for _ in range(STARTS - len(res.startup.get(key, []))):
        with Server(spec, env, log, "/healthz") as server:
            res.startup.setdefault(key, []).append(server.startup_seconds)


def portal_phases(
    portal: Server,
    bare: Server,
    s: Settings,
    work: Path,
    centre: GenCentre,
    paths: list[str],
    res: Results,
) -> None:
    """Each portal phase right after its baseline, so that both see the same machine."""
    pdf = work / "certificate.pdf"
    pdf.write_bytes(certificate_pdf())
    parent, zz = f"/{centre.slug}/zgloszenie", f"/{centre.slug}/za-zyciem/wniosek"
    pages: list[Step] = [
        ("bare page", bare, "get", {"paths": ["/page"]}),
        ("content page", portal, "get", {"paths": paths}),
        (
            "conditional GET (304)",
            portal,
            "get",
            {"paths": paths, "conditional": True, "expect": 304},
        ),
    ]
    posts: list[Step] = [
        (
            "bare POST",
            bare,
            "bare_post",
            {"path": "/store", "fields": [("centre", centre.slug), *parent_fields(centre)]},
        ),
        (
            "parent request POST",
            portal,
            "parent_submit",
            {"path": parent, "csrf_from": parent, "fields": parent_fields(centre)},
        ),
        (
            "bare upload POST",
            bare,
            "bare_upload",
            {"path": "/upload", "fields": [], "pdf": str(pdf)},
        ),
        (
            "Za życiem POST with PDF (check)",
            portal,
            "zz_check",
            {"path": zz, "csrf_from": zz, "fields": za_zyciem_fields(centre), "pdf": str(pdf)},
        ),
    ]
    full: list[Step] = [
        (
            "Za życiem application (check+submit)",
            portal,
            "zz_full",
            {"path": zz, "csrf_from": zz, "fields": za_zyciem_fields(centre), "pdf": str(pdf)},
        ),
    ]
    for steps in (pages, posts, full):
        res.phases.update(run_rounds(steps, s.load))


def run(
    s: Settings,
    work: Path,
    env: dict[str, str],
    centres: list[GenCentre],
    res: Results,
    queue: Callable[[Server], None],
) -> None:
    """The big portal (all generated centres) with the baselines, then the 4-centre portal."""
    log = work / "gunicorn.log"
    baseline_app.create_tables(env["PORTAL_DATABASE_URL"])
    slugs = [c.slug for c in centres]
    with Server(PORTAL, env, log, "/healthz") as portal:
        res.startup["big"] = [portal.startup_seconds]
        warm(portal.port, home_paths(slugs))
        res.rss["big"] = portal.worker_rss_mb()
        paths = [f"/{slug}/" for slug in slugs[:CONTENT_PAGES]]
        res.sizes["content"] = int(statistics.mean(warm(portal.port, paths)))
        bare_env = env | {"BENCH_PAGE_BYTES": str(res.sizes["content"])}
        with Server(BASELINE, bare_env, log, "/healthz") as bare:
            res.sizes["bare"] = warm(bare.port, ["/page"])[0]
            portal_phases(portal, bare, s, work, centres[len(centres) // 2], paths, res)
        try:
            proxy_phases(portal, s, centres[len(centres) // 2], paths, res)
        except Exception as exc:  # no nginx here: say why, keep the other figures
            res.notes.append(f"proxy figures not measured: {type(exc).__name__}: {exc}")
            print(f"  {res.notes[-1]}", flush=True)
        try:
            queue(portal)
        except Exception as exc:  # the panel is young: say why, keep the other figures
            res.notes.append(f"queue over HTTP not measured: {type(exc).__name__}: {exc}")
            print(f"  {res.notes[-1]}", flush=True)
        res.rss["big end"] = portal.worker_rss_mb()
    extra_starts(PORTAL, env, log, "big", res)
    small_portal(env | {"PORTAL_CONTENT_DIR": str(REAL_CONTENT)}, log, res)


def small_portal(env: dict[str, str], log: Path, res: Results) -> None:
    """The repository's own content (4 centres): start-up and memory after the same warm-up."""
    slugs = sorted(p.parent.name for p in REAL_CONTENT.glob("*/centre.yml"))
    with Server(PORTAL, env, log, "/healthz") as portal:
        res.startup["small"] = [portal.startup_seconds]
        warm(portal.port, home_paths(slugs) * 20)
        res.rss["small"] = portal.worker_rss_mb()
    extra_starts(PORTAL, env, log, "small", res)


def run_queue_only(
    s: Settings, work: Path, env: dict[str, str], res: Results, queue: Callable[[Server], None]
) -> None:
    with Server(PORTAL, env, work / "gunicorn.log", "/healthz") as portal:
        warm(portal.port, ["/healthz"] * 8)
        queue(portal)


def reset_postgres(url: str) -> None:
    """PORTAL_BENCH_PG_URL names a throwaway database: every table in it is dropped."""
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    meta.drop_all(engine)
    engine.dispose()
