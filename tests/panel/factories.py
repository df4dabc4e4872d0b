"""Test data for the panel: accounts and requests built directly as rows.

Requests are encrypted the way `portal.referrals` stores them: answers as JSON
`{"fields": {...}}`, sealed by the models themselves (their associated data is
declared once, on the model).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pyotp
from flask.testing import FlaskClient

from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.core.centres import Centre
from portal.core.clock import utcnow
from portal.core.encryption import json_bytes
from portal.core.extensions import db
from portal.core.tenancy import registry
from portal.referrals.lifecycle import due_date
from portal.referrals.models import Attachment, FormVersion, Request
from portal.referrals.service import index_people

PASSWORD = "długie hasło testowe 2026"
PREFIXES = {"tomice": "TOM", "gostynin": "GOS", "rozan": "ROZ", "redziny": "RED"}
DEFINITION = {
    "fields": [
        {
            "name": "full_name",
            "type": "text",
            "label": {"pl": "Imię i nazwisko", "en": "Full name", "uk": "Ім'я та прізвище"},
        },
        {
            "name": "description",
            "type": "textarea",
            "label": {"pl": "Opis sytuacji", "en": "Your situation", "uk": "Опис ситуації"},
        },
    ]
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Staff:
    """An account with what a test needs to log in as it."""

    id: int
    email: str
    centre: str
    role: str
    secret: str | None


def make_user(
    email: str,
    centre: str = "tomice",
    role: str = "worker",
    *,
    password: str | None = PASSWORD,
    totp: bool = True,
    active: bool = True,
) -> Staff:
    """An account with a password and (by default) a confirmed TOTP secret."""
    user = User(
        email=email,
        centre_slug=centre,
        role=role,
        active=active,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    secret = None
    if totp:
        secret = pyotp.random_base32()
        user.seal(totp_secret=secret.encode())
    db.session.commit()
    return Staff(user.id, email, centre, role, secret)


def _form_version() -> FormVersion:
    text = json.dumps(DEFINITION, ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).hexdigest()
    found = db.session.query(FormVersion).filter_by(digest=digest).one_or_none()
    if found is not None:
        return found
    version = FormVersion(form="zgloszenie", digest=digest, definition=text)
    db.session.add(version)
    db.session.flush()
    return version


def registry_centre(slug: str) -> Centre:
    """A centre of the app's registry (content/), as the portal knows it."""
    found = registry().get(slug)
    assert found is not None, slug
    return found


def make_request(
    centre: str = "tomice",
    *,
    kind: str = "zgloszenie",
    status: str = "new",
    urgent: bool = False,
    outside_area: bool = False,
    created_at: datetime | None = None,
    answers: dict[str, Any] | None = None,
    files: list[tuple[str, bytes]] | None = None,
    reference: str | None = None,
    assignee_id: int | None = None,
    due: date | None = None,
) -> int:
    """A stored request; returns its id."""
    reference = reference or f"{PREFIXES[centre]}-2026-{secrets.token_hex(3).upper()[:5]}"
    answers = answers or {"full_name": "Zofia Testowa", "description": "Potrzebuję wsparcia."}
    created = created_at or utcnow()
    if due is None:
        found = registry_centre(centre)
        due = due_date(
            created, answer_days=found.answer_days, closes_at=found.closes_at, urgent=urgent
        )
    req = Request(
        reference=reference,
        centre_slug=centre,
        kind=kind,
        status=status,
        urgent=urgent,
        outside_area=outside_area,
        lang="pl",
        idempotency_key=secrets.token_urlsafe(24),
        form_version=_form_version(),
        created_at=created,
        status_changed_at=created,
        due_date=due,
        assignee_id=assignee_id,
    )
    req.seal(answers=json_bytes({"fields": answers}))
    index_people(req, answers)
    for name, content in files or []:
        attachment = Attachment(request=req, media_type="application/pdf", size=len(content))
        attachment.seal(content=content, name=name.encode())
    db.session.add(req)
    db.session.commit()
    return req.id


def add_file(
    rid: int,
    name: str,
    content: bytes,
    media_type: str = "application/pdf",
    *,
    label: str | None = None,
    question: str | None = None,
) -> int:
    """A file of a stored request (encrypted, with its optional label); returns its id."""
    req = db.session.get_one(Request, rid)
    attachment = Attachment(
        request=req, media_type=media_type, size=len(content), question=question or ""
    )
    attachment.seal(
        content=content, name=name.encode(), label=label.encode() if label is not None else None
    )
    db.session.add(attachment)
    db.session.commit()
    return attachment.id


def log_in(
    client: FlaskClient,
    staff: Staff,
    *,
    age: timedelta = timedelta(0),
    idle: timedelta = timedelta(0),
) -> None:
    """Put a logged-in session into the client's cookie, as a full login would."""
    user = db.session.get(User, staff.id)
    assert user is not None
    now = int(time.time())
    with client.session_transaction() as sess:
        sess.clear()
        sess.update(
            uid=user.id,
            sv=user.session_version,
            iat=now - int(age.total_seconds()),
            seen=now - int(idle.total_seconds()),
            sid="test",
        )


def current_code(staff: Staff, offset_steps: int = 0) -> str:
    """The TOTP code of the account now (or some 30-second steps away)."""
    assert staff.secret is not None
    return pyotp.TOTP(staff.secret).at(time.time() + 30 * offset_steps)


# Centres that rows of every kind are made for by `rows_in_every_centre` (None: no centre).
ROW_CENTRES = ("tomice", "gostynin", None)


def rows_in_every_centre() -> None:
    """An audit event and an outbox message for each of `ROW_CENTRES`, and a page revision
    for each centre of them."""
    from portal.audit import record
    from portal.notifications.mail import Mail, queue
    from portal.pages.models import ContentRevision

    for centre in ROW_CENTRES:
        record("view", centre_slug=centre)
        queue(Mail(f"rodzic@{centre or 'bez-osrodka'}.example.org", "Temat", "treść"), centre)
        if centre is not None:
            text = "---\ntitle: T\n---\nx\n"
            db.session.add(ContentRevision(centre_slug=centre, filename="index.pl.md", text=text))
    db.session.commit()
