"""discovery: document locations, current URL after a move, link verdicts

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current_url", sa.String(), nullable=True))
    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("agency", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("last_url", sa.String(), nullable=True),
        sa.Column("first_seen_at", store.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_location_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_location_url"), ["url"], unique=True)
    # Every existing document is known at its own URL.
    op.execute(
        "INSERT INTO location (document_id, url, source, agency, fingerprint, version_id, "
        "last_url, first_seen_at) "
        "SELECT d.id, d.url, d.source, d.agency, d.fingerprint, "
        "(SELECT max(v.id) FROM version v WHERE v.document_id = d.id), d.url, d.first_seen_at "
        "FROM document d"
    )
    op.create_table(
        "link_verdict",
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("checked_at", store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("url"),
    )


def downgrade() -> None:
    op.drop_table("link_verdict")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_url"))
        batch_op.drop_index(batch_op.f("ix_location_document_id"))
    op.drop_table("location")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("current_url")
