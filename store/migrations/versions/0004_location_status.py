"""location status: a copy can be gone, or moved, while the document lives on elsewhere

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(), nullable=False, server_default="active")
        )
    # A removed document's locations are all gone.
    op.execute(
        "UPDATE location SET status = 'gone' WHERE document_id IN "
        "(SELECT id FROM document WHERE status = 'removed')"
    )


def downgrade() -> None:
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_column("status")
