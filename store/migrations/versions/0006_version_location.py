"""version location: a version belongs to the location it was fetched at

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_version_location"), ["location"], unique=False)
    # Best effort for versions recorded before: the location that served it last, else the one
    # it was fetched at, else the document's own (a copy joined before never shows as an edit
    # once its next version is recorded: that one carries its location).
    op.execute(
        "UPDATE version SET location = COALESCE("
        "(SELECT l.url FROM location l WHERE l.version_id = version.id "
        "ORDER BY (l.status = 'moved'), l.id LIMIT 1), "
        "(SELECT l.url FROM location l WHERE l.document_id = version.document_id "
        "AND (l.url = version.fetched_url OR l.last_url = version.fetched_url) "
        "ORDER BY (l.status = 'moved'), l.id LIMIT 1), "
        "(SELECT d.url FROM document d WHERE d.id = version.document_id))"
    )


def downgrade() -> None:
    with op.batch_alter_table("version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_version_location"))
        batch_op.drop_column("location")
