"""Pages: `<page>.<lang>.md` files with YAML front matter, found per centre.

A centre's own file wins over `_defaults/`; a missing translation falls back
to Polish and the page says so. Rendered HTML is cached until its file changes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from portal.core import yamlfiles
from portal.core.centres import PLACEHOLDER_KEYS, Centre
from portal.core.problems import Problem
from portal.core.settings import DEFAULT_LANGUAGE
from portal.pages.render import markdown_to_html

log = logging.getLogger(__name__)

DEFAULTS = "_defaults"
FILE_RE = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]{0,62})\.(?P<lang>[a-z]{2})\.md$")
PLACEHOLDER_RE = re.compile(r"\{\{\s*centre\.([a-z_]+)\s*\}\}")
SIGNATURE_TTL = 1.0  # default seconds an edited file may go unnoticed
FRONT_KEYS = {"title": str, "summary": str, "order": int, "nav": bool}


class PageError(ValueError):
    """A page file that cannot be shown."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    """A page file split into front matter and body."""

    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts, for error messages


@dataclass(frozen=True)
class PageInfo:
    """What navigation needs to know of a page."""

    slug: str
    title: str
    summary: str
    order: int
    nav: bool


@dataclass(frozen=True)
class Page:
    """A page ready to show."""

    info: PageInfo
    html: str
    lang: str  # the language the text is in (Polish when a translation is missing)
    fallback: bool


def split_front_matter(path: Path, text: str) -> Source:
    """Split `---` front matter from the body; raise `PageError` on any problem."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise PageError([Problem(path, 1, "page must start with '---' front matter")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise PageError([Problem(path, 1, "front matter has no closing '---'")]) from None
    raw = "\n".join(lines[1:end])
    try:
        meta = yamlfiles.load(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise PageError([Problem(path, line, f"invalid front matter: {exc}")]) from exc
    if not isinstance(meta, dict):
        raise PageError([Problem(path, 2, "front matter must be a mapping")])
    return Source(meta, "\n".join(lines[end + 1 :]), end + 2)


def check_source(path: Path, source: Source) -> list[Problem]:
    """Problems in front matter and body that would make the page wrong."""
    problems = []
    title = source.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(path, 2, "front matter needs a 'title'"))
    for key, value in source.meta.items():
        expected = FRONT_KEYS.get(str(key))
        if expected is None:
            problems.append(Problem(path, 2, f"unknown front matter key '{key}'"))
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            problems.append(Problem(path, 2, f"'{key}' must be {expected.__name__}"))
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        if re.match(r"^#(?!#)\s", line):
            problems.append(Problem(path, number, "use '##' headings: the title is the h1"))
        for match in PLACEHOLDER_RE.finditer(line):
            if match.group(1) not in PLACEHOLDER_KEYS:
                problems.append(Problem(path, number, f"unknown placeholder '{match.group(0)}'"))
        if "{{" in PLACEHOLDER_RE.sub("", line):
            problems.append(Problem(path, number, "'{{' outside a {{ centre.<key> }} placeholder"))
    return problems


def read_source(path: Path) -> Source:
    """Read and check one page file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PageError([Problem(path, 1, "file is not UTF-8")]) from exc
    source = split_front_matter(path, text)
    problems = check_source(path, source)
    if problems:
        raise PageError(problems)
    return source


def info_of(slug: str, meta: dict[str, Any]) -> PageInfo:
    return PageInfo(
        slug=slug,
        title=str(meta["title"]),
        summary=str(meta.get("summary", "")),
        order=int(meta.get("order", 0 if slug == "index" else 50)),  # the home page leads
        nav=bool(meta.get("nav", True)),
    )


def fill_placeholders(body: str, facts: dict[str, str]) -> str:
    """Put the centre's facts in place of `{{ centre.<key> }}`; nothing else is evaluated."""
    return PLACEHOLDER_RE.sub(lambda m: _markdown_text(facts.get(m.group(1), "")), body)


def _markdown_text(value: str) -> str:
    # Facts are plain text: escape what Markdown or HTML would read as markup.
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]])", r"\\\1", value)


# Small: finished pages are cached whole (portal.pages.cache); this serves re-renders.
@lru_cache(maxsize=256)
def _render(path: Path, mtime_ns: int, size: int, facts: tuple[tuple[str, str], ...]) -> str:
    # mtime and size are part of the key: a changed file is a cache miss.
    source = read_source(path)
    return markdown_to_html(fill_placeholders(source.body, dict(facts)))


@lru_cache(maxsize=8192)
def _info(path: Path, mtime_ns: int, size: int, slug: str) -> PageInfo:
    return info_of(slug, read_source(path).meta)


class PageStore:
    """Finds and renders the pages of each centre."""

    def __init__(self, content_dir: Path, recheck_seconds: float = SIGNATURE_TTL) -> None:
        self.content_dir = content_dir
        self.recheck_seconds = recheck_seconds
        # slug -> (when looked at, digest): a busy page stats its files once a second, not
        # on every request.
        self._signatures: dict[str, tuple[float, bytes]] = {}

    def _candidates(self, centre: Centre, slug: str, lang: str) -> list[tuple[Path, str]]:
        own, shared = self.content_dir / centre.slug, self.content_dir / DEFAULTS
        langs = [lang] if lang == DEFAULT_LANGUAGE else [lang, DEFAULT_LANGUAGE]
        return [(folder / f"{slug}.{code}.md", code) for folder in (own, shared) for code in langs]

    def _find(self, centre: Centre, slug: str, lang: str) -> tuple[Path, str] | None:
        for path, code in self._candidates(centre, slug, lang):
            if path.is_file():
                return path, code
        return None

    def page(self, centre: Centre, slug: str, lang: str) -> Page | None:
        """The page in `lang` (or Polish), or None when missing or broken."""
        found = self._find(centre, slug, lang)
        if found is None:
            return None
        path, text_lang = found
        try:
            stat = path.stat()
            info = _info(path, stat.st_mtime_ns, stat.st_size, slug)
            facts = tuple(sorted(centre.facts(text_lang).items()))
            html = _render(path, stat.st_mtime_ns, stat.st_size, facts)
        except (PageError, OSError) as exc:
            log.error("page left out: %s", exc)
            return None
        return Page(info, html, text_lang, fallback=text_lang != lang)

    def signature(self, centre: Centre) -> bytes:
        """A digest of the name, modification time and size of every file the centre's
        pages come from: it changes whenever one of them does (seen within a second)."""
        now = time.monotonic()
        seen = self._signatures.get(centre.slug)
        if seen is not None and now - seen[0] < self.recheck_seconds:
            return seen[1]
        digest = self._scan(centre)
        self._signatures[centre.slug] = (now, digest)
        return digest

    def _scan(self, centre: Centre) -> bytes:
        found = []
        for folder in (self.content_dir / centre.slug, self.content_dir / DEFAULTS):
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        stat = entry.stat()
                        found.append(f"{entry.path}\0{stat.st_mtime_ns}\0{stat.st_size}")
            except FileNotFoundError:
                continue
        return hashlib.blake2b("\n".join(sorted(found)).encode(), digest_size=16).digest()

    def slugs(self, centre: Centre) -> list[str]:
        """Every page slug the centre has, its own or from the defaults."""
        found: set[str] = set()
        for folder in (self.content_dir / centre.slug, self.content_dir / DEFAULTS):
            if folder.is_dir():
                found.update(
                    m.group("slug") for p in folder.iterdir() if (m := FILE_RE.match(p.name))
                )
        return sorted(found)

    def navigation(self, centre: Centre, lang: str) -> list[PageInfo]:
        """Pages for the centre's menu, in their `order`; broken ones left out."""
        infos = []
        for slug in self.slugs(centre):
            found = self._find(centre, slug, lang)
            if found is None:
                continue
            path = found[0]
            try:
                stat = path.stat()
                infos.append(_info(path, stat.st_mtime_ns, stat.st_size, slug))
            except (PageError, OSError) as exc:
                log.error("page left out: %s", exc)
        return sorted(infos, key=lambda i: (i.order, i.slug))
