"""Document ids handed out before their rows are written: the database's own, reserved.

A batch buffers a new document's first version like any other (one transaction for many, its
body compressed meanwhile), yet the pass needs the document's id at once. PostgreSQL reserves it
from the table's sequence, as its own INSERT would (replicas never share one). SQLite has no
sequence: its next rowid is the largest plus one, and one process at a time writes a SQLite
store (``store.locks``), so the largest id is read once, and again after each of the batch's
flushes (the store's own operations write after one), and counted up from there. A row another
connection writes meanwhile makes the flush fail, and the next pass finds the same documents
again.
"""

from __future__ import annotations

import sqlalchemy as sa

from store.tables import Document

_TABLE = Document.__table__  # type: ignore[attr-defined]


class DocumentIds:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._last: int | None = None  # SQLite: the last id reserved, None: read the largest

    def reserve(self) -> int:
        if self._engine.dialect.name == "postgresql":
            sequence = sa.func.pg_get_serial_sequence(_TABLE.name, "id")
            with self._engine.connect() as connection:
                return int(connection.execute(sa.select(sa.func.nextval(sequence))).scalar_one())
        if self._last is None:
            with self._engine.connect() as connection:
                self._last = connection.execute(sa.select(sa.func.max(_TABLE.c.id))).scalar() or 0
        self._last += 1
        return self._last

    def written(self) -> None:
        """The reserved ids are written (or lost): others may write documents now."""
        self._last = None
