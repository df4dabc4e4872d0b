"""The audit log as people read it: events in words, references, names, and filters.

Filters: who (an account the viewer manages), what (a kind of event), when (local
days) and which request (its reference, found among the requests the viewer may
read). Pages are cut by id, newest first, like the queue: never by OFFSET.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import ColumnElement

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.access import accounts_for, audit_events_for, requests_for
from portal.panel.labels import ACTION_LABELS
from portal.panel.timefmt import day_end_utc, day_start_utc
from portal.referrals.models import Request

AUDIT_PAGE = 100


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditFilter:
    """What the log shows; values that make no sense fall back to "any"."""

    actor: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    reference: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditFilter:
        """Read the filter from the query string."""
        actor = args.get("kto", "")
        action = args.get("co", "")
        return cls(
            actor=int(actor) if actor.isdigit() and len(actor) < 10 else None,
            action=action if action in ACTION_LABELS else "",
            date_from=_day(args.get("od")),
            date_to=_day(args.get("do")),
            reference=re.sub(r"[^0-9A-Z-]", "", args.get("numer", "").upper())[:20],
        )

    def query_args(self) -> dict[str, str]:
        """The filter as query-string values, for links (empty ones left out)."""
        names = {
            "actor": "kto",
            "action": "co",
            "date_from": "od",
            "date_to": "do",
            "reference": "numer",
        }
        return {names[k]: str(v) for k, v in asdict(self).items() if v not in (None, "")}


def _conditions(viewer: User, f: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.actor is not None:
        conditions.append(AuditEvent.actor_id == f.actor)
    if f.action:
        conditions.append(AuditEvent.action == f.action)
    if f.date_from:
        conditions.append(AuditEvent.at >= day_start_utc(f.date_from))
    if f.date_to:
        conditions.append(AuditEvent.at < day_end_utc(f.date_to))
    if f.reference:
        # Only among the requests the viewer may read: an admin's reference finds nothing.
        ids = requests_for(viewer).with_only_columns(Request.id)
        ids = ids.where(Request.reference.startswith(f.reference))
        conditions.append(AuditEvent.request_id.in_(ids.scalar_subquery()))
    return conditions


def events_page(viewer: User, f: AuditFilter, before: int | None) -> list[AuditEvent]:
    """One page of the events `viewer` may read that match `f`, newest first."""
    query = audit_events_for(viewer).where(*_conditions(viewer, f))
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return list(db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE)))


def references(viewer: User, events: list[AuditEvent]) -> dict[int, str]:
    """Request id → reference for the events shown (only requests the viewer may read)."""
    ids = {e.request_id for e in events if e.request_id is not None}
    if not ids:
        return {}
    query = requests_for(viewer).with_only_columns(Request.id, Request.reference)
    rows = db.session.execute(query.where(Request.id.in_(ids)))
    return {int(rid): str(ref) for rid, ref in rows}


def people(viewer: User) -> list[tuple[int, str]]:
    """The accounts the viewer may filter by: those it manages."""
    return [(u.id, u.shown_name) for u in db.session.scalars(accounts_for(viewer))]


def names_of(viewer: User) -> dict[int, str]:
    """Account id → display name, for the accounts the viewer manages."""
    return dict(people(viewer))
