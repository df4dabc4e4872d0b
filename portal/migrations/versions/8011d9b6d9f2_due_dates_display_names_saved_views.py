"""due dates, display names, saved views

Revision ID: 8011d9b6d9f2
Revises: c4e1d7a9b2f3
Create Date: 2026-12-02 05:20:06.468312
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import sqlalchemy as sa
from alembic import op

revision = "8011d9b6d9f2"
down_revision = "c4e1d7a9b2f3"
branch_labels = None
depends_on = None

# Requests stored before due dates existed get the date they would have had. The
# arithmetic is written out here (not imported) so this migration keeps meaning what it
# meant when the code around it changes.
ZONE = ZoneInfo("Europe/Warsaw")
CLOSING = time(15, 0)
FALLBACK_ANSWER_DAYS = 10


def _working(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays.country_holidays("PL", years=day.year)


def _next_working(day: date) -> date:
    while not _working(day):
        day += timedelta(days=1)
    return day


def _due(created: datetime, answer_days: int, urgent: bool) -> date:
    local = created.replace(tzinfo=UTC).astimezone(ZONE)
    day = local.date() + timedelta(days=1 if local.time() >= CLOSING else 0)
    day = _next_working(day)
    for _ in range(0 if urgent else answer_days):
        day = _next_working(day + timedelta(days=1))
    return day


def _answer_days() -> dict[str, int]:
    """Each centre's `answer_days`, when the migration runs inside the app (init-db)."""
    try:
        from flask import current_app

        centres: Any = current_app.extensions.get("portal.centres") or []
    except RuntimeError:  # no app: every request gets the fallback
        return {}
    return {centre.slug: int(centre.answer_days) for centre in centres}


def _backfill_due_dates() -> None:
    bind = op.get_bind()
    days = _answer_days()
    rows = bind.execute(sa.text("SELECT id, centre_slug, urgent, created_at FROM requests"))
    for rid, centre, urgent, created in rows.fetchall():
        if isinstance(created, str):  # SQLite hands back text
            created = datetime.fromisoformat(created)
        due = _due(created, days.get(centre, FALLBACK_ANSWER_DAYS), bool(urgent))
        bind.execute(
            sa.text("UPDATE requests SET due_date = :due WHERE id = :id"), {"due": due, "id": rid}
        )


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("query", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_saved_views_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("user_id", "name", name="uq_saved_views_user_name"),
    )
    with op.batch_alter_table("saved_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_views_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
    _backfill_due_dates()
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.alter_column("due_date", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(
            "ix_requests_due", ["centre_slug", "status", "due_date", "id"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        # Existing accounts have no name yet: the panel shows their e-mail until one is set.
        batch_op.add_column(
            sa.Column("display_name", sa.String(length=80), nullable=False, server_default="")
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "display_name", existing_type=sa.String(length=80), server_default=None
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("display_name")

    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("ix_requests_due")
        batch_op.drop_column("due_date")

    with op.batch_alter_table("saved_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_views_user_id"))

    op.drop_table("saved_views")
