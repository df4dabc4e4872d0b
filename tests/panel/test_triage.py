"""Queue rows to triage by, display names instead of e-mails, and saved views."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.models import SavedView
from portal.panel.triage import short_name
from tests.panel.conftest import World
from tests.panel.factories import log_in, make_request

ROW_RE = re.compile(r'<th scope="row"><a href="/panel/zgloszenia/(\d+)">')


def _name(staff_id: int, name: str) -> None:
    user = db.session.get_one(User, staff_id)
    user.display_name = name
    db.session.commit()


def _row(html: str, rid: int) -> str:
    return html[html.index(f"/panel/zgloszenia/{rid}") :].split("</tr>", 1)[0]


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("Zofia Testowa", "Zofia T."),
        ("Anna Maria Wiśniewska-Nowak", "Anna W."),
        ("  ołena   łysenko ", "ołena Ł."),
        ("Olha", "Olha"),
        ("", ""),
    ],
)
def test_first_name_and_initial(full: str, short: str) -> None:
    assert short_name(full) == short


def test_a_row_tells_who_where_what_and_who_has_it(client: FlaskClient, world: World) -> None:
    _name(world.worker.id, "Anna Kowalska")
    rid = make_request(
        answers={
            "full_name": "Zofia Wiśniewska",
            "city": "Tomice",
            "description": "Dziecko choruje.",
        },
        kind="za-zyciem",
        assignee_id=world.worker.id,
    )
    log_in(client, world.manager)
    row = _row(client.get("/panel/").text, rid)
    assert "Zofia W." in row and "Wiśniewska" not in row
    assert "Tomice" in row and "Wniosek „Za życiem”" in row
    assert "Anna Kowalska" in row and world.worker.email not in row
    assert "Dziecko choruje" not in row  # the situation stays on the request's own page


def test_display_names_replace_addresses_across_the_panel(
    client: FlaskClient, world: World
) -> None:
    _name(world.worker.id, "Anna Kowalska")
    _name(world.manager.id, "Jan Nowak")
    rid = world.request_id
    log_in(client, world.worker)
    client.get(f"/panel/zgloszenia/{rid}")
    client.post(f"/panel/zgloszenia/{rid}/notatki", data={"note-text": "Zadzwonić jutro."})
    client.post(f"/panel/zgloszenia/{rid}/prowadzacy", data={"assign-assignee": world.worker.id})
    page = client.get(f"/panel/zgloszenia/{rid}").text
    assert "Anna Kowalska" in page  # the bar, the note's author, the assignee, the history
    assert world.worker.email not in page
    log_in(client, world.manager)
    page = client.get(f"/panel/zgloszenia/{rid}").text
    assert "Jan Nowak" in page and world.manager.email not in page
    assert "Anna Kowalska</option>" in page  # the assignee form names people too
    log_in(client, world.manager)
    log = client.get("/panel/dziennik").text
    assert "Anna Kowalska" in log and world.worker.email not in log


def test_an_account_without_a_name_is_shown_by_its_address(
    client: FlaskClient, world: World
) -> None:
    make_request(assignee_id=world.worker.id)
    log_in(client, world.worker)
    assert world.worker.email in client.get("/panel/").text


def test_a_manager_names_an_account_and_it_is_recorded(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    response = client.post(
        f"/panel/konta/{world.worker.id}/nazwa", data={"name": "  Anna   Kowalska "}
    )
    assert response.status_code == 302
    assert db.session.get_one(User, world.worker.id).display_name == "Anna Kowalska"
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "account_rename")
    ).one()
    assert event.detail == f"user={world.worker.id}" and "Anna" not in event.detail
    assert "Anna Kowalska" in client.get("/panel/konta").text
    # Another centre's account is not found; a name too long is refused.
    assert (
        client.post(f"/panel/konta/{world.other_worker.id}/nazwa", data={"name": "X"}).status_code
        == 404
    )
    client.post(f"/panel/konta/{world.worker.id}/nazwa", data={"name": "x" * 81})
    assert db.session.get_one(User, world.worker.id).display_name == "Anna Kowalska"


def test_create_user_takes_a_name(app: Flask, world: World) -> None:
    runner: FlaskCliRunner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "ala@tomice.example.org",
            "--centre",
            "tomice",
            "--role",
            "worker",
            "--name",
            "Alicja Nowak",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(db.select(User).where(User.email == "ala@tomice.example.org")).one()
    assert user.display_name == "Alicja Nowak"


def test_everyone_has_the_three_views(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    html = client.get("/panel/").text
    nav = html[html.index('class="saved-views"') : html.index("</nav>", html.index("saved-views"))]
    assert [re.sub(r"\s+", " ", t).strip() for t in re.findall(r'">([^<]+)</a>', nav)] == [
        "Moje",
        "Nowe",
        "Po terminie",
    ]
    assert "assignee=mine" in nav and "status=new" in nav and "overdue=1" in nav


def test_a_saved_view_is_ones_own(app: Flask, client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    data = {
        "name": "Moje Za życiem w toku",
        "kind": "za-zyciem",
        "assignee": "mine",
        "reference": "TOM-2026",
    }
    response = client.post("/panel/widoki", data=data)
    assert response.status_code == 302 and "kind=za-zyciem" in response.headers["Location"]
    view = db.session.scalars(db.select(SavedView)).one()
    assert view.user_id == world.worker.id and "reference" not in view.query
    view_id = view.id
    html = client.get("/panel/").text
    assert "Moje Za życiem w toku" in html and "kind=za-zyciem" in html
    # The same name twice is refused with a message; another account sees none of it.
    client.post("/panel/widoki", data={"name": "Moje Za życiem w toku"})
    assert "Widok o tej nazwie już istnieje." in client.get("/panel/").text
    other = app.test_client()
    log_in(other, world.manager)
    assert "Moje Za życiem w toku" not in other.get("/panel/").text
    assert other.post(f"/panel/widoki/{view_id}/usun").status_code == 302
    assert db.session.get(SavedView, view_id) is not None  # not the manager's to delete
    client.post(f"/panel/widoki/{view_id}/usun")
    assert db.session.get(SavedView, view_id) is None


def test_a_view_without_a_name_is_not_saved(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    client.post("/panel/widoki", data={"name": "   ", "status": "new"})
    assert db.session.scalars(db.select(SavedView)).first() is None
    assert "Wpisz nazwę widoku." in client.get("/panel/").text
