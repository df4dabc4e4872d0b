"""Files get an optional label and the question they answer; held files their centre.

Revision ID: 972d826b5b32
Revises: d1e8c760745e
Create Date: 2026-12-02 08:11:38.650628
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "972d826b5b32"
down_revision = "d1e8c760745e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("question", sa.String(length=40), nullable=True))

    with op.batch_alter_table("held_uploads", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("centre_slug", sa.String(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("question", sa.String(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("label", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "created_at",
                sa.DateTime(),
                server_default=sa.func.now(),
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("held_uploads", schema=None) as batch_op:
        batch_op.drop_column("created_at")
        batch_op.drop_column("label")
        batch_op.drop_column("question")
        batch_op.drop_column("centre_slug")

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_column("question")
        batch_op.drop_column("label")
