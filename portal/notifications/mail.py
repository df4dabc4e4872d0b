"""Mail: every message is kept (encrypted) in the outbox; the mail worker sends it.

Messages never carry health data: only a reference, a link and the centre's contact.
Queuing a message is part of the caller's transaction; sending is not: the worker
(`flask --app portal send-outbox --watch`, see `delivery`) takes it from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from portal.core.clock import utcnow
from portal.core.encryption import json_bytes
from portal.core.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.retention import still_tried


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def queue(mail: Mail, centre_slug: str | None) -> OutboxMessage:
    """Keep a message in the outbox (committed by the caller)."""
    row = OutboxMessage(centre_slug=centre_slug)
    row.seal(message=json_bytes({"to": mail.to, "subject": mail.subject, "body": mail.body}))
    db.session.add(row)
    return row


def read(row: OutboxMessage) -> Mail:
    """A stored message, decrypted (for the panel's outbox view)."""
    data: dict[str, Any] = row.unseal_json("message")
    return Mail(data["to"], data["subject"], data["body"])


def pending() -> list[OutboxMessage]:
    """Messages not sent yet and still inside their retry window, oldest first."""
    query = select(OutboxMessage).where(still_tried(utcnow())).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))
