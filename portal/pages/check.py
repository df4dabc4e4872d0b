"""`content-check`: every problem in `content/`, with file and line."""

from __future__ import annotations

from pathlib import Path

from portal.core.centres import CentreRegistry
from portal.core.problems import Problem
from portal.core.settings import DEFAULT_LANGUAGE, LANGUAGES
from portal.pages.documents import DEFAULTS, FILE_RE, PageError, read_source
from portal.pages.render import markdown_to_html


def check_content(content_dir: Path) -> list[Problem]:
    """Validate centres and pages; an empty list means all is well."""
    if not content_dir.is_dir():
        return [Problem(content_dir, 1, "content folder does not exist")]
    registry = CentreRegistry.load(content_dir)
    problems = list(registry.problems)
    problems += _shared_codes(registry)
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if folder.name != DEFAULTS and not (folder / "centre.yml").is_file():
            problems.append(Problem(folder, 1, "centre folder has no centre.yml"))
        problems += _check_folder(folder)
    return problems


def _shared_codes(registry: CentreRegistry) -> list[Problem]:
    """Two centres claiming one postal code or one reference prefix."""
    problems = []
    seen_codes: dict[str, str] = {}
    seen_prefixes: dict[str, str] = {}
    for centre in registry:
        path = Path(centre.slug) / "centre.yml"
        for code in sorted(centre.postal_codes):
            other = seen_codes.setdefault(code, centre.slug)
            if other != centre.slug:
                problems.append(Problem(path, 1, f"postal code {code} is also served by {other}"))
        other = seen_prefixes.setdefault(centre.reference_prefix, centre.slug)
        if other != centre.slug:
            problems.append(Problem(path, 1, f"reference_prefix also used by {other}"))
    return problems


def _check_folder(folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    slugs: dict[str, set[str]] = {}
    for path in sorted(folder.iterdir()):
        if path.name == "centre.yml" or path.name.startswith("."):
            continue
        match = FILE_RE.match(path.name)
        if not match or match.group("lang") not in LANGUAGES:
            problems.append(Problem(path, 1, "expected <page>.<pl|en|uk>.md"))
            continue
        slugs.setdefault(match.group("slug"), set()).add(match.group("lang"))
        problems += _check_page(path)
    for slug, langs in sorted(slugs.items()):
        if DEFAULT_LANGUAGE not in langs:
            path = folder / f"{slug}.{DEFAULT_LANGUAGE}.md"
            problems.append(Problem(path, 1, "every page needs its Polish source"))
    return problems


def _check_page(path: Path) -> list[Problem]:
    try:
        source = read_source(path)
        markdown_to_html(source.body)
    except PageError as exc:
        return exc.problems
    except (OSError, ValueError) as exc:
        return [Problem(path, 1, f"cannot render: {exc}")]
    return []
