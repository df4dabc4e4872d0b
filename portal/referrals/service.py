"""Storing a request: answers and files in one transaction, once per form."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core.centres import Centre
from portal.core.clock import utcnow
from portal.core.crypto import Keyring
from portal.core.encryption import json_bytes
from portal.core.extensions import db
from portal.core.keys import keyring
from portal.notifications.mail import Mail, queue
from portal.notifications.models import OutboxMessage
from portal.referrals.definitions import FormSpec
from portal.referrals.held import held_files
from portal.referrals.identity import identifiers
from portal.referrals.lifecycle import due_date, retention_until
from portal.referrals.models import Attachment, FormVersion, Request, RequestIdentifier

log = logging.getLogger(__name__)

# Crockford's base32 without look-alikes (no I, L, O, U): easy to read out on the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FORM_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_form_key() -> str:
    """A fresh idempotency key for one filling of a form."""
    return secrets.token_urlsafe(24)


def valid_form_key(value: str | None) -> str | None:
    return value if value and FORM_KEY_RE.match(value) else None


def new_reference(prefix: str, today: date) -> str:
    """E.g. `TOM-2026-7K4Q9`: short, readable, not guessable in sequence."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(5))
    return f"{prefix}-{today.year}-{code}"


@dataclass(frozen=True)
class Submission:
    """A validated form, ready to store."""

    centre: Centre
    spec: FormSpec
    form_key: str
    answers: dict[str, Any]
    held_ids: list[str]
    lang: str
    urgent: bool
    outside_area: bool


def find_submitted(centre: Centre, form_key: str) -> Request | None:
    """The request already stored for this filling of the form, if any."""
    return db.session.scalar(
        select(Request).where(
            Request.centre_slug == centre.slug, Request.idempotency_key == form_key
        )
    )


def _written(notices: Notices | None, req: Request) -> list[Mail]:
    """The notices, or none: a message that cannot be written never loses the request."""
    if notices is None:
        return []
    try:
        return notices(req)
    except Exception:  # a broken template must not cost the family its request
        log.exception("notices not written for a request")
        return []


def form_version_id(spec: FormSpec) -> int:
    """The id of the stored copy of this definition, created on first use."""
    # Definitions change only with a deploy: remember ids per app (and so per database).
    known: dict[str, int] = current_app.extensions.setdefault("portal.form_versions", {})
    if spec.digest not in known:
        known[spec.digest] = _stored_version(spec).id
    return known[spec.digest]


def _stored_version(spec: FormSpec) -> FormVersion:
    found = db.session.scalar(select(FormVersion).where(FormVersion.digest == spec.digest))
    if found is not None:
        return found
    # Committed on its own, before the request: it holds no personal data, and this
    # keeps the request's own transaction free of races on the shared row.
    version = FormVersion(form=spec.name, digest=spec.digest, definition=spec.as_json)
    db.session.add(version)
    try:
        db.session.commit()
    except IntegrityError:  # another worker stored it a moment ago
        db.session.rollback()
        found = db.session.scalar(select(FormVersion).where(FormVersion.digest == spec.digest))
        if found is None:
            raise
        return found
    return version


def index_people(req: Request, answers: dict[str, Any], ring: Keyring | None = None) -> None:
    """The blind index of who the request is about (digests only, never the values)."""
    req.identifiers = []
    for kind, value in identifiers(answers):
        entry = RequestIdentifier(kind=kind)
        entry.index(value, ring)
        req.identifiers.append(entry)


def _postal_code(value: Any) -> str | None:
    """The area's postal code as NN-NNN (for the figures), or None."""
    text = str(value or "").strip()
    return text if re.fullmatch(r"\d{2}-\d{3}", text) else None


def _build(sub: Submission, version_id: int) -> Request:
    now = utcnow()
    today = now.date()
    reference = new_reference(sub.centre.reference_prefix, today)
    ring = keyring()
    req = Request(
        reference=reference,
        centre_slug=sub.centre.slug,
        kind=sub.spec.name,
        status="new",
        urgent=sub.urgent,
        outside_area=sub.outside_area,
        lang=sub.lang,
        idempotency_key=sub.form_key,
        form_version_id=version_id,
        created_at=now,
        status_changed_at=now,
        due_date=due_date(
            now,
            answer_days=sub.centre.answer_days,
            closes_at=sub.centre.closes_at,
            urgent=sub.urgent,
        ),
        retention_until=retention_until(today, current_app.config["PORTAL_RETENTION_MONTHS"]),
        postal_code=_postal_code(sub.answers.get("postal_code")),
    )
    req.seal(ring, answers=json_bytes({"fields": sub.answers}))
    index_people(req, sub.answers, ring)
    for held in held_files(sub.form_key, sub.held_ids, sub.centre.slug):
        attachment = Attachment(
            request=req, media_type=held.media_type, size=held.size, question=held.question or None
        )
        label = held.unseal("label") if held.label is not None else None
        attachment.seal(ring, content=held.unseal("content"), name=held.unseal("name"), label=label)
        db.session.delete(held)
    return req


class NotStored(Exception):
    """The request could not be stored, and nothing of it was kept: the applicant is asked
    to send it again (the same form key makes a later success count once)."""


# The messages a new request sends, written once the request has its id (see `submit`).
Notices = Callable[[Request], list[Mail]]


@dataclass(frozen=True)
class Stored:
    """A stored request, whether this post created it, and the mail it put in the outbox."""

    request: Request
    created: bool
    outbox: list[OutboxMessage]


def submit(sub: Submission, notices: Notices | None = None) -> Stored:
    """Store the request with its files and its notices, all or nothing.

    `notices(request)` writes the messages once the request is inserted (its id is
    in the panel's link); they go into the outbox in the same transaction. Posting
    the same form twice returns the first request, also when two posts race.
    """
    for attempt in range(3):
        # The unique key catches a second post; look it up only after the insert failed.
        existing = find_submitted(sub.centre, sub.form_key) if attempt else None
        if existing is not None:
            return Stored(existing, False, [])
        req = _build(sub, form_version_id(sub.spec))
        db.session.add(req)
        try:
            db.session.flush()
            outbox = [queue(mail, sub.centre.slug) for mail in _written(notices, req)]
            db.session.commit()
        except IntegrityError:
            # Either the same form won a race, or (rarely) the reference was taken: look again.
            db.session.rollback()
            # A remembered form version that is gone would fail every attempt: look it up anew.
            current_app.extensions.get("portal.form_versions", {}).clear()
            continue
        log.info("request stored: id=%s centre=%s", req.id, req.centre_slug)
        return Stored(req, True, outbox)
    raise NotStored("the request was refused by the database three times")
