"""`purge`: delete what is past its retention period, and say how much (never what).

A request is deleted once it is in a final status and its `retention_until`
(set when it entered that status: today + PORTAL_RETENTION_MONTHS) has passed;
its files, notes, messages, blind index and status links go with it, and its audit
events keep no link back to it. A request still open is never deleted: it is
counted and reported, so someone looks at it. Expired held uploads go too, outbox
messages past their time (`portal.notifications.retention`) and audit events older
than PORTAL_AUDIT_RETENTION_MONTHS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import Select, delete, func, select

from portal.audit import record
from portal.audit.retention import forget_requests, purge_events, retention_start
from portal.core.clock import utcnow
from portal.core.extensions import db
from portal.notifications.retention import purge_outbox
from portal.panel.models import Note
from portal.referrals.drafts import purge_drafts
from portal.referrals.lifecycle import FINAL_STATUSES
from portal.referrals.models import (
    Attachment,
    HeldUpload,
    Message,
    Request,
    RequestIdentifier,
    StatusLink,
)

BATCH = 500


@dataclass(frozen=True)
class PurgeResult:
    """Counts only: what was (or, in a dry run, would be) deleted, and open requests kept."""

    requests: int
    held_uploads: int
    open_overdue: int
    outbox: int = 0
    audit_events: int = 0
    drafts: int = 0

    def detail(self) -> str:
        """The purge's own audit event: counts, never whose."""
        return (
            f"requests={self.requests} held_uploads={self.held_uploads}"
            f" outbox={self.outbox} audit_events={self.audit_events} drafts={self.drafts}"
        )


def _due(today: date) -> Select[int]:
    return select(Request.id).where(
        Request.retention_until < today, Request.status.in_(FINAL_STATUSES)
    )


def _count(query: Select[int] | Select[str]) -> int:
    return int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def erase_requests(ids: list[int]) -> None:
    """Delete requests with everything of theirs (the caller records why, and commits).

    Callers pass ids they may delete: `purge` those past retention, the panel's
    erasure (RODO art. 17) those it found through `requests_for`.
    """
    # Children first: a database without ON DELETE CASCADE keeps no orphan either.
    for child in (Note, Attachment, Message, RequestIdentifier, StatusLink):
        db.session.execute(delete(child).where(child.request_id.in_(ids)))
    forget_requests(ids)  # their audit events stay, with nothing that leads back to them
    db.session.execute(delete(Request).where(Request.id.in_(ids)))


def _delete_requests(today: date) -> int:
    deleted = 0
    while True:
        ids = list(db.session.scalars(_due(today).order_by(Request.id).limit(BATCH)))
        if not ids:
            return deleted
        erase_requests(ids)
        db.session.commit()
        deleted += len(ids)


def purge(today: date | None = None, *, dry_run: bool = False) -> PurgeResult:
    """Delete (or, dry, count) everything past its retention; see the module docstring."""
    today = today or utcnow().date()
    now = utcnow()
    audit_start = retention_start(today, current_app.config["PORTAL_AUDIT_RETENTION_MONTHS"])
    overdue_open = select(Request.id).where(
        Request.retention_until < today, Request.status.not_in(FINAL_STATUSES)
    )
    held = select(HeldUpload.id).where(HeldUpload.expires_at <= now)
    if dry_run:
        return PurgeResult(
            requests=_count(_due(today)),
            held_uploads=_count(held),
            open_overdue=_count(overdue_open),
            outbox=purge_outbox(now, dry_run=True),
            audit_events=purge_events(audit_start, dry_run=True),
            drafts=purge_drafts(now, dry_run=True),
        )
    requests = _delete_requests(today)
    drafts = purge_drafts(now)  # before the held files: theirs expire with them
    held_count = _count(held)
    db.session.execute(delete(HeldUpload).where(HeldUpload.expires_at <= now))
    result = PurgeResult(
        requests=requests,
        held_uploads=held_count,
        open_overdue=_count(overdue_open),
        outbox=purge_outbox(now),
        audit_events=purge_events(audit_start),
        drafts=drafts,
    )
    record("purge", detail=result.detail())
    db.session.commit()
    return result


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Tylko policz, niczego nie usuwaj.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete requests, held uploads, outbox mail and audit events past their retention."""
    result = purge(dry_run=dry_run)
    counts = {
        "r": result.requests,
        "h": result.held_uploads,
        "m": result.outbox,
        "a": result.audit_events,
    }
    # "label: number" reads right in Polish for any count, unlike "%(r)d zgłoszeń".
    if dry_run:
        click.echo(
            _(
                "Próba – do usunięcia: zgłoszenia: %(r)d, przechowane pliki: %(h)d, "
                "wiadomości: %(m)d, zdarzenia dziennika: %(a)d.",
                **counts,
            )
        )
    else:
        click.echo(
            _(
                "Usunięto – zgłoszenia: %(r)d, przechowane pliki: %(h)d, "
                "wiadomości: %(m)d, zdarzenia dziennika: %(a)d.",
                **counts,
            )
        )
    click.echo(_("Zapisane formularze po terminie: %(d)d.", d=result.drafts))
    if result.open_overdue:
        warning = _(
            "Uwaga – otwarte zgłoszenia po terminie przechowywania: %(n)d. "
            "Nie usunięto ich; zamknij je w panelu.",
            n=result.open_overdue,
        )
        click.echo(warning, err=True)
