"""The SMTP server down for a while: mail waits in the outbox, is retried, and is
delivered once when the server is back."""

from __future__ import annotations

import time

from sqlalchemy import Engine, RowMapping, text

from stack.local import QUICK, LocalStack
from tests.stack.client import Client
from tests.stack.flows import delivered_about, submit_parent, wait_for

# The worst wait for a retry (PORTAL_MAIL_RETRY_MAX_SECONDS), and a pass or two on top.
RETRY_MAX = float(QUICK["PORTAL_MAIL_RETRY_MAX_SECONDS"])


def newest_outbox(database: Engine, count: int) -> list[RowMapping]:
    """The last `count` outbox rows: the notices of the request just sent."""
    with database.connect() as conn:
        query = text("SELECT attempts, last_error, sent_at FROM outbox ORDER BY id DESC LIMIT :n")
        return list(conn.execute(query, {"n": count}).mappings())


def test_mail_waits_while_the_smtp_server_is_down(stack: LocalStack, database: Engine) -> None:
    stack.stop_smtp()
    try:
        started = time.monotonic()
        sent = submit_parent(Client(stack.ports.nginx))
        assert time.monotonic() - started < 5  # the request does not wait for the mail

        def retried_while_down() -> bool:
            return all(
                r["attempts"] >= 2
                and r["last_error"] == "ConnectionRefusedError"
                and r["sent_at"] is None
                for r in newest_outbox(database, 2)
            )

        wait_for(retried_while_down, "two failed tries of each notice", 30)
        assert delivered_about(stack, sent.reference) == []
    finally:
        stack.start_smtp()
    wait_for(lambda: len(delivered_about(stack, sent.reference)) >= 2, "delivery", RETRY_MAX + 10)
    time.sleep(2)  # a second copy, if one were sent, would be here by now
    assert len(delivered_about(stack, sent.reference)) == 2
    rows = newest_outbox(database, 2)
    assert all(r["sent_at"] is not None and r["attempts"] >= 3 for r in rows), rows
