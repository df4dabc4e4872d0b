"""blind index of people

Revision ID: e137a18fa3e4
Revises: d5980e48d10e
Create Date: 2026-12-02 05:52:40.916884
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e137a18fa3e4"
down_revision = "d5980e48d10e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_identifiers_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_identifiers")),
    )
    with op.batch_alter_table("request_identifiers", schema=None) as batch_op:
        batch_op.create_index("ix_request_identifiers_digest", ["kind", "digest"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_request_identifiers_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("request_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_identifiers_request_id"))
        batch_op.drop_index("ix_request_identifiers_digest")

    op.drop_table("request_identifiers")
