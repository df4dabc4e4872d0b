"""What the panel's editor needs of pages, as plain functions of texts: a page's fields,
a centre's data, the preview (the public page's renderer and sanitiser, and the checks
of content-check), and a diff between two revisions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portal.core import yamlfiles
from portal.core.centres import Centre
from portal.core.problems import Problem
from portal.pages.check import check_page
from portal.pages.documents import (
    PageError,
    PageInfo,
    fill_placeholders,
    info_of,
    split_front_matter,
)
from portal.pages.links import LinkChecker
from portal.pages.render import markdown_to_html

DIFF_CONTEXT = 3


@dataclass(frozen=True)
class PageFields:
    """The parts of a page the editor shows as fields."""

    title: str
    summary: str
    order: int | None
    nav: bool
    body: str


def page_fields(text: str) -> PageFields:
    """A page's text as fields; a text whose front matter cannot be read is all body."""
    try:
        source = split_front_matter(Path("page"), text)
    except PageError:
        return PageFields("", "", None, True, text)
    meta = source.meta
    order = meta.get("order")
    return PageFields(
        title=str(meta.get("title") or ""),
        summary=str(meta.get("summary") or ""),
        order=order if isinstance(order, int) and not isinstance(order, bool) else None,
        nav=meta.get("nav", True) is not False,
        body=source.body.strip("\n"),
    )


def centre_data(text: str) -> dict[str, Any]:
    """A centre.yml as a mapping (empty when it cannot be read)."""
    try:
        data = yamlfiles.load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def compose_centre(data: dict[str, Any]) -> str:
    """The text of a centre.yml holding `data`, keys in the order given."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


@dataclass(frozen=True)
class Finding:
    """A problem of a page as the editor shows it: the line of the text field it is on."""

    problem: Problem
    body_line: int | None  # 1-based line of the body, None for the front matter


@dataclass(frozen=True)
class Preview:
    """A page as the public site would show it, and what content-check would say of it."""

    info: PageInfo | None
    html: str
    findings: list[Finding]


def preview(
    centre: Centre, label: Path, slug: str, lang: str, text: str, links: LinkChecker
) -> Preview:
    """Render a page's text for `centre` exactly as the public page is rendered (its
    placeholders filled, the sanitiser applied) and check it as content-check does."""
    problems = check_page(label, text, centre.slug, links)
    try:
        source = split_front_matter(label, text)
    except PageError:
        return Preview(None, "", [Finding(p, None) for p in problems])
    html = markdown_to_html(fill_placeholders(source.body, centre.facts(lang)))
    first = source.body_line + _leading_blank_lines(source.body)
    findings = [
        Finding(p, p.line - first + 1 if p.line >= source.body_line else None) for p in problems
    ]
    title = source.meta.get("title")
    info = info_of(slug, source.meta) if isinstance(title, str) and title.strip() else None
    return Preview(info, html, findings)


def _leading_blank_lines(body: str) -> int:
    # The editor's text field holds the body without the blank lines it starts with.
    return len(body) - len(body.lstrip("\n"))


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: "add", "remove", "same", or "gap" (unchanged lines left out)."""

    kind: str
    text: str


def diff_lines(old: str, new: str) -> list[DiffLine]:
    """What changed from `old` to `new`, line by line, with a few lines around each change."""
    before, after = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    lines: list[DiffLine] = []
    for group in matcher.get_grouped_opcodes(DIFF_CONTEXT):
        if lines:
            lines.append(DiffLine("gap", ""))
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines += [DiffLine("same", text) for text in before[a1:a2]]
                continue
            lines += [DiffLine("remove", text) for text in before[a1:a2]]
            lines += [DiffLine("add", text) for text in after[b1:b2]]
    return lines
