"""What the page editor reads: a file's revisions, what the public site shows, and what
content-check would say of a text (and which postal codes another centre serves).

Every query of revisions starts from `revisions_for` (see `access`).
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from portal.auth.models import User
from portal.core.centres import Centre, CentreError, parse_centre_text
from portal.core.extensions import db
from portal.core.problems import Problem
from portal.core.tenancy import registry
from portal.pages.check import check_page
from portal.pages.links import LinkChecker, Routes, routes_of
from portal.pages.models import (
    CENTRE_FILE,
    ContentPolicy,
    ContentPublication,
    ContentRevision,
    RevisionStatus,
)
from portal.pages.published import PublishedContent
from portal.pages.store import PageStore
from portal.panel.access import revisions_for


def store() -> PageStore:
    pages: PageStore = current_app.extensions["portal.pages"]
    return pages


def published() -> PublishedContent:
    content: PublishedContent = current_app.extensions["portal.published"]
    return content


def routes() -> Routes:
    """The portal's routes, for the link check (read once from the URL map)."""
    found: Routes | None = current_app.extensions.get("portal.editor_routes")
    if found is None:
        found = current_app.extensions["portal.editor_routes"] = routes_of(current_app.url_map)
    return found


def taken_by_route(slug: str) -> bool:
    """Whether `/<centre>/<slug>` is another part of the portal (a form), not a page."""
    return routes().under_centre(f"/{slug}")


def link_checker(centre: Centre, slug: str | None = None) -> LinkChecker:
    """Links checked against the pages the site has now (and `slug`, the page edited)."""

    def pages_of(name: str | None) -> frozenset[str] | None:
        other = registry().get(name) if name else None
        if other is None:
            return None
        extra = {slug} if slug and other.slug == centre.slug else set()
        return frozenset(store().slugs(other)) | extra

    return LinkChecker(pages_of, routes())


def label(centre: Centre, filename: str) -> Path:
    """How a file of the centre is named in problems."""
    return Path(centre.slug) / filename


def revisions(viewer: User, centre: Centre, filename: str) -> list[ContentRevision]:
    """Every revision of one file of the centre, newest first."""
    query = revisions_for(viewer).where(
        ContentRevision.centre_slug == centre.slug, ContentRevision.filename == filename
    )
    return list(db.session.scalars(query.order_by(ContentRevision.id.desc())))


def latest(viewer: User, centre: Centre, filename: str) -> ContentRevision | None:
    """The newest revision of a file, published or not."""
    query = revisions_for(viewer).where(
        ContentRevision.centre_slug == centre.slug, ContentRevision.filename == filename
    )
    return db.session.scalar(query.order_by(ContentRevision.id.desc()).limit(1))


def pending(viewer: User, centre: Centre) -> list[ContentRevision]:
    """The centre's newest revision of each file where it is not published yet."""
    query = revisions_for(viewer).where(ContentRevision.centre_slug == centre.slug)
    newest: dict[str, ContentRevision] = {}
    for revision in db.session.scalars(query.order_by(ContentRevision.id)):
        newest[revision.filename] = revision
    return [r for r in newest.values() if is_unpublished(r)]


def is_unpublished(revision: ContentRevision) -> bool:
    """A draft, or one waiting for review: what publishing is for."""
    return revision.status in (RevisionStatus.DRAFT, RevisionStatus.REVIEW)


def publications(revision_ids: list[int]) -> dict[int, ContentPublication]:
    """The publication of each of these (already scoped) revisions that was published."""
    if not revision_ids:
        return {}
    query = select(ContentPublication).where(ContentPublication.revision_id.in_(revision_ids))
    return {p.revision_id: p for p in db.session.scalars(query)}


def current_revision_id(centre: Centre, filename: str) -> int | None:
    """The published revision the public site shows for a file, if any."""
    published().refresh(force=True)
    return published().current(centre.slug, filename)


def shown_revision_id(
    revisions: list[ContentRevision], centre: Centre, filename: str
) -> int | None:
    """Of a file's revisions, the one whose text the site shows: the published one, or
    before anything was published, the original text of content/."""
    current = current_revision_id(centre, filename)
    if current is not None:
        return current
    return next((r.id for r in revisions if r.status == RevisionStatus.ORIGINAL), None)


def previous_text(viewer: User, revision: ContentRevision) -> str:
    """What `revision` is compared with: the revision saved before it, or for the first
    one the text of content/ it replaced (empty for a new page)."""
    query = revisions_for(viewer).where(
        ContentRevision.centre_slug == revision.centre_slug,
        ContentRevision.filename == revision.filename,
        ContentRevision.id < revision.id,
    )
    before = db.session.scalar(query.order_by(ContentRevision.id.desc()).limit(1))
    if before is not None:
        return before.text
    return store().seed_text(revision.centre_slug, revision.filename) or ""


def review_required(centre: Centre) -> bool:
    """Whether the centre has asked for a second person's review before publishing."""
    policy = db.session.get(ContentPolicy, centre.slug)
    return policy is not None and policy.review_required


def problems(centre: Centre, filename: str, text: str) -> list[Problem]:
    """What content-check would report of this text, and postal codes already served."""
    if filename != CENTRE_FILE:
        slug = filename.split(".", 1)[0]
        return check_page(label(centre, filename), text, centre.slug, link_checker(centre, slug))
    try:
        parsed = parse_centre_text(centre.slug, text, label(centre, filename))
    except CentreError as exc:
        return exc.problems
    return [
        Problem(
            label(centre, filename),
            1,
            f"postal code {code} is served by {other.slug}",
            "postal_code",
            f"{code} – {other.name}",
        )
        for code, other in postal_conflicts(centre, parsed.postal_codes)
    ]


def postal_conflicts(centre: Centre, codes: frozenset[str]) -> list[tuple[str, Centre]]:
    """The codes of `codes` that another centre serves, with that centre."""
    return [
        (code, other)
        for other in registry()
        if other.slug != centre.slug
        for code in sorted(codes & other.postal_codes)
    ]


def shown_text(centre: Centre, filename: str) -> str | None:
    """The text the public site shows for a file now (published, else from content/)."""
    revision_id = current_revision_id(centre, filename)
    if revision_id is not None:
        return published().text(revision_id)
    return store().seed_text(centre.slug, filename)
