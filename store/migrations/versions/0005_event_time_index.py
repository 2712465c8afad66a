"""event.detected_at index: the web view and the Atom feed list events newest first

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_detected_at", "event", ["detected_at"])


def downgrade() -> None:
    op.drop_index("ix_event_detected_at", table_name="event")
