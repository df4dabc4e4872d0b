"""A host lost under load: one gunicorn instance killed (SIGKILL) while submissions and
page views run through the proxy, then started again.

- every submission that got a reference is in the database exactly once;
- a submission cut by the kill is sent again by its client with the same form key
  (as a visitor pressing the button again would) and is stored once;
- page views fail over to the other instance: the client never sees an error;
- the surviving instance logs no traceback; every notice is mailed exactly once.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, bindparam, text

from stack.local import LocalStack
from tests.stack.client import TRANSPORT_ERRORS, Client
from tests.stack.flows import PARENT, confirmation, delivered, open_form, parent_fields, wait_for

SUBMITTERS = 6
VIEWERS = 3
KILLED, SURVIVOR = 0, 1
CYCLES = 3  # kill and restart again (at most) until a submission and a page view were cut
IN_FLIGHT = 3  # kill while at least this many submissions are on their way
RETRIES = 40  # a client presses "send" again at most this often, 0.25 s apart
CUT = (502, 503, 504)  # the proxy's answer when the host died under the request
VIEWS = ["/", "/tomice/", "/en/gostynin/", "/healthz", "/tomice/zgloszenie"]


@dataclass
class Submission:
    form_key: str
    reference: str
    tries: int


@dataclass
class Load:
    """Submitters and viewers on threads until `stop`; what each saw."""

    port: int
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0
    done: list[Submission] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # what a visitor would have seen
    views: int = 0

    def _seen(self, what: str) -> None:
        with self.lock:
            self.failed.append(what)

    def submit_once(self) -> None:
        client = Client(self.port, timeout=30)
        try:
            csrf, key = open_form(client)  # a page view: it must not fail
        except (AssertionError, *TRANSPORT_ERRORS) as exc:
            self._seen(f"GET {PARENT}: {exc!r}")
            return
        fields, tries = parent_fields(csrf, key), 0
        while tries < RETRIES:
            tries += 1
            with self.lock:
                self.in_flight += 1
            reply = None
            try:
                reply = client.post(PARENT, fields)
            except TRANSPORT_ERRORS:
                pass  # the connection was cut: no answer at all
            finally:
                with self.lock:
                    self.in_flight -= 1
            if reply is not None and reply.status not in CUT:
                break
            time.sleep(0.25)  # cut: the visitor presses "send" again, same form
        if reply is None or reply.status in CUT:
            self._seen(f"POST {PARENT}: no answer after {RETRIES} tries")
            return
        try:
            sent = confirmation(client, reply, key)
        except (AssertionError, *TRANSPORT_ERRORS) as exc:
            self._seen(f"confirmation: {exc!r}")
            return
        with self.lock:
            self.done.append(Submission(key, sent.reference, tries))

    def submitter(self) -> None:
        while not self.stop.is_set():
            self.submit_once()

    def viewer(self, seed: int) -> None:
        rng, client = random.Random(seed), Client(self.port, timeout=30)
        while not self.stop.is_set():
            # A search is rendered for each query: it always reaches an app host.
            path = rng.choice([*VIEWS, f"/?q={rng.randrange(10**6)}"])
            try:
                status = client.get(path).status
            except TRANSPORT_ERRORS as exc:
                self._seen(f"GET {path}: {exc!r}")
                continue
            with self.lock:
                self.views += 1
            if status != 200:
                self._seen(f"GET {path}: HTTP {status}")

    def threads(self) -> list[threading.Thread]:
        workers = [threading.Thread(target=self.submitter) for _ in range(SUBMITTERS)]
        workers += [threading.Thread(target=self.viewer, args=(n,)) for n in range(VIEWERS)]
        return workers


@pytest.fixture
def unlimited(stack: LocalStack) -> Iterator[None]:
    """The load comes from one address: as in `make bench`, rate limits are off for it."""
    stack.restart_apps(PORTAL_RATELIMIT_ENABLED="0")
    yield
    stack.restart_apps()


def access_lines(stack: LocalStack, since: int) -> list[str]:
    return stack.access_log.read_text().splitlines()[since:]


def lose_a_host(stack: LocalStack, load: Load, since: int) -> tuple[int, int]:
    """Kill and restart the instance until a submission and a page view were cut by it.

    Returns (submissions cut, page views failed over), both read from the proxy's log:
    a cut POST was answered 502, a failed-over GET names both instances.
    """
    killed = f"127.0.0.1:{stack.ports.apps[KILLED]}"
    cut = failed_over = 0
    for _cycle in range(CYCLES):
        wait_for(lambda: load.in_flight >= IN_FLIGHT, "submissions on their way", 20)
        stack.kill_app(KILLED)
        time.sleep(1.5)  # the load runs on the survivor alone
        stack.start_app(KILLED)
        mark = len(access_lines(stack, 0))

        def back_in_use(mark: int = mark) -> bool:
            return any(f"upstream={killed} " in x for x in access_lines(stack, mark))

        # The proxy tries the lost host again once its fail_timeout (10 s) has passed.
        wait_for(back_in_use, "the restarted host in use again", 30)
        lines = access_lines(stack, since)
        cut = sum(1 for x in lines if '"POST ' in x and re.search(r'" 50[234] ', x))
        failed_over = sum(1 for x in lines if '"GET ' in x and '" 200 ' in x and ", 127." in x)
        if cut and failed_over:
            break
    return cut, failed_over


@pytest.mark.usefixtures("unlimited")
def test_a_host_lost_under_load(stack: LocalStack, database: Engine) -> None:
    with database.connect() as conn:
        before = conn.scalar(text("SELECT count(*) FROM requests"))
    since = len(access_lines(stack, 0))
    load = Load(stack.ports.nginx)
    threads = load.threads()
    for thread in threads:
        thread.start()
    try:
        time.sleep(2.0)  # the load is running on both hosts
        cut, failed_over = lose_a_host(stack, load, since)
        time.sleep(2.0)  # and goes on with both again
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    # The visitors saw no error: the page views were answered by the survivor.
    assert load.failed == [], load.failed[:5]
    assert load.views > 100 and len(load.done) > 20, (load.views, len(load.done))
    assert cut >= 1 and failed_over >= 1, (cut, failed_over)
    assert any(s.tries > 1 for s in load.done)  # a cut submission, sent again

    # Every reference a visitor got is in the database once, under its form key;
    # nothing else was stored (a cut that had been stored came back as the same request).
    keys = [s.form_key for s in load.done]
    with database.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT idempotency_key, reference, count(*) OVER (PARTITION BY idempotency_key)"
                " FROM requests WHERE idempotency_key IN :keys"
            ).bindparams(bindparam("keys", expanding=True)),
            {"keys": keys},
        ).all()
        after = conn.scalar(text("SELECT count(*) FROM requests"))
    assert {(k, r) for k, r, _n in stored} == {(s.form_key, s.reference) for s in load.done}
    assert {n for _k, _r, n in stored} == {1}
    assert after - before == len(load.done) == len(set(keys))

    survivor = stack.app_log(SURVIVOR).read_text(errors="replace")
    assert "Traceback" not in survivor and '"level": "ERROR"' not in survivor

    # The notices of every submission: mailed, each exactly once.
    def outbox_empty() -> bool:
        with database.connect() as conn:
            waiting = conn.scalar(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))
        return bool(waiting == 0)

    wait_for(outbox_empty, "the outbox sent", 120)
    time.sleep(2)
    ids = Counter(str(m["Message-ID"]) for m in delivered(stack))
    assert set(ids.values()) == {1}
    references = Counter(
        ref
        for m in delivered(stack)
        for ref in [s.reference for s in load.done]
        if ref in str(m["Subject"])
    )
    assert set(references.values()) == {2} and len(references) == len(load.done)
