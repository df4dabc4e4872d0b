"""The one place that decides which requests and accounts a staff member may touch.

Every panel route that takes a request id goes through `with_request` (which
calls `get_request_or_404`), every route with an account id through
`with_account`. Both mark the view, and a test walks the URL map to prove that
no such route skips them. A request of another centre is a 404, never a 403:
the panel does not even confirm that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, g
from sqlalchemy import Select, select

from portal.auth.accounts import manageable_accounts
from portal.auth.models import User
from portal.core.extensions import db
from portal.referrals.models import Attachment, Request

# The attribute `with_request` and `with_account` leave on a view (checked by the tests).
SCOPED = "__portal_scoped__"
# Ids are 32-bit integers; a longer number in a URL is simply not found (instead of
# overflowing the database driver).
MAX_ID = 2**31 - 1


def _found(model_id: int) -> None:
    if not 0 < model_id <= MAX_ID:
        abort(404)


def staff() -> User:
    """The logged-in account (the panel's before_request guarantees one)."""
    user: User | None = g.get("user")
    if user is None:
        abort(401)
    return user


def requests_for(user: User) -> Select[Request]:
    """The requests `user` may read: its own centre's, and none at all for an admin."""
    query = select(Request)
    if not user.can_read_requests:
        return query.where(Request.id.is_(None))  # matches nothing
    return query.where(Request.centre_slug == user.centre_slug)


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
    account = db.session.scalar(manageable_accounts(staff()).where(User.id == user_id))
    if account is None:
        abort(404)
    return account


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


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (403) staff whose role is not one of `roles`."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if staff().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        # `wraps` copies the view's __dict__, so an inner scoping marker stays visible.
        return wrapper

    return decorator
