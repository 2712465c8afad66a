"""indexes for the web view: events newest first (by type, by source), documents by change

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_event_detected_at", "event", ["detected_at"]),
    ("ix_event_type_detected_at", "event", ["type", "detected_at"]),
    ("ix_event_source_detected_at", "event", ["source", "detected_at"]),
    ("ix_document_last_changed_at", "document", ["last_changed_at"]),
    ("ix_document_agency", "document", ["agency"]),
    ("ix_document_doc_type", "document", ["doc_type"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
