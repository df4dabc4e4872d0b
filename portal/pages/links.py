"""Broken links in a page: a link that would lead a visitor to "page not found".

A page lives at `/<centre>/<page>` (and `/en/…`, `/uk/…`), so a relative link
such as `kontakt` or `za-zyciem/wniosek` is read against `/<centre>/`. A target
that names a page must be a page the centre has (its own or a default one); any
other target must match one of the portal's routes, read from the app's URL map
(the request forms, the status page…), so no feature's paths are written here.
A link to a scheme the sanitiser removes is pointed out too. Links outside the
site and targets made of placeholders (`{{ centre.bip }}`) are not followed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect, Rule

from portal.core.problems import Problem
from portal.core.settings import DEFAULT_LANGUAGE, LANGUAGES
from portal.pages.documents import Source
from portal.pages.sanitize import ALLOWED_PROTOCOLS

# A target may hold balanced parentheses, as Markdown reads them: (javascript:alert(1)).
INLINE_RE = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))+)")
REFERENCE_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)")
FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
CENTRE_PREFIX = "/<centre:centre>/"
PAGE_ENDPOINTS = frozenset({"pages.page", "pages.centre"})
BASE = "http://portal.invalid"
# The page slugs a centre has (None: no such centre); `None` asks for the defaults'.
PagesOf = Callable[[str | None], frozenset[str] | None]


@dataclass(frozen=True)
class Routes:
    """What the portal serves besides content pages, as matchers of paths."""

    under_centre: Callable[[str], bool]  # "zgloszenie", "za-zyciem/wniosek"
    site: Callable[[str], bool]  # "/", "/status/abc", "/static/portal.css"


def _matcher(rules: list[Rule], converters: dict[str, type]) -> Callable[[str], bool]:
    adapter = Map(rules, converters=converters, strict_slashes=True).bind(BASE.split("//")[1])

    def matches(path: str) -> bool:
        try:
            adapter.match(path, method="GET")
        except RequestRedirect:
            return True  # only a missing or extra slash: the portal redirects
        except HTTPException:
            return False
        return True

    return matches


def routes_of(url_map: Map) -> Routes:
    """The app's GET routes (in their Polish form), split into those under a centre and
    the rest; content pages are left to the page check."""
    under, site = [], []
    for rule in url_map.iter_rules():
        text = rule.rule
        if rule.endpoint in PAGE_ENDPOINTS or "GET" not in (rule.methods or ()):
            continue
        if text.startswith("/<any("):
            continue  # the same route with a language prefix, stripped from links below
        if text.startswith(CENTRE_PREFIX):
            under.append(Rule("/" + text[len(CENTRE_PREFIX) :], endpoint=rule.endpoint))
        elif "<centre:" not in text:
            site.append(Rule(text, endpoint=rule.endpoint))
    converters = {k: v for k, v in url_map.converters.items() if k != "centre"}
    return Routes(_matcher(under, converters), _matcher(site, converters))


def targets(source: Source) -> Iterator[tuple[int, str]]:
    """(line, target) of every inline link or link definition outside code blocks."""
    fenced = False
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        if FENCE_RE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for match in INLINE_RE.finditer(line):
            yield number, match.group(1)
        reference = REFERENCE_RE.match(line)
        if reference:
            yield number, reference.group(1)


class LinkChecker:
    """Finds the links of a page that lead nowhere."""

    def __init__(self, pages_of: PagesOf, routes: Routes | None) -> None:
        self.pages_of = pages_of
        self.routes = routes

    def problems(self, path: Path, source: Source, centre: str | None) -> list[Problem]:
        """Problems of the page's links; `centre` is None for a page of `_defaults/`."""
        found = []
        for line, target in targets(source):
            verdict = self.verdict(target, centre)
            if verdict == "scheme":
                found.append(
                    Problem(
                        path,
                        line,
                        f"link '{target}' uses a scheme that is removed",
                        "scheme",
                        target,
                    )
                )
            elif verdict == "broken":
                found.append(
                    Problem(path, line, f"link '{target}' leads to no page", "link", target)
                )
        return found

    def verdict(self, target: str, centre: str | None) -> str:
        """ "ok", "broken" (nothing there) or "scheme" (a scheme the sanitiser drops)."""
        if "{{" in target:
            return "ok"  # a centre's fact (its BIP address, e-mail): outside the site
        parts = urlsplit(target)
        if parts.scheme:
            return "ok" if parts.scheme.lower() in ALLOWED_PROTOCOLS else "scheme"
        if parts.netloc or not parts.path:
            return "ok"  # another site, or an anchor or query on this page
        # A default page is read as a page of any centre: "_" stands for its slug.
        path = urlsplit(urljoin(f"{BASE}/{centre or '_'}/", parts.path)).path
        return "ok" if self._exists(path, centre) else "broken"

    def _exists(self, path: str, centre: str | None) -> bool:
        segments = path.split("/")[1:]
        if segments and segments[0] in LANGUAGES and segments[0] != DEFAULT_LANGUAGE:
            segments = segments[1:]
        if not segments or segments == [""]:
            return True  # the list of centres
        first, rest = segments[0], "/".join(segments[1:])
        pages = self.pages_of(None if first == "_" and centre is None else first)
        if pages is None:
            return self.routes is not None and self.routes.site("/" + "/".join(segments))
        if rest == "" or rest in pages and rest != "index":
            return True
        return self.routes is not None and self.routes.under_centre("/" + rest)
