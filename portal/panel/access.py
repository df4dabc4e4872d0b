"""The access module: who may open which route, and see which rows.

Two halves, both here so there is one place to read:
- routes: every staff route carries a marker, `roles_required(...)` or
  `public` (defined in `portal.auth.roles`, re-exported here); a test walks the
  URL map and fails for any /panel/ route without one.
- rows: one scoping function per kind of row (`requests_for`,
  `audit_events_for`, `outbox_for`, `accounts_for`, `revisions_for`), all read
  from the table `REACH`, and every query of the panel starts from one of them
  (a test reads the panel's code for any other `select` of these tables). Routes
  with a request or account id take it through `with_request` / `with_account`,
  routes of a centre's pages through `with_centre` / `with_revision`, which mark
  the view too.

A row of another centre is a 404, never a 403: the panel does not even confirm
that it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import InstrumentedAttribute

from portal.audit.models import AuditEvent
from portal.auth.models import User

# Re-exported: the panel takes roles and route markers from this module.
from portal.auth.roles import PUBLIC as PUBLIC
from portal.auth.roles import ROLE_MARKER as ROLE_MARKER
from portal.auth.roles import Role as Role
from portal.auth.roles import audience as audience
from portal.auth.roles import public as public
from portal.auth.roles import roles_required as roles_required
from portal.core.centres import Centre
from portal.core.extensions import db
from portal.core.tenancy import registry
from portal.notifications.models import OutboxMessage
from portal.pages.models import ContentRevision
from portal.panel.models import SavedView
from portal.referrals.models import Attachment, Request

T = TypeVar("T")
# The attribute `with_request` and `with_account` leave on a view (checked by the tests).
SCOPED = "__portal_scoped__"
# Ids are 32-bit integers; a longer number in a URL is simply not found (instead of
# overflowing the database driver).
MAX_ID = 2**31 - 1
HISTORY = 50

# Audiences of routes. Every account passes STAFF; the rows it then sees are scoped
# (an admin opening a request route gets a 404 from `requests_for`, not a 403).
STAFF = tuple(Role)
MANAGERS = (Role.MANAGER, Role.ADMIN)


class Rows(Enum):
    """The kinds of rows the panel shows, each with its own scoping function."""

    REQUESTS = "requests"
    AUDIT_EVENTS = "audit events"
    OUTBOX_MESSAGES = "outbox messages"
    ACCOUNTS = "accounts"
    PAGES = "pages"  # a centre's pages and details, and their revisions


class Reach(Enum):
    """How far a role sees into one kind of row."""

    NONE = "none"
    OWN_CENTRE = "own centre"
    EVERY_CENTRE = "every centre"


_NONE, _OWN, _EVERY = Reach.NONE, Reach.OWN_CENTRE, Reach.EVERY_CENTRE
# The whole policy: which rows each role sees. Admins run accounts across centres
# but read no request; workers see their centre's requests and nothing of its
# administration (they manage no account, read no log and no outbox, edit no page).
REACH: dict[Rows, dict[Role, Reach]] = {
    Rows.REQUESTS: {Role.WORKER: _OWN, Role.MANAGER: _OWN, Role.ADMIN: _NONE},
    Rows.AUDIT_EVENTS: {Role.WORKER: _NONE, Role.MANAGER: _OWN, Role.ADMIN: _EVERY},
    Rows.OUTBOX_MESSAGES: {Role.WORKER: _NONE, Role.MANAGER: _OWN, Role.ADMIN: _EVERY},
    Rows.ACCOUNTS: {Role.WORKER: _NONE, Role.MANAGER: _OWN, Role.ADMIN: _EVERY},
    Rows.PAGES: {Role.WORKER: _NONE, Role.MANAGER: _OWN, Role.ADMIN: _EVERY},
}


def _within(
    query: Select[T], rows: Rows, centre: InstrumentedAttribute[Any], viewer: User
) -> Select[T]:
    """`query` cut down to what `viewer` may see of `rows` (by the row's `centre`)."""
    reach = REACH[rows][viewer.role]
    if reach is Reach.EVERY_CENTRE:
        return query
    if reach is Reach.OWN_CENTRE:
        return query.where(centre == viewer.centre_slug)
    # The one way to match nothing: a condition that is false, whatever the row.
    return query.where(false())


def requests_for(viewer: User) -> Select[Request]:
    """The requests `viewer` may read: its own centre's, and none at all for an admin."""
    return _within(select(Request), Rows.REQUESTS, Request.centre_slug, viewer)


def audit_events_for(viewer: User) -> Select[AuditEvent]:
    """The audit events `viewer` may read: a manager its centre's, an admin all."""
    return _within(select(AuditEvent), Rows.AUDIT_EVENTS, AuditEvent.centre_slug, viewer)


def outbox_for(viewer: User) -> Select[OutboxMessage]:
    """The outbox messages `viewer` may read: a manager its centre's, an admin all."""
    return _within(select(OutboxMessage), Rows.OUTBOX_MESSAGES, OutboxMessage.centre_slug, viewer)


def accounts_for(viewer: User) -> Select[User]:
    """The accounts `viewer` may see and change: a manager its centre's, an admin all."""
    query = select(User).order_by(User.centre_slug, User.email)
    return _within(query, Rows.ACCOUNTS, User.centre_slug, viewer)


def revisions_for(viewer: User) -> Select[ContentRevision]:
    """The page and centre-detail revisions `viewer` may read: a manager its centre's, an
    admin all."""
    query = select(ContentRevision)
    return _within(query, Rows.PAGES, ContentRevision.centre_slug, viewer)


def edits_centre(viewer: User, centre_slug: str) -> bool:
    """Whether `viewer` may edit the pages and details of a centre."""
    reach = REACH[Rows.PAGES][viewer.role]
    if reach is Reach.EVERY_CENTRE:
        return True
    return reach is Reach.OWN_CENTRE and centre_slug == viewer.centre_slug


def saved_views_for(viewer: User) -> Select[SavedView]:
    """The queue views `viewer` saved: its own only, whatever its role."""
    return select(SavedView).where(SavedView.user_id == viewer.id).order_by(SavedView.name)


def staff() -> User:
    """The logged-in account (the panel's before_request guarantees one)."""
    user: User | None = g.get("user")
    if user is None:
        abort(401)
    return user


def _found(model_id: int) -> None:
    if not 0 < model_id <= MAX_ID:
        abort(404)


def get_request_or_404(request_id: int) -> Request:
    """One request of the current user's centre, or 404."""
    _found(request_id)
    req = db.session.scalar(requests_for(staff()).where(Request.id == request_id))
    if req is None:
        abort(404)
    return req


def get_attachment_or_404(req: Request, attachment_id: int) -> Attachment:
    """A file of an already-scoped request, or 404 (a file of another request is not found)."""
    _found(attachment_id)
    att = db.session.scalar(
        select(Attachment).where(Attachment.id == attachment_id, Attachment.request_id == req.id)
    )
    if att is None:
        abort(404)
    return att


def get_account_or_404(user_id: int) -> User:
    """An account the current user manages, or 404."""
    _found(user_id)
    account = db.session.scalar(accounts_for(staff()).where(User.id == user_id))
    if account is None:
        abort(404)
    return account


def get_centre_or_404(centre_slug: str) -> Centre:
    """A centre whose pages the current user may edit, or 404."""
    centre = registry().get(centre_slug)
    if centre is None or not edits_centre(staff(), centre_slug):
        abort(404)
    return centre


def get_revision_or_404(centre: Centre, revision_id: int) -> ContentRevision:
    """A revision of a centre already scoped, or 404 (one of another centre is not found)."""
    _found(revision_id)
    query = revisions_for(staff()).where(
        ContentRevision.id == revision_id, ContentRevision.centre_slug == centre.slug
    )
    revision = db.session.scalar(query)
    if revision is None:
        abort(404)
    return revision


def request_history(req: Request, limit: int = HISTORY) -> list[AuditEvent]:
    """The latest changes to a request already scoped, views left out (part of its page)."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.request_id == req.id, AuditEvent.action != "view")
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def request_views(req: Request) -> tuple[int, AuditEvent | None]:
    """How many times a request already scoped was opened, and the latest opening."""
    opened = select(AuditEvent).where(AuditEvent.request_id == req.id, AuditEvent.action == "view")
    count = db.session.scalar(opened.with_only_columns(func.count()))
    last = db.session.scalar(opened.order_by(AuditEvent.id.desc()).limit(1))
    return int(count or 0), last


def _names(rows: Iterable[Any]) -> dict[int, str]:
    # The display name; an account not named yet is shown by its e-mail.
    return {int(uid): str(name or email) for uid, name, email in rows}


def request_events(req: Request, actions: Iterable[str]) -> list[AuditEvent]:
    """Every event of the given kinds on a request already scoped, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.request_id == req.id, AuditEvent.action.in_(tuple(actions)))
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(query))


def staff_names(viewer: User) -> dict[int, str]:
    """Account id → display name in the viewer's centre: how assignees and authors are shown.

    Labels only, for ids on rows the viewer already sees; never a list of accounts.
    """
    rows = db.session.execute(
        select(User.id, User.display_name, User.email).where(User.centre_slug == viewer.centre_slug)
    )
    return _names(rows)


def actor_names(events: Iterable[AuditEvent]) -> dict[int, str]:
    """Account id → display name of who took the steps in `events` (already scoped)."""
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.display_name, User.email).where(User.id.in_(ids))
    )
    return _names(rows)


def staff_labels(ids: Iterable[int | None]) -> dict[int, str]:
    """Account id → e-mail for the authors and publishers on rows the viewer already sees."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(wanted)))
    return {int(uid): str(email) for uid, email in rows}


def with_request(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the `request_id` URL value into `req`, through `get_request_or_404`."""

    @wraps(view)
    def wrapper(*args: Any, request_id: int, **kwargs: Any) -> Any:
        return view(*args, req=get_request_or_404(request_id), **kwargs)

    setattr(wrapper, SCOPED, "request")
    return wrapper


def with_account(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the `user_id` URL value into `account`, through `get_account_or_404`."""

    @wraps(view)
    def wrapper(*args: Any, user_id: int, **kwargs: Any) -> Any:
        return view(*args, account=get_account_or_404(user_id), **kwargs)

    setattr(wrapper, SCOPED, "account")
    return wrapper


def with_centre(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the `centre_slug` URL value into `centre`, through `get_centre_or_404`."""

    @wraps(view)
    def wrapper(*args: Any, centre_slug: str, **kwargs: Any) -> Any:
        return view(*args, centre=get_centre_or_404(centre_slug), **kwargs)

    setattr(wrapper, SCOPED, "centre")
    return wrapper


def with_revision(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn `centre_slug` and `revision_id` into `centre` and `revision`, both scoped."""

    @wraps(view)
    def wrapper(*args: Any, centre_slug: str, revision_id: int, **kwargs: Any) -> Any:
        centre = get_centre_or_404(centre_slug)
        revision = get_revision_or_404(centre, revision_id)
        return view(*args, centre=centre, revision=revision, **kwargs)

    setattr(wrapper, SCOPED, "revision")
    return wrapper
