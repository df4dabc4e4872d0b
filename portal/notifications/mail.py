"""Sending mail: every message is kept (encrypted) in the outbox, then sent by SMTP if set.

Messages never carry health data: only a reference, a link and the centre's contact.
A failure to send is logged (without addresses) and never fails the caller.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import select

from portal.core.clock import utcnow
from portal.core.encryption import json_bytes
from portal.core.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.retention import still_tried

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 10


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


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # "none" | "starttls" | "ssl"
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpSettings:
    """`smtp://user:pass@host:25`, `smtp://host:587?starttls=1`, `smtps://host:465`."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("PORTAL_SMTP_URL must look like smtp://host:port or smtps://host:port")
    starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
    tls = "ssl" if parts.scheme == "smtps" else "starttls" if starttls else "none"
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if tls == "ssl" else 25),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _smtp_send(settings: SmtpSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    smtp_class = smtplib.SMTP_SSL if settings.tls == "ssl" else smtplib.SMTP
    kwargs: dict[str, Any] = {"timeout": SMTP_TIMEOUT}
    if settings.tls == "ssl":
        kwargs["context"] = context
    with smtp_class(settings.host, settings.port, **kwargs) as smtp:
        if settings.tls == "starttls":
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)


def deliver(row: OutboxMessage) -> bool:
    """Send one outbox message by SMTP if configured; True when sent."""
    url = current_app.config.get("PORTAL_SMTP_URL")
    if not url:
        return False
    mail = read(row)
    message = EmailMessage()
    message["From"] = current_app.config["PORTAL_MAIL_FROM"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    row.attempts += 1
    try:
        _smtp_send(parse_smtp_url(url), message)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        row.last_error = type(exc).__name__[:200]
        log.warning("mail not sent: outbox id=%s (%s)", row.id, type(exc).__name__)
        db.session.commit()
        return False
    row.sent_at = utcnow()
    db.session.commit()
    return True


def deliver_all(rows: list[OutboxMessage]) -> None:
    """Try to send committed outbox rows; a failure leaves them in the outbox, never raises."""
    for row in rows:
        try:
            deliver(row)
        except Exception:  # an unexpected mail problem must not fail the caller
            log.exception("mail not sent: outbox id=%s", row.id)
            db.session.rollback()


def pending() -> list[OutboxMessage]:
    """Messages not sent yet and still inside their retry window, oldest first."""
    query = select(OutboxMessage).where(still_tried(utcnow())).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))
