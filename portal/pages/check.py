"""`content-check`: every problem in `content/` and in what is published, with file and line.

One set of checks for every text a page can come from: a file, a published
revision, or a revision being edited in the panel (`check_page`, which the
editor's preview calls), so the panel points out exactly what content-check
would report. Published revisions take precedence over their files, so links
and postal codes are checked against the content as the site shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from portal.core.centres import CentreRegistry
from portal.core.problems import Problem
from portal.core.settings import DEFAULT_LANGUAGE, LANGUAGES
from portal.pages.documents import DEFAULTS, FILE_RE, PageError, check_source, split_front_matter
from portal.pages.links import LinkChecker, Routes
from portal.pages.models import CENTRE_FILE
from portal.pages.render import markdown_to_html

# (centre, filename) -> (label for messages, text): the published revisions.
Published = Mapping[tuple[str, str], tuple[Path, str]]


def check_page(path: Path, text: str, centre: str | None, links: LinkChecker) -> list[Problem]:
    """Everything wrong with one page's text: front matter, headings, placeholders,
    links; `centre` is None for a page of `_defaults/`."""
    try:
        source = split_front_matter(path, text)
    except PageError as exc:
        return exc.problems
    problems = check_source(path, source)
    try:
        markdown_to_html(source.body)
    except ValueError as exc:
        problems.append(Problem(path, 1, f"cannot render: {exc}", "render"))
    return problems + links.problems(path, source, centre)


class ContentTree:
    """The files of `content/` with the published revisions laid over them."""

    def __init__(self, content_dir: Path, published: Published) -> None:
        self.content_dir = content_dir
        self.published = published
        self.folders = sorted(p for p in content_dir.iterdir() if p.is_dir())
        self._names: dict[str, set[str]] = {f.name: _file_names(f) for f in self.folders}
        for centre, filename in published:
            self._names.setdefault(centre, set()).add(filename)
        self.registry = CentreRegistry.load(content_dir).with_documents(
            {c: doc for (c, name), doc in published.items() if name == CENTRE_FILE}
        )

    def pages_of(self, centre: str | None) -> frozenset[str] | None:
        """The page slugs a centre has as the site shows them, its own and the defaults'."""
        defaults = _slugs(self._names.get(DEFAULTS, set()))
        if centre is None:
            return defaults
        if self.registry.get(centre) is None:
            return None
        return defaults | _slugs(self._names.get(centre, set()))

    def has_polish(self, folder: str, slug: str) -> bool:
        """The page has its Polish source in the folder, or in the defaults it falls back to."""
        name = f"{slug}.{DEFAULT_LANGUAGE}.md"
        return name in self._names.get(folder, set()) or name in self._names.get(DEFAULTS, set())


def _file_names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_file()}


def _slugs(names: set[str]) -> frozenset[str]:
    return frozenset(m.group("slug") for name in names if (m := FILE_RE.match(name)))


def check_content(
    content_dir: Path, published: Published | None = None, routes: Routes | None = None
) -> list[Problem]:
    """Validate centres and pages, in files and published; an empty list means all is well.

    `routes` (from the app's URL map, `links.routes_of`) tells which links lead to
    something other than a page; without it every such link counts as broken.
    """
    if not content_dir.is_dir():
        return [Problem(content_dir, 1, "content folder does not exist")]
    tree = ContentTree(content_dir, published or {})
    links = LinkChecker(tree.pages_of, routes)
    problems = list(tree.registry.problems)
    problems += shared_codes(tree.registry)
    for folder in tree.folders:
        if folder.name != DEFAULTS and not (folder / CENTRE_FILE).is_file():
            problems.append(Problem(folder, 1, "centre folder has no centre.yml"))
        problems += _check_folder(folder, tree, links)
    for (centre, filename), (label, text) in sorted(tree.published.items()):
        problems += _check_published(centre, filename, label, text, tree, links)
    return problems


def shared_codes(registry: CentreRegistry) -> list[Problem]:
    """Two centres claiming one postal code or one reference prefix."""
    problems = []
    seen_codes: dict[str, str] = {}
    seen_prefixes: dict[str, str] = {}
    for centre in registry:
        path = Path(centre.slug) / CENTRE_FILE
        for code in sorted(centre.postal_codes):
            other = seen_codes.setdefault(code, centre.slug)
            if other != centre.slug:
                problems.append(
                    Problem(
                        path,
                        1,
                        f"postal code {code} is also served by {other}",
                        "postal_code",
                        code,
                    )
                )
        other = seen_prefixes.setdefault(centre.reference_prefix, centre.slug)
        if other != centre.slug:
            problems.append(Problem(path, 1, f"reference_prefix also used by {other}"))
    return problems


def _check_folder(folder: Path, tree: ContentTree, links: LinkChecker) -> list[Problem]:
    problems: list[Problem] = []
    slugs: set[str] = set()
    centre = None if folder.name == DEFAULTS else folder.name
    for path in sorted(folder.iterdir()):
        if path.name == CENTRE_FILE or path.name.startswith("."):
            continue
        match = FILE_RE.match(path.name)
        if not match or match.group("lang") not in LANGUAGES:
            problems.append(Problem(path, 1, "expected <page>.<pl|en|uk>.md"))
            continue
        slugs.add(match.group("slug"))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            problems.append(Problem(path, 1, "file is not UTF-8"))
            continue
        problems += check_page(path, text, centre, links)
    for slug in sorted(slugs):
        if not tree.has_polish(folder.name, slug):
            path = folder / f"{slug}.{DEFAULT_LANGUAGE}.md"
            problems.append(Problem(path, 1, "every page needs its Polish source"))
    return problems


def _check_published(
    centre: str, filename: str, label: Path, text: str, tree: ContentTree, links: LinkChecker
) -> list[Problem]:
    """A published revision, checked as its file would be."""
    if filename == CENTRE_FILE:
        return []  # read into the registry above, which reported what it could not use
    match = FILE_RE.match(filename)
    if not match or match.group("lang") not in LANGUAGES:
        return [Problem(label, 1, "expected <page>.<pl|en|uk>.md")]
    problems = check_page(label, text, centre, links)
    if not tree.has_polish(centre, match.group("slug")):
        problems.append(Problem(label, 1, "every page needs its Polish source"))
    return problems
