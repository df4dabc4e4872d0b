"""Saved views of the queue: a name and the filters, per account; three given to everyone.

A view is the queue's query string (codes only: statuses, kinds, "mine"), so
opening it is opening the queue with those filters; nothing a person typed about a
family is stored (a reference number in the filter is dropped before saving).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.access import saved_views_for
from portal.panel.models import SavedView
from portal.panel.queue import QueueFilter

NAME_MAX = 60
VIEWS_MAX = 20


class ViewError(ValueError):
    """A view that cannot be saved; the message is for the person."""


@dataclass(frozen=True)
class View:
    """A view as the queue lists it: its name, its filters, and its id if it was saved."""

    name: str | LazyString
    filter: QueueFilter
    id: int | None = None


# Given to every account: what a worker opens first in the morning.
BUILT_IN: tuple[tuple[LazyString, QueueFilter], ...] = (
    (_l("Moje"), QueueFilter(assignee="mine")),
    (_l("Nowe"), QueueFilter(status="new")),
    (_l("Po terminie"), QueueFilter(overdue=True, sort="due")),
)


def _stored(f: QueueFilter) -> str:
    # Without the reference: a view is a kind of list, not one family's request.
    return urlencode(sorted(f.query_args(reference="").items()))


def views_of(user: User) -> list[View]:
    """The built-in views, then the account's own."""
    views = [View(name, f) for name, f in BUILT_IN]
    for row in db.session.scalars(saved_views_for(user)):
        views.append(View(row.name, QueueFilter.from_args(dict(parse_qsl(row.query))), row.id))
    return views


def save_view(user: User, name: str, f: QueueFilter) -> SavedView:
    """Keep the filters under a name of the account's own choosing."""
    name = " ".join(name.split())
    if not name:
        raise ViewError(_("Wpisz nazwę widoku."))
    if len(name) > NAME_MAX:
        raise ViewError(_("Nazwa widoku może mieć najwyżej %(n)d znaków.", n=NAME_MAX))
    if len(list(db.session.scalars(saved_views_for(user)))) >= VIEWS_MAX:
        raise ViewError(_("Można zapisać najwyżej %(n)d widoków.", n=VIEWS_MAX))
    row = SavedView(user_id=user.id, name=name, query=_stored(f))
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ViewError(_("Widok o tej nazwie już istnieje.")) from None
    db.session.commit()
    return row


def delete_view(user: User, view_id: int) -> bool:
    """Remove one of the account's own views; False when it has no such view."""
    row = db.session.scalar(saved_views_for(user).where(SavedView.id == view_id))
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True
