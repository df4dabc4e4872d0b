"""One SMTP session per message, as `PORTAL_SMTP_URL` says (plain, STARTTLS or TLS)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_TIMEOUT = 10

# The server is not there or not answering: no point trying the next message now.
SERVER_DOWN: tuple[type[Exception], ...] = (
    OSError,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPHeloError,
)


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


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand one message to the server; raises what smtplib raises when it is refused."""
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
