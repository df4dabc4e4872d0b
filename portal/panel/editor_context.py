"""What the editor's pages show: a centre's pages in every language, one page's editor,
one revision with its diff. Reading only; the steps are in `editor.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.auth.models import User
from portal.core.centres import Centre
from portal.core.settings import DEFAULT_LANGUAGE, LANGUAGES
from portal.pages.documents import page_filename
from portal.pages.editing import Preview, centre_data, diff_lines, page_fields, preview
from portal.pages.models import CENTRE_FILE, ContentRevision
from portal.pages.store import Located, Origin
from portal.panel import editor
from portal.panel import editor_reads as reads
from portal.panel.access import staff_labels


@dataclass(frozen=True)
class Cell:
    """One page in one language, as the overview shows it."""

    lang: str
    origin: Origin | None  # None: missing (visitors see the Polish text)
    draft: ContentRevision | None  # the newest revision, when it is not published yet


@dataclass(frozen=True)
class PageRow:
    """One page of the centre in every language."""

    slug: str
    title: str
    cells: list[Cell]

    @property
    def missing(self) -> list[str]:
        """The languages the page has no text in."""
        return [c.lang for c in self.cells if c.origin is None and c.draft is None]


def file_title(revision: ContentRevision) -> str:
    """A short name for what a revision is of (the page's title, or the centre details)."""
    if revision.filename == CENTRE_FILE:
        return ""
    return page_fields(revision.text).title


def overview(viewer: User, centre: Centre) -> dict[str, Any]:
    """The centre's pages, each language's origin, and what awaits publishing."""
    pending = reads.pending(viewer, centre)
    drafts = {r.filename: r for r in pending}
    rows = []
    for slug in reads.store().slugs(centre):
        cells = []
        for lang in LANGUAGES:
            found = reads.store().locate(centre, slug, lang, fallback=False)
            cells.append(
                Cell(lang, found.origin if found else None, drafts.get(page_filename(slug, lang)))
            )
        info = reads.store().info(centre, slug, DEFAULT_LANGUAGE)
        rows.append(PageRow(slug, info.title if info else slug, cells))
    rows.sort(key=lambda r: (r.slug != "index", r.title))
    return {
        "centre": centre,
        "rows": rows,
        "pending": pending,
        "names": staff_labels(r.author_id for r in pending),
        "review_required": reads.review_required(centre),
        "centre_draft": drafts.get(CENTRE_FILE),
        "titles": file_title,
    }


@dataclass(frozen=True)
class PageSource:
    """Where the text the editor opens with comes from."""

    text: str
    located: Located | None  # what the site shows in this very language, if anything
    draft: ContentRevision | None  # an unpublished revision newer than that
    polish: str | None  # the Polish text visitors see instead, when this language is missing
    from_default: bool = False  # missing here, the text is the shared default's to start from


def page_source(viewer: User, centre: Centre, slug: str, lang: str) -> PageSource:
    """The text to edit: the newest revision if it is unpublished, else what the site shows
    in this language (the centre's own text or the default it inherits); for a missing
    translation, the shared default in this language to start from, if there is one."""
    store = reads.store()
    found = store.locate(centre, slug, lang, fallback=False)
    newest = reads.latest(viewer, centre, page_filename(slug, lang))
    draft = newest if newest is not None and reads.is_unpublished(newest) else None
    if draft is not None:
        return PageSource(draft.text, found, draft, None)
    if found is not None:
        return PageSource(store.text(found), found, None, None)
    shown = store.locate(centre, slug, lang) if lang != DEFAULT_LANGUAGE else None
    polish = store.text(shown) if shown else None
    start = store.default(slug, lang)
    return PageSource(store.text(start) if start else "", None, None, polish, start is not None)


def page_preview(centre: Centre, slug: str, lang: str, text: str) -> Preview:
    """The page as the public site would show it, with content-check's findings."""
    label = reads.label(centre, page_filename(slug, lang))
    return preview(centre, label, slug, lang, text, reads.link_checker(centre, slug))


def history(viewer: User, centre: Centre, filename: str) -> dict[str, Any]:
    """A file's revisions, who wrote and published them, and which one the site shows."""
    revisions = reads.revisions(viewer, centre, filename)
    pubs = reads.publications([r.id for r in revisions])
    ids = [r.author_id for r in revisions] + [p.published_by_id for p in pubs.values()]
    return {
        "revisions": revisions,
        "publications": pubs,
        "names": staff_labels(ids),
        "current_id": reads.shown_revision_id(revisions, centre, filename),
    }


def revision_page(viewer: User, centre: Centre, revision: ContentRevision) -> dict[str, Any]:
    """One revision: its diff against the one before, its preview, and what may be done."""
    newest = reads.latest(viewer, centre, revision.filename)
    is_latest = newest is not None and newest.id == revision.id
    context: dict[str, Any] = {
        "centre": centre,
        "revision": revision,
        "is_latest": is_latest,
        "changes": diff_lines(reads.previous_text(viewer, revision), revision.text),
        "problems": reads.problems(centre, revision.filename, revision.text),
        "may_publish": editor.may_publish(viewer, centre, revision),
        "review_required": reads.review_required(centre),
        "title": file_title(revision),
        "preview": None,
        "details": None,
        "page_slug": None,
        "page_lang": None,
        "viewer_is_author": revision.author_id == viewer.id,
    }
    context.update(history(viewer, centre, revision.filename))
    if revision.filename == CENTRE_FILE:
        context["details"] = centre_data(revision.text)
    else:
        slug, lang, _md = revision.filename.split(".")
        context.update(
            page_slug=slug, page_lang=lang, preview=page_preview(centre, slug, lang, revision.text)
        )
    return context
