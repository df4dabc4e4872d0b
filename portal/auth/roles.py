"""Staff roles, and the marker every staff route carries: which roles may open it.

The role names are the values stored in `users.role` (unchanged, so no data
migration). What each role may do is decided here; which rows each may see is
decided in `portal.panel.access`, which re-exports everything of this module.
The marker lives in `auth` (not in the panel) because the login pages under
/panel/ are auth's routes and carry it too; auth may not import the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, Literal, ParamSpec, TypeVar

from flask import abort, g
from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

P = ParamSpec("P")
R = TypeVar("R")
# The attribute the markers leave on a view; a test walks the URL map for it.
ROLE_MARKER = "__portal_roles__"
PUBLIC: Literal["public"] = "public"


class Role(StrEnum):
    """What an account is for. A `StrEnum`: `Role.WORKER == "worker"`."""

    WORKER = "worker"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def reads_requests(self) -> bool:
        """Workers and managers read their centre's requests; admins never read one."""
        return self in (Role.WORKER, Role.MANAGER)

    @property
    def manages_accounts(self) -> bool:
        """Managers manage their centre's accounts, admins everybody's."""
        return self in (Role.MANAGER, Role.ADMIN)

    @property
    def edits_pages(self) -> bool:
        """Managers edit their centre's pages and details, admins every centre's."""
        return self in (Role.MANAGER, Role.ADMIN)

    @property
    def every_centre(self) -> bool:
        """Admins work across centres (accounts, audit, outbox); everyone else in their own."""
        return self is Role.ADMIN

    @property
    def grantable(self) -> tuple[Role, ...]:
        """The roles this role may give to an account."""
        if self is Role.ADMIN:
            return tuple(Role)
        if self is Role.MANAGER:
            return (Role.WORKER, Role.MANAGER)
        return ()

    @classmethod
    def parse(cls, value: str | None) -> Role | None:
        """The role a posted or typed value names, or None for anything else."""
        try:
            return cls(value or "")
        except ValueError:
            return None


# What a marker records: the roles a route admits, or that it needs no login at all.
Audience = frozenset[Role] | Literal["public"]


class RoleColumn(TypeDecorator[Role]):
    """`users.role`: a plain VARCHAR(10) in the database, a `Role` in Python.

    Binding refuses an unknown name, so no typo reaches the table.
    """

    impl = String
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(length=10)

    def process_bind_param(self, value: Role | str | None, dialect: Dialect) -> str | None:
        """A role, or its name, as the stored text."""
        return None if value is None else Role(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> Role | None:
        """The stored text as a role."""
        return None if value is None else Role(value)


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Admit (and mark the view as admitting) only accounts of these roles; others get 403."""
    if not roles:
        raise ValueError("name at least one role, or mark the view `public`")
    allowed = frozenset(roles)

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            user = g.get("user")
            if user is None:
                abort(401)
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        # `wraps` copies the view's __dict__, so an inner scoping marker stays visible.
        setattr(wrapper, ROLE_MARKER, allowed)
        return wrapper

    return decorator


def public(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a staff route that works without a logged-in account (the login steps)."""
    setattr(view, ROLE_MARKER, PUBLIC)
    return view


def audience(view: Callable[..., Any]) -> Audience | None:
    """The roles a view admits, `"public"`, or None for a view without a marker."""
    marker: Audience | None = getattr(view, ROLE_MARKER, None)
    return marker
