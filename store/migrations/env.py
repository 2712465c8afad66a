"""Alembic environment: runs on the connection the store hands over (never on its own URL)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)


def _render_item(kind: str, obj: Any, _context: Any) -> str | Literal[False]:
    # Migrations name plain SQLAlchemy types, so they never import SQLModel internals.
    if kind == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs batch ALTERs
    render_item=_render_item,
)
with context.begin_transaction():
    context.run_migrations()
