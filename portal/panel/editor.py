"""The page editor's steps, as plain functions: save, ask for review, send back, publish,
restore, and the centre's review rule.

Each step checks that it is allowed, changes the revisions, records an audit event
(file names and revision ids only) and commits. Callers pass a centre and a
revision already scoped by `portal.panel.access`. Publishing refuses a text that
content-check would refuse, and centre details that claim another centre's postal
code; with the centre's review rule on, the author of a revision cannot publish it.
"""

from __future__ import annotations

from flask_babel import gettext as _

from portal.audit import record
from portal.auth.models import User
from portal.core.centres import Centre
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.pages.models import (
    ContentPolicy,
    ContentPublication,
    ContentRevision,
    RevisionStatus,
)
from portal.panel import editor_reads as reads


class EditorError(ValueError):
    """A step that cannot be taken; the message says why, in the panel's language."""


def _audit(action: str, actor: User, revision: ContentRevision) -> None:
    record(
        action,
        centre_slug=revision.centre_slug,
        actor_id=actor.id,
        detail=f"file={revision.filename} rev={revision.id}",
    )


def save(
    actor: User,
    centre: Centre,
    filename: str,
    text: str,
    restored_from: ContentRevision | None = None,
) -> ContentRevision | None:
    """A new draft revision of a file; None when the text is what it already was.

    The first revision of a file that content/ has (the centre's own or the default)
    comes with a revision holding that text, so the original can be restored too.
    """
    newest = reads.latest(actor, centre, filename)
    before = newest.text if newest is not None else reads.shown_text(centre, filename)
    if before == text:
        return None
    if newest is None and before is not None:
        db.session.add(
            ContentRevision(
                centre_slug=centre.slug,
                filename=filename,
                text=before,
                created_at=utcnow(),
                status=RevisionStatus.ORIGINAL,
            )
        )
    revision = ContentRevision(
        centre_slug=centre.slug,
        filename=filename,
        text=text,
        author_id=actor.id,
        created_at=utcnow(),
        restored_from_id=restored_from.id if restored_from else None,
    )
    db.session.add(revision)
    db.session.flush()
    _audit("content_restore" if restored_from else "content_save", actor, revision)
    db.session.commit()
    return revision


def _newest_only(actor: User, centre: Centre, revision: ContentRevision) -> None:
    newest = reads.latest(actor, centre, revision.filename)
    if newest is None or newest.id != revision.id:
        raise EditorError(
            _(
                "Zapisano już nowszą wersję tej strony: otwórz ją, żeby "
                "ją przejrzeć albo opublikować."
            )
        )


def may_publish(actor: User, centre: Centre, revision: ContentRevision) -> bool:
    """The centre's review rule: with it on, the author needs another person to publish."""
    return not (reads.review_required(centre) and revision.author_id == actor.id)


def publish(actor: User, centre: Centre, revision: ContentRevision) -> None:
    """Make a revision what the public site shows, on every host within seconds."""
    if not reads.is_unpublished(revision):
        raise EditorError(_("Ta wersja jest już opublikowana."))
    _newest_only(actor, centre, revision)
    if not may_publish(actor, centre, revision):
        raise EditorError(_("W tym ośrodku wersję publikuje druga osoba: poproś o przegląd."))
    if reads.problems(centre, revision.filename, revision.text):
        raise EditorError(_("Tej wersji nie można opublikować: popraw problemy opisane niżej."))
    revision.status = RevisionStatus.PUBLISHED
    db.session.add(
        ContentPublication(
            revision_id=revision.id,
            centre_slug=centre.slug,
            filename=revision.filename,
            published_at=utcnow(),
            published_by_id=actor.id,
        )
    )
    _audit("content_publish", actor, revision)
    db.session.commit()
    # This host shows it at once; the others within PORTAL_CONTENT_RECHECK_SECONDS.
    reads.published().refresh(force=True)


def ask_review(actor: User, centre: Centre, revision: ContentRevision) -> None:
    """Ask a second person to look at a draft before it is published."""
    if revision.status != RevisionStatus.DRAFT:
        raise EditorError(_("O przegląd można poprosić tylko dla wersji roboczej."))
    _newest_only(actor, centre, revision)
    revision.status = RevisionStatus.REVIEW
    revision.review_requested_at = utcnow()
    _audit("content_review", actor, revision)
    db.session.commit()


def send_back(actor: User, centre: Centre, revision: ContentRevision) -> None:
    """The reviewer does not publish it: the revision is a draft again."""
    if revision.status != RevisionStatus.REVIEW:
        raise EditorError(_("Ta wersja nie czeka na przegląd."))
    if revision.author_id == actor.id:
        raise EditorError(_("Własną wersję możesz po prostu poprawić i zapisać od nowa."))
    revision.status = RevisionStatus.DRAFT
    _audit("content_send_back", actor, revision)
    db.session.commit()


def restore(actor: User, centre: Centre, revision: ContentRevision) -> ContentRevision:
    """A new draft holding an earlier revision's text (published like any other)."""
    restored = save(actor, centre, revision.filename, revision.text, restored_from=revision)
    if restored is None:
        raise EditorError(_("Najnowsza wersja ma już dokładnie ten tekst."))
    return restored


def set_review_required(actor: User, centre: Centre, required: bool) -> None:
    """Switch the centre's rule that a second person publishes."""
    policy = db.session.get(ContentPolicy, centre.slug)
    if policy is None:
        policy = ContentPolicy(centre_slug=centre.slug)
        db.session.add(policy)
    policy.review_required = required
    policy.changed_at = utcnow()
    policy.changed_by_id = actor.id
    record(
        "content_policy",
        centre_slug=centre.slug,
        actor_id=actor.id,
        detail=f"review={'on' if required else 'off'}",
    )
    db.session.commit()
