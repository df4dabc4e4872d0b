"""Pages: `<page>.<lang>.md` texts with YAML front matter, read, checked and written.

Where a page's text comes from (a published revision, the centre's file, the
defaults) is `store.py`'s business; this module only knows texts.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portal.core import yamlfiles
from portal.core.centres import PLACEHOLDER_KEYS
from portal.core.problems import Problem

log = logging.getLogger(__name__)

DEFAULTS = "_defaults"
FILE_RE = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]{0,62})\.(?P<lang>[a-z]{2})\.md$")
PLACEHOLDER_RE = re.compile(r"\{\{\s*centre\.([a-z_]+)\s*\}\}")
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
        raise PageError([Problem(path, 1, "page must start with '---' front matter", "front")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise PageError([Problem(path, 1, "front matter has no closing '---'", "front")]) from None
    raw = "\n".join(lines[1:end])
    try:
        meta = yamlfiles.load(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise PageError([Problem(path, line, f"invalid front matter: {exc}", "front")]) from exc
    if not isinstance(meta, dict):
        raise PageError([Problem(path, 2, "front matter must be a mapping", "front")])
    return Source(meta, "\n".join(lines[end + 1 :]), end + 2)


def check_source(path: Path, source: Source) -> list[Problem]:
    """Problems in front matter and body that would make the page wrong."""
    problems = []
    title = source.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(path, 2, "front matter needs a 'title'", "title"))
    for key, value in source.meta.items():
        expected = FRONT_KEYS.get(str(key))
        if expected is None:
            problems.append(Problem(path, 2, f"unknown front matter key '{key}'", "front"))
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            problems.append(Problem(path, 2, f"'{key}' must be {expected.__name__}", "front"))
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        heading = re.match(r"^#(?!#)\s(.*)", line)
        if heading:
            problems.append(
                Problem(
                    path,
                    number,
                    "use '##' headings: the title is the h1",
                    "heading",
                    heading.group(1).strip(),
                )
            )
        for match in PLACEHOLDER_RE.finditer(line):
            if match.group(1) not in PLACEHOLDER_KEYS:
                problems.append(
                    Problem(
                        path,
                        number,
                        f"unknown placeholder '{match.group(0)}'",
                        "placeholder",
                        match.group(0),
                    )
                )
        if "{{" in PLACEHOLDER_RE.sub("", line):
            problems.append(
                Problem(path, number, "'{{' outside a {{ centre.<key> }} placeholder", "braces")
            )
    return problems


def read_source(path: Path) -> Source:
    """Read and check one page file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PageError([Problem(path, 1, "file is not UTF-8", "front")]) from exc
    return parse_source(path, text)


def parse_source(path: Path, text: str) -> Source:
    """Split and check the text of a page (`path` names it in messages)."""
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


def page_filename(slug: str, lang: str) -> str:
    """The file a page in a language lives in: `kontakt.en.md`."""
    return f"{slug}.{lang}.md"


def compose_page(
    title: str, body: str, *, summary: str = "", order: int | None = None, nav: bool = True
) -> str:
    """A page's file text, as content/ holds it: front matter, then the Markdown body.

    Line ends become `\n` (a browser sends `\r\n`), trailing spaces go, one final
    newline stays.
    """
    meta: dict[str, Any] = {"title": " ".join(title.split())}
    if summary.strip():
        meta["summary"] = " ".join(summary.split())
    if order is not None:
        meta["order"] = order
    if not nav:
        meta["nav"] = False
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return f"---\n{front}---\n" + "\n".join(lines).strip("\n") + "\n"
