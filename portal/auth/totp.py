"""The TOTP second factor (RFC 6238, pyotp): secrets, QR codes and code checks.

Secrets are stored encrypted with the data keyring, bound to the account by the
aad, so a secret copied to another row does not decrypt.
"""

from __future__ import annotations

import hmac
import io
import time

import pyotp
from markupsafe import Markup, escape
from sqlalchemy import delete

from portal.auth.models import TotpEnrolment, User
from portal.core.crypto import DecryptionError
from portal.core.extensions import db

ISSUER = "Portal asystenta rodziny"
STEP_SECONDS = 30
# One step either side: phones whose clocks drift by half a minute still work.
WINDOW = 1


def enrolment_secret(user: User) -> str:
    """The secret being enrolled, created on first call and kept until confirmed."""
    pending = db.session.get(TotpEnrolment, user.id)
    if pending is not None:
        try:
            return pending.unseal_text("secret")
        except DecryptionError:
            # Its key was retired (rotate-key leaves half-done enrolments alone): start over.
            db.session.delete(pending)
            db.session.flush()
    secret = pyotp.random_base32()
    pending = TotpEnrolment(user_id=user.id)
    pending.seal(secret=secret.encode())
    db.session.add(pending)
    db.session.commit()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str, label: str) -> Markup:
    """The QR code as inline SVG markup: drawn here, no style attribute, no script."""
    out = io.BytesIO()
    import segno  # only the enrolment page draws a code: keep it out of every worker

    segno.make(uri, error="m").save(
        out,
        kind="svg",
        xmldecl=False,
        nl=False,
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,  # a viewBox, so CSS can size it
    )
    svg = out.getvalue().decode("ascii")
    # segno's output holds only the path of the code; the label is ours and escaped.
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(labelled)  # noqa: S704  # segno's markup plus our escaped label


def format_secret(secret: str) -> str:
    """The secret in groups of four, easier to type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: float) -> int | None:
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def confirm_enrolment(user: User, code: str, now: float | None = None) -> bool:
    """Check a code against the pending secret; on success the secret becomes the account's."""
    pending = db.session.get(TotpEnrolment, user.id)
    if pending is None:
        return False
    secret = pending.unseal_text("secret")
    step = _matching_step(secret, code, time.time() if now is None else now)
    if step is None:
        return False
    user.totp_key_id, user.totp_secret = pending.key_id, pending.secret
    user.totp_last_step = step
    db.session.delete(pending)
    return True


def verify_code(user: User, code: str, now: float | None = None) -> bool:
    """Check a login code; each time step is accepted once, so a seen code is refused."""
    if user.totp_secret is None or user.totp_key_id is None:
        return False
    secret = user.unseal_text("totp_secret")
    step = _matching_step(secret, code, time.time() if now is None else now)
    if step is None or step <= user.totp_last_step:
        return False
    user.totp_last_step = step
    return True


def reset_second_factor(user: User) -> None:
    """Forget the secret and recovery codes; the next login enrols a new one."""
    from portal.auth.recovery import delete_codes

    user.totp_key_id = None
    user.totp_secret = None
    user.totp_last_step = 0
    db.session.execute(delete(TotpEnrolment).where(TotpEnrolment.user_id == user.id))
    delete_codes(user)
