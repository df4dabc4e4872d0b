"""content revisions, publications and review policies

Revision ID: 2e1713b8aeeb
Revises: 18f03b63ab82
Create Date: 2026-12-02 05:21:54.397948
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "2e1713b8aeeb"
down_revision = "18f03b63ab82"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_policies",
        sa.Column("centre_slug", sa.String(length=63), nullable=False),
        sa.Column("review_required", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_content_policies_changed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("centre_slug", name=op.f("pk_content_policies")),
    )
    op.create_table(
        "content_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_slug", sa.String(length=63), nullable=False),
        sa.Column("filename", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("restored_from_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("review_requested_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_content_revisions_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_revisions")),
    )
    with op.batch_alter_table("content_revisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_content_revisions_file", ["centre_slug", "filename", "id"], unique=False
        )

    op.create_table(
        "content_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("centre_slug", sa.String(length=63), nullable=False),
        sa.Column("filename", sa.String(length=80), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_content_publications_published_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["content_revisions.id"],
            name=op.f("fk_content_publications_revision_id_content_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_publications")),
        sa.UniqueConstraint("revision_id", name=op.f("uq_content_publications_revision_id")),
    )
    with op.batch_alter_table("content_publications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_content_publications_file", ["centre_slug", "filename", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("content_publications", schema=None) as batch_op:
        batch_op.drop_index("ix_content_publications_file")

    op.drop_table("content_publications")
    with op.batch_alter_table("content_revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_content_revisions_file")

    op.drop_table("content_revisions")
    op.drop_table("content_policies")
