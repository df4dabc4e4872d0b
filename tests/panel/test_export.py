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


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+48 600", "'+48 600"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("TOM-2026-7K4Q9", "TOM-2026-7K4Q9"),
        ("", ""),
        (None, ""),
    ],
)
def test_formula_cells_are_defused(value: str | None, expected: str) -> None:
    assert safe_cell(value) == expected


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


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


def test_csv_reads_as_polish_excel_expects(client: FlaskClient, world: World) -> None:
    from datetime import date, datetime

    from portal.core.clock import ZONE

    created = datetime(2026, 11, 24, 18, 43)  # 19:43 in Poland
    make_request(created_at=created, due=date(2026, 12, 1), reference="TOM-2026-ISO01")
    log_in(client, world.manager)
    body = client.get("/panel/eksport.csv?reference=TOM-2026-ISO01").data
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Numer;Rodzaj;Status;Wpłynęło;Termin odpowiedzi")
    rows = _rows(body)
    header, cells = rows[0], rows[1]
    assert cells[header.index("Wpłynęło")] == "2026-11-24T19:43"
    assert cells[header.index("Termin odpowiedzi")] == "2026-12-01"
    assert ZONE.key == "Europe/Warsaw"


def test_xlsx_export_is_typed_and_formula_safe(client: FlaskClient, world: World) -> None:
    from datetime import date, datetime

    from openpyxl import load_workbook

    evil = make_user("=1+1@tomice.example.org", "tomice", "worker")
    make_request(
        assignee_id=evil.id,
        created_at=datetime(2026, 11, 24, 18, 43),
        due=date(2026, 12, 1),
        reference="TOM-2026-XLS01",
    )
    log_in(client, world.manager)
    response = client.get("/panel/eksport.xlsx?reference=TOM-2026-XLS01")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    cells = {h: c for h, c in zip(header, rows[1], strict=True)}
    assert cells["Numer"].value == "TOM-2026-XLS01"
    assert cells["Wpłynęło"].value == datetime(2026, 11, 24, 19, 43)
    assert cells["Termin odpowiedzi"].value == datetime(2026, 12, 1)
    # A text that looks like a formula stays text: nothing in the workbook is a formula.
    assert cells["Prowadzi"].value == "=1+1@tomice.example.org"
    assert all(c.data_type != "f" for r in rows for c in r)
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.detail.endswith("format=xlsx")
    log_in(client, world.worker)
    assert client.get("/panel/eksport.xlsx").status_code == 403
