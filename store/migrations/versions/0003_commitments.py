"""commitments: the ledger of commitments and accomplishments per document

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("pillar", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.String(), nullable=True),
        sa.Column("amounts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", store.tables.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", store.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "fingerprint"),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_document_id"), ["document_id"])
        batch_op.create_index(batch_op.f("ix_commitment_pillar"), ["pillar"])
        batch_op.create_index(batch_op.f("ix_commitment_status"), ["status"])


def downgrade() -> None:
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_status"))
        batch_op.drop_index(batch_op.f("ix_commitment_pillar"))
        batch_op.drop_index(batch_op.f("ix_commitment_document_id"))
    op.drop_table("commitment")
