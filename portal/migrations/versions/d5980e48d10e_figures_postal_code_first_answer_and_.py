"""figures: postal code, first answer and decision

Revision ID: d5980e48d10e
Revises: d7f0cc6d06ee
Create Date: 2026-12-02 05:47:25.445751
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d5980e48d10e"
down_revision = "d7f0cc6d06ee"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("postal_code", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("first_contact_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("contact_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decision_days", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_requests_figures",
            [
                "centre_slug",
                "created_at",
                "kind",
                "status",
                "close_reason",
                "postal_code",
                "first_contact_on",
                "due_date",
                "contact_days",
                "decision_days",
            ],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("ix_requests_figures")
        batch_op.drop_column("decision_days")
        batch_op.drop_column("decided_on")
        batch_op.drop_column("contact_days")
        batch_op.drop_column("first_contact_on")
        batch_op.drop_column("postal_code")
