"""Every link that leaves the site is built on PORTAL_BASE_URL, never on the request's Host."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import create_app
from portal.auth.models import User
from portal.core.extensions import db
from portal.core.settings import DEV_BASE_URL, ConfigError
from portal.notifications.mail import read
from portal.notifications.models import OutboxMessage
from portal.referrals.models import Request
from tests.conftest import make_app
from tests.panel.conftest import panel_app
from tests.panel.factories import make_user
from tests.referrals.helpers import PARENT, form_key, parent_answers

SITE = "https://asystent.example.org"
EVIL = "http://evil.example"


def _send_request(client: FlaskClient) -> str:
    """A parent's request sent with a spoofed Host; the confirmation page."""
    key = form_key(client, PARENT)
    client.post(PARENT, data=parent_answers(key), base_url=EVIL)
    sent = client.post(PARENT, data=parent_answers(key, step="submit"), base_url=EVIL)
    assert sent.status_code == 302
    return client.get(sent.headers["Location"], base_url=EVIL).text


@pytest.mark.parametrize("base", [SITE, None], ids=["configured", "development default"])
def test_a_spoofed_host_reaches_no_link(tmp_path: Path, base: str | None) -> None:
    app = make_app(tmp_path, PORTAL_BASE_URL=base)
    site = base or DEV_BASE_URL
    page = _send_request(app.test_client())
    assert "evil.example" not in page
    assert re.search(rf'href="{re.escape(site)}/status/[^"]+"', page)  # shown for copying
    with app.app_context():
        (req,) = db.session.scalars(select(Request))
        mails = [read(row) for row in db.session.scalars(select(OutboxMessage))]
    to_applicant, to_centre = mails
    assert to_applicant.to == "zofia@example.org"
    assert re.search(rf"{re.escape(site)}/status/\S+", to_applicant.body)
    assert f"{site}/panel/zgloszenia/{req.id}" in to_centre.body
    assert not [m for m in mails if "evil.example" in m.body]


def _log_in_on(client: FlaskClient, host: str, user_id: int) -> None:
    with client.application.app_context():
        user = db.session.get_one(User, user_id)
        sv = user.session_version
    now = int(time.time())
    with client.session_transaction(base_url=host) as sess:
        sess.update(uid=user_id, sv=sv, iat=now, seen=now, sid="test")


def test_a_managers_invite_is_on_the_site_not_on_the_host(tmp_path: Path) -> None:
    app = panel_app(tmp_path, PORTAL_BASE_URL=SITE)
    with app.app_context():
        manager = make_user("kierownik@tomice.example.org", "tomice", "manager")
    client = app.test_client()
    _log_in_on(client, EVIL, manager.id)
    page = client.post(
        "/panel/konta/nowe",
        data={"email": "nowa@tomice.example.org", "name": "Nowa Osoba", "role": "worker"},
        base_url=EVIL,
    ).text
    assert re.search(rf"<code>{re.escape(SITE)}/panel/haslo/[^<]+</code>", page), page
    assert "evil.example" not in page


def test_create_user_prints_a_link_on_the_site(tmp_path: Path) -> None:
    app = make_app(tmp_path, PORTAL_BASE_URL=SITE + "/")
    result = app.test_cli_runner().invoke(
        args=["create-user", "anna@tomice.example.org", "--centre", "tomice", "--role", "worker"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(rf"^{re.escape(SITE)}/panel/haslo/\S+$", result.output, re.M)


def test_without_a_base_url_development_links_stay_local(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "8123")  # the old code read it; the site's address is one setting
    app = make_app(tmp_path)
    result = app.test_cli_runner().invoke(
        args=["create-user", "anna@tomice.example.org", "--centre", "tomice", "--role", "worker"]
    )
    assert f"{DEV_BASE_URL}/panel/haslo/" in result.output
    assert DEV_BASE_URL.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    ("unset", "named"),
    [
        ("PORTAL_BASE_URL", "PORTAL_BASE_URL"),
        ("PORTAL_TRUSTED_HOSTS", "PORTAL_TRUSTED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_address(
    monkeypatch: pytest.MonkeyPatch, unset: str, named: str
) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_BASE_URL", SITE)
    monkeypatch.setenv("PORTAL_TRUSTED_HOSTS", "asystent.example.org")
    monkeypatch.setenv("PORTAL_VIRUS_SCAN", "off")
    monkeypatch.delenv(unset)
    with pytest.raises(ConfigError, match=f"needs {named} to be set"):
        create_app()


@pytest.mark.parametrize(
    "value", ["asystent.example.org", "ftp://asystent.example.org", f"{SITE}/?next=x", "https://"]
)
def test_a_base_url_that_is_not_an_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("PORTAL_BASE_URL", value)
    with pytest.raises(ConfigError, match="PORTAL_BASE_URL"):
        create_app()


def test_cached_pages_do_not_follow_the_host(app: Flask) -> None:
    client = app.test_client()
    spoofed = client.get("/tomice/", base_url=EVIL)
    plain = client.get("/tomice/")
    assert "evil.example" not in spoofed.text
    assert spoofed.text == plain.text
