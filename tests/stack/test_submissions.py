"""Requests through the proxy: into the queue, with their certificate scanned by clamd,
and their notices delivered by the mail worker."""

from __future__ import annotations

import time

from sqlalchemy import Engine, text

from bench.samples import certificate_pdf
from stack.local import LocalStack
from stack.services import EICAR
from tests.referrals.helpers import zz_answers
from tests.stack.client import Client, pairs
from tests.stack.flows import (
    confirmation,
    delivered_about,
    log_in,
    seed_staff,
    submit_parent,
    wait_for,
)

ZZ = "/gostynin/za-zyciem/wniosek"


def test_a_submission_through_the_proxy_reaches_the_queue(
    stack: LocalStack, database: Engine
) -> None:
    sent = submit_parent(Client(stack.ports.nginx), description="Proszę o kontakt po 16.")
    with database.connect() as conn:
        row = conn.execute(
            text("SELECT centre_slug, status FROM requests WHERE reference = :r"),
            {"r": sent.reference},
        ).one()
    assert tuple(row) == ("tomice", "new")
    staff = seed_staff(stack, "kolejka@tomice.example.org")
    panel = Client(stack.ports.nginx)
    log_in(panel, staff)
    queue = panel.get("/panel/")
    assert queue.status == 200 and sent.reference in queue.text
    # The notices were stored with the request; the mail worker sends both, once.
    wait_for(lambda: len(delivered_about(stack, sent.reference)) >= 2, "the notices", 30)
    time.sleep(2)  # two workers watch the outbox: a second copy would show by now
    notices = delivered_about(stack, sent.reference)
    assert sorted(str(m["To"]) for m in notices) == [
        "asystent-tomice@example.org",
        "zofia@example.org",
    ]
    assert len({str(m["Message-ID"]) for m in notices}) == 2


def _za_zyciem(client: Client, pdf: bytes) -> tuple[int, str, list[str], list[tuple[str, str]]]:
    page = client.get(ZZ)
    fields = [*pairs(zz_answers(page.form_key())), ("csrf_token", page.csrf())]
    check = client.post_files(ZZ, fields, [("certificates", "zaswiadczenie.pdf", pdf)])
    return check.status, check.text, check.held(), fields


def test_a_certificate_is_scanned_on_the_way_in(stack: LocalStack) -> None:
    client = Client(stack.ports.nginx)
    status, _page, held, fields = _za_zyciem(client, certificate_pdf(200_000))
    assert status == 200 and len(held) == 1  # checked, scanned, held for the submit
    submit = [(k, v) for k, v in fields if k != "step"] + [("step", "submit")]
    sent = client.post(ZZ, [*submit, *(("held", h) for h in held)])
    assert confirmation(client, sent, "").reference.startswith("GOS-")
    infected = Client(stack.ports.nginx)
    status, page, held, _fields = _za_zyciem(infected, certificate_pdf(200_000) + EICAR)
    assert status == 400 and held == []
    assert "wirus" in page.lower() or "virus" in page.lower(), page[:500]
