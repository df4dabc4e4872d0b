"""The blind index over stored requests: build what is missing, find one person's requests.

Finding takes a query of requests already scoped to the viewer (the panel's
`requests_for`) and narrows it to those whose identifiers match, under any key of
the keyring (so a search during a rotation misses nothing).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Select, exists, select

from portal.core.encryption import blind_digests
from portal.core.extensions import db
from portal.referrals.display import stored_answers
from portal.referrals.identity import normalise
from portal.referrals.models import Request, RequestIdentifier
from portal.referrals.service import index_people


def _unindexed() -> Select[Request]:
    has_entry = exists().where(RequestIdentifier.request_id == Request.id)
    return select(Request).where(~has_entry).order_by(Request.id)


def index_missing(batch_size: int = 500) -> Iterator[int]:
    """Index requests that have no entry yet, in batches; yields how many got one."""
    after = 0
    while True:
        rows = list(db.session.scalars(_unindexed().where(Request.id > after).limit(batch_size)))
        if not rows:
            return
        indexed = 0
        for req in rows:
            index_people(req, stored_answers(req))
            indexed += bool(req.identifiers)
        after = rows[-1].id  # requests without any identifier are passed, not read again
        db.session.commit()
        yield indexed


def matching(requests: Select[Request], kind: str, value: str) -> Select[Request] | None:
    """`requests` narrowed to one person's (None when the value cannot be an identifier)."""
    normal = normalise(kind, value)
    if normal is None:
        return None
    ids = select(RequestIdentifier.request_id).where(
        RequestIdentifier.kind == kind, RequestIdentifier.digest.in_(blind_digests(normal))
    )
    return requests.where(Request.id.in_(ids)).order_by(Request.created_at, Request.id)
