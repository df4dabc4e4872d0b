"""Saved drafts of a form ("finish later")

Revision ID: c4e1d7a9b2f3
Revises: 2e1713b8aeeb
Create Date: 2026-12-02 06:17:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4e1d7a9b2f3"
down_revision = "2e1713b8aeeb"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("centre_slug", sa.String(length=40), nullable=False),
        sa.Column("form", sa.String(length=40), nullable=False),
        sa.Column("form_key", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_drafts")),
    )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drafts_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_drafts_form_key"), ["form_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drafts_form_key"))
        batch_op.drop_index(batch_op.f("ix_drafts_expires_at"))
    op.drop_table("drafts")
