"""The issue's "done when": two centres' workers, created from the CLI, each see and
take forward only their own requests, and every step they take is on the record."""

from __future__ import annotations

import re

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.core.extensions import db
from portal.referrals.models import Request
from tests.panel.factories import make_request

LINK_RE = re.compile(r"http://\S+(/panel/haslo/\S+)")
SECRET_RE = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')


def _onboard(app: Flask, email: str, centre: str) -> tuple[FlaskClient, str]:
    """create-user, set the password, enrol TOTP: a logged-in client and the TOTP secret."""
    result = app.test_cli_runner().invoke(
        args=["create-user", email, "--centre", centre, "--role", "worker"]
    )
    assert result.exit_code == 0, result.output
    link = LINK_RE.search(result.output)
    assert link
    client = app.test_client()
    password = f"hasło dla {centre} na długie zimowe wieczory"
    set_password = client.post(link.group(1), data={"password": password, "confirm": password})
    assert set_password.status_code == 200
    login = client.post("/panel/logowanie", data={"email": email, "password": password})
    assert login.status_code == 302
    client.get("/panel/dwuetapowe")
    secret_match = SECRET_RE.search(client.get("/panel/dwuetapowe/konfiguracja").text)
    assert secret_match
    secret = secret_match.group(1).replace(" ", "")
    done = client.post("/panel/dwuetapowe/konfiguracja", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "kody zapasowe" in done.text
    return client, secret


def test_two_centres_take_forward_only_their_own_requests(app: Flask) -> None:
    tomice_id = make_request("tomice")
    gostynin_id = make_request("gostynin")
    tomice, _ = _onboard(app, "ala@tomice.example.org", "tomice")
    gostynin, _ = _onboard(app, "ola@gostynin.example.org", "gostynin")
    pairs = ((tomice, tomice_id, gostynin_id), (gostynin, gostynin_id, tomice_id))
    for client, own, other in pairs:
        queue = client.get("/panel/").text
        assert f'/panel/zgloszenia/{own}"' in queue and f'/panel/zgloszenia/{other}"' not in queue
        assert client.get(f"/panel/zgloszenia/{other}").status_code == 404
        assert (
            client.post(
                f"/panel/zgloszenia/{other}/status", data={"status-status": "in_review"}
            ).status_code
            == 404
        )
        assert client.get(f"/panel/zgloszenia/{own}").status_code == 200
        assert (
            client.post(
                f"/panel/zgloszenia/{own}/status", data={"status-status": "in_review"}
            ).status_code
            == 302
        )
    db.session.expire_all()
    statuses = {r.id: r.status for r in db.session.scalars(db.select(Request))}
    assert statuses == {tomice_id: "in_review", gostynin_id: "in_review"}
    events = list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)))
    for centre, rid in (("tomice", tomice_id), ("gostynin", gostynin_id)):
        steps = [e.action for e in events if e.centre_slug == centre]
        assert steps == [
            "account_create",
            "password_set",
            "totp_enrolled",
            "login",
            "view",
            "status",
        ], steps
        assert all(e.request_id in (None, rid) for e in events if e.centre_slug == centre)
