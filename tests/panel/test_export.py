"""CSV export: managers only, the filtered queue, safe in spreadsheets, on the record."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.core.extensions import db
from portal.panel.export import safe_cell
from tests.panel.conftest import World
from tests.panel.factories import log_in, make_request, make_user


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+48 600", "'+48 600"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("TOM-2026-7K4Q9", "TOM-2026-7K4Q9"), ("", ""),
    (None, ""),
])  # fmt: skip
def test_formula_cells_are_defused(value: str | None, expected: str) -> None:
    assert safe_cell(value) == expected


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_export_of_the_filtered_queue(client: FlaskClient, world: World) -> None:
    make_request(status="closed", reference="TOM-2026-CLOSE")
    log_in(client, world.manager)
    response = client.get("/panel/eksport.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    rows = _rows(response.data)
    assert rows[0][0] == "Numer" and len(rows) == 2  # open requests only, like the queue
    everything = _rows(client.get("/panel/eksport.csv?status=all").data)
    assert "TOM-2026-CLOSE" in [r[0] for r in everything]
    events = list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "export")))
    assert len(events) == 2 and events[1].detail.startswith("status=all")


def test_export_cells_from_people_are_defused(client: FlaskClient, world: World) -> None:
    evil = make_user("=cmd|' /C calc'!A0@tomice.example.org", "tomice", "worker")
    make_request(assignee_id=evil.id)
    log_in(client, world.manager)
    body = client.get("/panel/eksport.csv").data
    cells = [c for row in _rows(body) for c in row]
    assert "'=cmd|' /C calc'!A0@tomice.example.org" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_workers_and_admins_cannot_export(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    assert client.get("/panel/eksport.csv").status_code == 403
    log_in(client, world.admin)
    assert client.get("/panel/eksport.csv").status_code == 403
    assert not list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "export")))


def test_export_link_shown_to_managers_only(client: FlaskClient, world: World) -> None:
    log_in(client, world.worker)
    assert "eksport.csv" not in client.get("/panel/").text
    log_in(client, world.manager)
    assert "eksport.csv" in client.get("/panel/?kind=za-zyciem").text


def test_export_streams_many_rows(app: Flask, client: FlaskClient, world: World) -> None:
    for _ in range(30):
        make_request()
    log_in(client, world.manager)
    assert len(_rows(client.get("/panel/eksport.csv").data)) == 32
    assert db.session.get(User, world.manager.id) is not None
