"""What is published in the database, as this process knows it: read from the change feed.

Every host keeps, in memory, which revision is current for each file of each
centre. At most once every `PORTAL_CONTENT_RECHECK_SECONDS` (1 s) it asks the
database for the publications it has not applied yet, so a change published on
one host is seen by every other host within that time; the page caches and
ETags follow, since each centre's version is part of its pages' signature.

The feed is read on a connection of its own, never the request's session: a
publication is applied only once it is committed, and a request that is writing
does not see its own uncommitted rows here.

A publication row gets its id when it is inserted, not when it commits, so on
PostgreSQL a lower id can become visible after a higher one. Each check therefore
reads back a few ids below the highest applied, and a publication is applied
only if it is newer than the one a file already has: the same answer a process
starting afresh would get.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import SQLAlchemyError

from portal.core.extensions import db
from portal.pages.models import CENTRE_FILE, ContentPublication, ContentRevision

log = logging.getLogger(__name__)

# How many ids below the highest applied are read again (publications committing late).
LOOKBACK = 64
TEXTS_KEPT = 2048
# Rows of the feed: publication id, centre, file name, revision id.
Feed = Sequence[Row[int, str, str, int]]


class PublishedContent:
    """Current revision of every published file, refreshed from the database."""

    def __init__(self, recheck_seconds: float = 1.0) -> None:
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._loaded = False
        self._highest = 0
        # centre -> filename -> (publication id, revision id)
        self._current: dict[str, dict[str, tuple[int, int]]] = {}
        self._versions: dict[str, int] = {}  # centre -> how many changes were applied
        self._centre_texts: dict[str, str] = {}  # centre -> its published centre.yml
        self._centre_version = 0
        self._texts: OrderedDict[int, str] = OrderedDict()
        self._texts_lock = threading.Lock()

    # --- reading the feed -------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        """Apply new publications, if the last look was long enough ago (or `force`)."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.recheck_seconds:
            return
        # One thread reads while the others serve what is known: a slow database must not
        # hold every request. A forced refresh (right after publishing) waits its turn.
        if not self._lock.acquire(blocking=force):
            return
        try:
            if not force and now - self._checked_at < self.recheck_seconds:
                return  # another thread looked meanwhile
            self._checked_at = now
            with db.engine.connect() as connection:
                self._apply(connection, self._read(connection))
        except SQLAlchemyError as exc:
            # Pages keep being served from what is known (and from content/).
            log.warning("published pages not refreshed: %s", exc)
        finally:
            self._lock.release()

    def _read(self, connection: Connection) -> Feed:
        pub = ContentPublication
        query = select(pub.id, pub.centre_slug, pub.filename, pub.revision_id)
        if self._loaded:
            query = query.where(pub.id > self._highest - LOOKBACK)
        else:  # the newest publication of every file
            newest = select(func.max(pub.id)).group_by(pub.centre_slug, pub.filename)
            query = query.where(pub.id.in_(newest.scalar_subquery()))
        return connection.execute(query.order_by(pub.id)).all()

    def _apply(self, connection: Connection, rows: Feed) -> None:
        newer = [r for r in rows if r.id > self._known(r.centre_slug, r.filename)]
        centre_ids = [r.revision_id for r in newer if r.filename == CENTRE_FILE]
        texts = dict(_texts(connection, centre_ids)) if centre_ids else {}
        self._loaded = True
        for row in rows:
            self._highest = max(self._highest, row.id)
        for row in newer:
            if self._known(row.centre_slug, row.filename) >= row.id:
                continue  # two publications of one file in this batch: the newer came first
            files = self._current.setdefault(row.centre_slug, {})
            files[row.filename] = (row.id, row.revision_id)
            self._versions[row.centre_slug] = self._versions.get(row.centre_slug, 0) + 1
            if row.filename == CENTRE_FILE:
                self._centre_texts[row.centre_slug] = texts[row.revision_id]
                self._centre_version += 1

    def _known(self, centre: str, filename: str) -> int:
        """The id of the publication this process shows for a file (0: none)."""
        found = self._current.get(centre, {}).get(filename)
        return found[0] if found else 0

    # --- what the site asks ------------------------------------------------------------

    def current(self, centre: str, filename: str) -> int | None:
        """The revision id the site shows for a file of a centre, if one is published."""
        self.refresh()
        found = self._current.get(centre, {}).get(filename)
        return found[1] if found else None

    def filenames(self, centre: str) -> list[str]:
        """The centre's files that have a published revision."""
        self.refresh()
        return sorted(self._current.get(centre, {}))

    def version(self, centre: str) -> int:
        """Changes applied to the centre's files so far: part of its pages' signature."""
        self.refresh()
        return self._versions.get(centre, 0)

    def centres_version(self) -> int:
        """Changes applied to any centre's details so far."""
        self.refresh()
        return self._centre_version

    def centre_documents(self) -> dict[str, tuple[Path, str]]:
        """The published centre.yml texts, for the centre registry of core."""
        texts = dict(self._centre_texts)
        return {slug: (revision_label(slug, CENTRE_FILE), text) for slug, text in texts.items()}

    def text(self, revision_id: int) -> str:
        """A revision's text (revisions never change, so they are kept by id)."""
        with self._texts_lock:
            if revision_id in self._texts:
                self._texts.move_to_end(revision_id)
                return self._texts[revision_id]
        with db.engine.connect() as connection:
            found = dict(_texts(connection, [revision_id]))
        if revision_id not in found:
            raise LookupError(f"revision {revision_id} not found")
        with self._texts_lock:
            self._texts[revision_id] = found[revision_id]
            while len(self._texts) > TEXTS_KEPT:
                self._texts.popitem(last=False)
        return found[revision_id]


def _texts(connection: Connection, ids: list[int]) -> list[tuple[int, str]]:
    query = select(ContentRevision.id, ContentRevision.text).where(ContentRevision.id.in_(ids))
    return [(int(i), str(t)) for i, t in connection.execute(query)]


def revision_label(centre: str, filename: str) -> Path:
    """How a published file is named in messages (content-check, logs)."""
    return Path("database") / centre / filename


def published_documents() -> dict[tuple[str, str], tuple[Path, str]]:
    """The newest publication of every file, read now from the database: (centre, filename)
    -> (label, text). What content-check checks and export-content writes."""
    pub, rev = ContentPublication, ContentRevision
    newest = select(func.max(pub.id)).group_by(pub.centre_slug, pub.filename).scalar_subquery()
    query = (
        select(pub.centre_slug, pub.filename, rev.text)
        .join(rev, rev.id == pub.revision_id)
        .where(pub.id.in_(newest))
    )
    with db.engine.connect() as connection:
        rows = connection.execute(query).all()
    return {(c, f): (revision_label(c, f), str(t)) for c, f, t in rows}
