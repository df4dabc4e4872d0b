"""messages between centre and applicant

Revision ID: d7f0cc6d06ee
Revises: 8011d9b6d9f2
Create Date: 2026-12-02 05:33:42.783158
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d7f0cc6d06ee"
down_revision = "8011d9b6d9f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("form_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_messages_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_messages_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("request_id", "form_key", name="uq_messages_form_key"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_messages_request_id"), ["request_id"], unique=False)

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_attachments_message_id"), ["message_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_attachments_message_id_messages"),
            "messages",
            ["message_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("requests", schema=None) as batch_op:
        # Existing requests have no reply waiting; the default is only for them.
        batch_op.add_column(
            sa.Column("reply_waiting", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.alter_column("reply_waiting", existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_column("reply_waiting")

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_attachments_message_id_messages"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_attachments_message_id"))
        batch_op.drop_column("message_id")

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_request_id"))

    op.drop_table("messages")
