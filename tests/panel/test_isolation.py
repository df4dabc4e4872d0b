"""One centre never reaches another's requests, accounts, audit events or outbox.

The matrix builds every panel URL that takes an id from the URL map itself, so a
route added later is covered without touching this file; the scoping functions of
`portal.panel.access` are checked for every kind of row and every role of a centre.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from portal.audit import record
from portal.auth.models import User
from portal.core.extensions import db
from portal.pages.models import ContentRevision
from portal.panel.access import (
    SCOPED,
    accounts_for,
    audit_events_for,
    outbox_for,
    requests_for,
)
from tests.panel.conftest import World
from tests.panel.factories import log_in, rows_in_every_centre

ID_ARGS = {"request_id", "attachment_id", "user_id", "revision_id", "centre_slug"}
# What each id argument is turned into, by the scoping helper of the same name.
SCOPED_BY = {
    "user_id": "account",
    "revision_id": "revision",
    "centre_slug": "centre",
    "request_id": "request",
}


def id_rules(app: Flask) -> list[Rule]:
    """Every staff route that takes an id."""
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith(("panel.", "auth.")) and r.arguments & ID_ARGS
    ]


def test_every_route_with_an_id_goes_through_the_scoping_helper(app: Flask) -> None:
    rules = id_rules(app)
    assert len(rules) >= 12, "the panel's id routes were found"
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        wanted = next(SCOPED_BY[arg] for arg in SCOPED_BY if arg in rule.arguments)
        assert getattr(view, SCOPED, None) == wanted, (
            f"{rule.rule} ({rule.endpoint}) does not use with_{wanted}"
        )


def _urls(app: Flask, world: World) -> list[tuple[str, str]]:
    revision = ContentRevision(
        centre_slug="gostynin", filename="index.pl.md", text="---\ntitle: T\n---\nx\n"
    )
    db.session.add(revision)
    db.session.commit()
    values = {
        "request_id": world.other_request_id,
        "attachment_id": world.other_attachment_id,
        "user_id": world.other_worker.id,
        "revision_id": revision.id,
        "centre_slug": "gostynin",
        "page_slug": "index",
        "language": "pl",
    }
    urls = []
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in id_rules(app):
            url = adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments})
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                urls.append((method, url))
    return urls


@pytest.mark.parametrize("who", ["worker", "manager"])
def test_every_id_route_of_another_centre_is_404(
    app: Flask, client: FlaskClient, world: World, who: str
) -> None:
    log_in(client, getattr(world, who))
    for method, url in _urls(app, world):
        response = client.open(url, method=method, data={})
        managed = ("/konta/", "/strony/")  # a worker may open neither: 403 before any look-up
        expected = (
            403 if who == "worker" and url.startswith(tuple(f"/panel{m}" for m in managed)) else 404
        )
        assert response.status_code == expected, f"{method} {url}: {response.status_code}"


def test_a_file_of_another_request_is_404_under_an_own_request(
    app: Flask, client: FlaskClient, world: World
) -> None:
    log_in(client, world.worker)
    url = f"/panel/zgloszenia/{world.request_id}/pliki/{world.other_attachment_id}"
    assert client.get(url).status_code == 404
    own = f"/panel/zgloszenia/{world.request_id}/pliki/{world.attachment_id}"
    assert client.get(own).status_code == 200


def test_own_centre_works_for_the_same_routes(client: FlaskClient, world: World) -> None:
    log_in(client, world.manager)
    assert client.get(f"/panel/zgloszenia/{world.request_id}").status_code == 200
    assert client.get(f"/panel/konta/{world.worker.id}").status_code == 200


@pytest.mark.parametrize("request_attr", ["request_id", "other_request_id"])
def test_admin_reads_no_request_at_all(
    client: FlaskClient, world: World, request_attr: str
) -> None:
    log_in(client, world.admin)
    rid = getattr(world, request_attr)
    assert client.get(f"/panel/zgloszenia/{rid}").status_code == 404
    note = client.post(f"/panel/zgloszenia/{rid}/notatki", data={"note-text": "x"})
    assert note.status_code == 404
    queue = client.get("/panel/")
    assert queue.status_code == 302 and queue.headers["Location"].endswith("/panel/konta")


def test_the_queue_lists_only_the_own_centre(client: FlaskClient, world: World) -> None:
    from portal.core.extensions import db
    from portal.referrals.models import Request

    mine = db.session.get(Request, world.request_id)
    theirs = db.session.get(Request, world.other_request_id)
    assert mine is not None and theirs is not None
    log_in(client, world.worker)
    page = client.get("/panel/?status=all").text
    assert mine.reference in page and theirs.reference not in page
    search = client.get(f"/panel/?status=all&reference={theirs.reference}").text
    assert f">{theirs.reference}</a>" not in search and "Brak zgłoszeń" in search


def test_export_holds_only_the_own_centre(client: FlaskClient, world: World) -> None:
    from portal.core.extensions import db
    from portal.referrals.models import Request

    theirs = db.session.get(Request, world.other_request_id)
    assert theirs is not None
    log_in(client, world.manager)
    body = client.get("/panel/eksport.csv?status=all").get_data(as_text=True)
    assert theirs.reference not in body


@pytest.mark.parametrize(
    "path",
    [
        "/panel/zgloszenia/99999999999999999999999",
        "/panel/zgloszenia/0",
        "/panel/zgloszenia/1/pliki/99999999999999999999999",
        "/panel/konta/99999999999999999999999",
    ],
)
def test_huge_ids_are_simply_not_found(client: FlaskClient, world: World, path: str) -> None:
    log_in(client, world.manager)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("who", ["worker", "manager", "other_worker", "other_manager"])
@pytest.mark.parametrize("scope", [requests_for, audit_events_for, outbox_for, accounts_for])
def test_no_scope_reaches_another_centre(world: World, who: str, scope: Any) -> None:
    rows_in_every_centre()
    viewer = db.session.get_one(User, getattr(world, who).id)
    centres = {row.centre_slug for row in db.session.scalars(scope(viewer))}
    assert centres <= {viewer.centre_slug}, f"{who} sees {centres}"


@pytest.mark.parametrize("path", ["/panel/dziennik", "/panel/poczta", "/panel/konta"])
def test_a_worker_opens_no_log_outbox_or_accounts(
    client: FlaskClient, world: World, path: str
) -> None:
    rows_in_every_centre()
    log_in(client, world.worker)
    assert client.get(path).status_code == 403


def test_a_manager_sees_no_other_centres_events_mail_or_accounts(
    client: FlaskClient, world: World
) -> None:
    rows_in_every_centre()
    record(
        "view",
        centre_slug="gostynin",
        actor_id=world.other_worker.id,
        request_id=world.other_request_id,
    )
    record("view", centre_slug="tomice", actor_id=world.worker.id, request_id=world.request_id)
    db.session.commit()
    log_in(client, world.manager)
    log = client.get("/panel/dziennik").text
    assert world.worker.email in log and world.other_worker.email not in log
    mail = client.get("/panel/poczta").text
    assert "rodzic@tomice.example.org" in mail
    assert "rodzic@gostynin.example.org" not in mail and "bez-osrodka" not in mail
    accounts = client.get("/panel/konta").text
    assert world.worker.email in accounts
    assert world.other_worker.email not in accounts and world.other_manager.email not in accounts
