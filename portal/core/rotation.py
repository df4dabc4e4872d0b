"""`rotate-key`: re-encrypt every stored secret under the current data key.

It walks the registry of encrypted models (`portal.core.encryption`): each model
declared its blobs, key column and associated data on itself, so a new encrypted
column is rotated without anyone adding it here. Then the registry of blind indexes:
each digest is recomputed under the new key's derived index key (a digest cannot be
re-encrypted, only made again from the value it indexes). Rows are taken in batches
of those still on an old key, so an interrupted run resumes where it stopped, and a
finished run has nothing left to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select

from portal.core.database import import_models
from portal.core.encryption import BlindIndexed, Encrypted, blind_models, encrypted_models
from portal.core.extensions import db
from portal.core.keys import keyring

Keyed = type[Encrypted] | type[BlindIndexed]


def _key_column(model: Keyed) -> Any:
    if issubclass(model, BlindIndexed):
        return getattr(model, model.__blind__.key)
    return getattr(model, model.__encrypted__.key)


def _stale(model: Keyed, current: str) -> Any:
    """Rows under an old key, and rows sealed before the model bound them to the row."""
    key = _key_column(model)
    stale = key != current
    if issubclass(model, Encrypted) and model.__encrypted__.bound_by:
        stale = stale | getattr(model, model.__encrypted__.bound_by).is_(None)
    return key.is_not(None) & stale


def _name(model: Keyed) -> str:
    return str(getattr(model, "__tablename__", model.__name__))


def _models() -> tuple[Keyed, ...]:
    import_models()  # a model whose module nobody imported yet is still rotated
    # Blobs first, then the indexes (recomputed from values the blobs hold).
    return (*encrypted_models(), *blind_models())


def count_stale(current: str) -> dict[str, int]:
    """How many rows of each kind (by table) are still under another key."""
    return {
        _name(model): int(
            db.session.scalar(select(func.count()).select_from(model).where(_stale(model, current)))
            or 0
        )
        for model in _models()
    }


def rotate(batch_size: int = 200) -> Iterator[int]:
    """Re-encrypt in batches; yields how many rows each committed batch moved."""
    ring = keyring()
    for model in _models():
        primary_key = inspect(model).primary_key
        while True:
            rows: list[Encrypted | BlindIndexed] = list(
                db.session.scalars(
                    select(model)
                    .where(_stale(model, ring.current_kid))
                    .order_by(*primary_key)
                    .limit(batch_size)
                )
            )
            if not rows:
                break
            for row in rows:
                row.reseal(ring)
            db.session.commit()
            yield len(rows)


@click.command("rotate-key")
@click.option("--batch-size", default=200, show_default=True, help="rows per transaction")
@with_appcontext
def rotate_key_command(batch_size: int) -> None:
    """Re-encrypt every request, file and secret under the first key of PORTAL_DATA_KEY.

    Safe to interrupt and run again: it continues with the rows still on old keys.
    """
    current = keyring().current_kid
    total = sum(count_stale(current).values())
    with click.progressbar(length=total, label=f"re-encrypting under '{current}'") as bar:
        for moved in rotate(batch_size):
            bar.update(moved)
    left = sum(count_stale(current).values())
    click.echo(f"{total - left} rows re-encrypted; {left} left on old keys")


def configure_rotation(app: Flask) -> None:
    """Register `rotate-key`."""
    app.cli.add_command(rotate_key_command)
