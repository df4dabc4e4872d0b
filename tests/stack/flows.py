"""What a visitor and a member of staff do through the proxy, step by step."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message

import pyotp

from stack.local import LocalStack
from tests.referrals.helpers import parent_answers
from tests.stack.client import REFERENCE_RE, STATUS_LINK_RE, Client, Reply, pairs

PARENT = "/tomice/zgloszenie"


@dataclass(frozen=True)
class Submitted:
    reference: str
    form_key: str
    confirmation: str  # /<centre>/wyslano/<token>
    status_link: str  # /status/<token>


def open_form(client: Client, path: str = PARENT) -> tuple[str, str]:
    """GET a form like a browser: (CSRF token, form key); the session cookie is kept."""
    page = client.get(path)
    assert page.status == 200, page.status
    return page.csrf(), page.form_key()


def parent_fields(csrf: str, key: str, **changes: str) -> list[tuple[str, str]]:
    answers = parent_answers(key, step="submit", **changes)
    return [*pairs(answers), ("csrf_token", csrf)]


def confirmation(client: Client, sent: Reply, key: str) -> Submitted:
    """Follow the redirect after a submit to the confirmation: the reference, the links."""
    assert sent.status == 302, f"HTTP {sent.status}: {sent.text[:300]}"
    page = client.get(sent.location)
    assert page.status == 200, page.status
    reference, status = REFERENCE_RE.search(page.text), STATUS_LINK_RE.search(page.text)
    assert reference and status, "the confirmation shows a reference and a status link"
    return Submitted(reference.group(1), key, sent.location, status.group(1))


def submit_parent(client: Client, **changes: str) -> Submitted:
    csrf, key = open_form(client)
    return confirmation(client, client.post(PARENT, parent_fields(csrf, key, **changes)), key)


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    password: str
    secret: str


def seed_staff(
    stack: LocalStack, email: str, centre: str = "tomice", role: str = "worker"
) -> Staff:
    """An account in the stack's database (tests/stack/seed.py)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.stack.seed", email, centre, role],
        env=stack.process_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    data = json.loads(done.stdout)
    return Staff(data["id"], data["email"], data["password"], data["secret"])


def password_step(client: Client, email: str, password: str) -> Reply:
    csrf = client.get("/panel/logowanie").csrf()
    return client.post(
        "/panel/logowanie", [("csrf_token", csrf), ("email", email), ("password", password)]
    )


def log_in(client: Client, staff: Staff) -> None:
    """Password, then the TOTP code, through the proxy: the client holds a staff session."""
    first = password_step(client, staff.email, staff.password)
    assert first.status == 302 and first.location == "/panel/dwuetapowe", first.status
    csrf = client.get("/panel/dwuetapowe").csrf()
    code = pyotp.TOTP(staff.secret).now()
    second = client.post("/panel/dwuetapowe", [("csrf_token", csrf), ("code", code)])
    assert second.status == 302, f"HTTP {second.status}: {second.text[:300]}"


def _field(page: str, pattern: str) -> str:
    found = re.search(pattern, page, re.DOTALL)
    assert found, pattern
    return html.unescape(found.group(1))


def publish_in_editor(client: Client, centre: str, page: str, added: str) -> None:
    """A manager adds a paragraph to a page in the editor (/panel/strony), then publishes it."""
    path = f"/panel/strony/{centre}/strona/{page}/pl"
    form = client.get(path)
    assert form.status == 200, form.status
    text = form.text
    fields = [
        ("page-csrf_token", form.csrf()),
        ("page-title", _field(text, r'name="page-title"[^>]*value="([^"]*)"')),
        ("page-summary", _field(text, r'name="page-summary"[^>]*>(.*?)</textarea>')),
        ("page-order", _field(text, r'name="page-order"[^>]*value="([^"]*)"')),
        ("page-body", _field(text, r'name="page-body"[^>]*>(.*?)</textarea>') + f"\n\n{added}\n"),
        ("action", "save"),
    ]
    if re.search(r'name="page-nav"[^>]*checked', text):
        fields.append(("page-nav", "y"))
    saved = client.post(path, fields)
    assert saved.status == 302 and "/wersje/" in saved.location, (saved.status, saved.text[:500])
    revision = client.get(saved.location)
    published = client.post(f"{saved.location}/publikuj", [("csrf_token", revision.csrf())])
    assert published.status == 302, (published.status, published.text[:500])


def delivered(stack: LocalStack) -> list[Message]:
    """Every message the stack's SMTP server accepted, oldest first."""
    files = sorted(p for p in stack.mail_dir.glob("*.eml"))
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]


def delivered_about(stack: LocalStack, reference: str) -> list[Message]:
    """The messages whose subject names the request (both notices do)."""
    return [m for m in delivered(stack) if reference in str(m["Subject"])]


def wait_for(check: Callable[[], bool], what: str, timeout: float) -> None:
    """Poll `check` every 0.2 s; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")
