"""A request the applicant withdrew, as staff see it: its status, its reason, its history."""

from __future__ import annotations

from flask.testing import FlaskClient

from portal.core.extensions import db
from portal.referrals.models import Request
from portal.referrals.status import make_token
from tests.panel.conftest import World
from tests.panel.factories import log_in


def withdraw(client: FlaskClient, request_id: int) -> None:
    token = make_token(db.session.get_one(Request, request_id))
    db.session.commit()
    response = client.post(f"/status/{token}/wycofaj", data={"step": "confirm"})
    assert response.status_code == 303


def test_the_panel_shows_a_withdrawn_request(client: FlaskClient, world: World) -> None:
    withdraw(client, world.request_id)
    log_in(client, world.worker)
    page = client.get(f"/panel/zgloszenia/{world.request_id}").text
    assert "<dd>Wycofane (Wycofane przez osobę zgłaszającą)</dd>" in page
    assert "Wycofanie przez osobę zgłaszającą: Nowe → Wycofane" in page  # the history
    assert "Zmień status" not in page  # a final status: nothing to move on to


def test_a_withdrawn_request_leaves_the_open_queue(client: FlaskClient, world: World) -> None:
    reference = db.session.get_one(Request, world.request_id).reference
    log_in(client, world.worker)
    assert reference in client.get("/panel/").text
    withdraw(client, world.request_id)
    assert reference not in client.get("/panel/").text
    withdrawn = client.get("/panel/?status=withdrawn").text
    assert reference in withdrawn and "Wycofane: <strong>1</strong>" in withdrawn
