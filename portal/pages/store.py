"""Where each page of a centre comes from, and the page ready to show.

For a page in a language, the first that exists wins: the centre's published
revision (from the panel's editor, in the database), the centre's own file in
`content/<centre>/`, then `content/_defaults/`; in each, the language asked for
before Polish, so a missing translation falls back to Polish and says so.
Parsed texts and rendered HTML are kept until the text they come from changes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Generic, TypeVar

from portal.core.centres import Centre
from portal.core.settings import DEFAULT_LANGUAGE
from portal.pages.documents import (
    DEFAULTS,
    FILE_RE,
    Page,
    PageError,
    PageInfo,
    Source,
    fill_placeholders,
    info_of,
    page_filename,
    parse_source,
    read_source,
)
from portal.pages.published import PublishedContent, revision_label
from portal.pages.render import markdown_to_html

log = logging.getLogger(__name__)
SIGNATURE_TTL = 1.0  # default seconds an edited file may go unnoticed
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Origin(StrEnum):
    """Where a page's text was found."""

    PUBLISHED = "published"  # a revision published in the panel
    FILE = "file"  # the centre's own file in content/
    DEFAULT = "default"  # content/_defaults/, shared by every centre


@dataclass(frozen=True)
class Located:
    """One page text found for a centre: where, in which language, and what names it."""

    origin: Origin
    lang: str
    label: Path  # the file, or database/<centre>/<file> for a revision
    key: Hashable  # changes whenever the text may have: (path, mtime, size) or revision id
    revision_id: int | None = None

    @property
    def own(self) -> bool:
        """The centre's own text (published or a file), not the shared default."""
        return self.origin is not Origin.DEFAULT


class Lru(Generic[K, V]):
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class PageStore:
    """Finds and renders the pages of each centre."""

    def __init__(
        self,
        content_dir: Path,
        recheck_seconds: float = SIGNATURE_TTL,
        published: PublishedContent | None = None,
    ) -> None:
        self.content_dir = content_dir
        self.recheck_seconds = recheck_seconds
        self.published = published
        # slug -> (when looked at, digest): a busy page stats its files once a second, not
        # on every request.
        self._signatures: dict[str, tuple[float, bytes]] = {}
        self._sources: Lru[Hashable, Source] = Lru(8192)
        # Small: finished pages are cached whole (portal.pages.cache); this serves re-renders.
        self._html: Lru[tuple[Hashable, tuple[tuple[str, str], ...]], str] = Lru(256)

    # --- finding ------------------------------------------------------------------------

    def locate(
        self, centre: Centre, slug: str, lang: str, *, fallback: bool = True
    ) -> Located | None:
        """Where the visitor's page comes from, or None when there is none.

        The centre's own texts come before the defaults; within each, `lang` before
        Polish. Without `fallback`, a page that would be shown in Polish counts as
        missing (what the editor shows: this translation is left to write).
        """
        langs = [lang] if lang == DEFAULT_LANGUAGE else [lang, DEFAULT_LANGUAGE]
        found = self._locate(centre, slug, langs)
        if found is not None and not fallback and found.lang != lang:
            return None
        return found

    def _locate(self, centre: Centre, slug: str, langs: list[str]) -> Located | None:
        for code in langs:
            found = self._published(centre.slug, slug, code) or self._file(
                self.content_dir / centre.slug, slug, code, Origin.FILE
            )
            if found:
                return found
        for code in langs:
            found = self._file(self.content_dir / DEFAULTS, slug, code, Origin.DEFAULT)
            if found:
                return found
        return None

    def default(self, slug: str, lang: str) -> Located | None:
        """The shared default of a page in exactly this language, if there is one."""
        return self._file(self.content_dir / DEFAULTS, slug, lang, Origin.DEFAULT)

    def _published(self, centre: str, slug: str, lang: str) -> Located | None:
        if self.published is None:
            return None
        filename = page_filename(slug, lang)
        revision = self.published.current(centre, filename)
        if revision is None:
            return None
        label = revision_label(centre, filename)
        return Located(Origin.PUBLISHED, lang, label, ("revision", revision), revision)

    @staticmethod
    def _file(folder: Path, slug: str, lang: str, origin: Origin) -> Located | None:
        path = folder / page_filename(slug, lang)
        try:
            stat = path.stat()
        except OSError:
            return None
        return Located(origin, lang, path, (path, stat.st_mtime_ns, stat.st_size))

    def text(self, found: Located) -> str:
        """The whole text (front matter and body) of a page found."""
        if found.revision_id is not None and self.published is not None:
            return self.published.text(found.revision_id)
        return found.label.read_text(encoding="utf-8")

    def source(self, found: Located) -> Source:
        """The page's front matter and body, checked; raises `PageError` when broken."""
        cached = self._sources.get(found.key)
        if cached is not None:
            return cached
        if found.revision_id is None:
            source = read_source(found.label)
        else:
            source = parse_source(found.label, self.text(found))
        return self._sources.put(found.key, source)

    # --- showing ------------------------------------------------------------------------

    def page(self, centre: Centre, slug: str, lang: str) -> Page | None:
        """The page in `lang` (or Polish), or None when missing or broken."""
        found = self.locate(centre, slug, lang)
        if found is None:
            return None
        try:
            source = self.source(found)
            facts = tuple(sorted(centre.facts(found.lang).items()))
            html = self._html.get((found.key, facts))
            if html is None:
                body = fill_placeholders(source.body, dict(facts))
                html = self._html.put((found.key, facts), markdown_to_html(body))
        except (PageError, OSError, LookupError) as exc:
            log.error("page left out: %s", exc)
            return None
        return Page(info_of(slug, source.meta), html, found.lang, fallback=found.lang != lang)

    def signature(self, centre: Centre) -> tuple[bytes, int]:
        """Changes whenever a text the centre's pages come from does: a digest of the name,
        modification time and size of every file (seen within a second), and how many
        publications of the centre this process has applied."""
        version = self.published.version(centre.slug) if self.published else 0
        now = time.monotonic()
        seen = self._signatures.get(centre.slug)
        if seen is not None and now - seen[0] < self.recheck_seconds:
            return seen[1], version
        digest = self._scan(centre)
        self._signatures[centre.slug] = (now, digest)
        return digest, version

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
        """Every page slug the centre has: published, its own files or the defaults."""
        names: set[str] = set(self.published.filenames(centre.slug) if self.published else ())
        for folder in (self.content_dir / centre.slug, self.content_dir / DEFAULTS):
            if folder.is_dir():
                names.update(p.name for p in folder.iterdir())
        return sorted({m.group("slug") for name in names if (m := FILE_RE.match(name))})

    def info(self, centre: Centre, slug: str, lang: str) -> PageInfo | None:
        """Title, order and menu flag of a page (in Polish when `lang` is missing)."""
        found = self.locate(centre, slug, lang)
        if found is None:
            return None
        try:
            return info_of(slug, self.source(found).meta)
        except (PageError, OSError, LookupError) as exc:
            log.error("page left out: %s", exc)
            return None

    def navigation(self, centre: Centre, lang: str) -> list[PageInfo]:
        """Pages for the centre's menu, in their `order`; broken ones left out."""
        infos = [info for slug in self.slugs(centre) if (info := self.info(centre, slug, lang))]
        return sorted(infos, key=lambda i: (i.order, i.slug))

    def seed_text(self, centre_slug: str, filename: str) -> str | None:
        """The text a file of the centre has in content/ (its own, else the default for a
        page): what the site showed before the file had any revision."""
        folders = [self.content_dir / centre_slug]
        if FILE_RE.match(filename):
            folders.append(self.content_dir / DEFAULTS)
        for folder in folders:
            try:
                return (folder / filename).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
        return None
