"""The end-to-end suite runs against one local stack (stack/), started once for the session.

Run it with `make stack-test` (PORTAL_STACK_TEST=1); `make test` leaves it out.
PORTAL_STACK_KEEP=1 keeps the stack's folder (logs, mail, nginx cache) afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from stack.local import LocalStack
from tests.stack.client import Client


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    with LocalStack(keep=os.environ.get("PORTAL_STACK_KEEP") == "1") as running:
        yield running
        if running.keep:
            print(f"\nstack kept: {running.folder}")


@pytest.fixture(scope="session")
def database(stack: LocalStack) -> Iterator[Engine]:
    engine = create_engine(stack.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def client(stack: LocalStack) -> Client:
    """A fresh visitor: no cookies."""
    return Client(stack.ports.nginx)
