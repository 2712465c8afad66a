"""Document ids handed out before their rows are written: the database's own, reserved.

A batch buffers a new document's first version like any other (one transaction for many, its
body compressed meanwhile), yet the pass needs the document's id at once. PostgreSQL reserves it
from the table's sequence, as its own INSERT would (replicas never share one). SQLite has no
sequence: its next rowid is the largest plus one, and one process at a time writes a SQLite
store (``store.locks``), so the next id is the larger of that and the last one reserved, plus
one. A row another connection writes meanwhile makes the flush fail, and the next pass finds
the same documents again.
"""

from __future__ import annotations

import sqlalchemy as sa

from store.tables import Document

_TABLE = Document.__table__  # type: ignore[attr-defined]


class DocumentIds:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._last = 0  # the last id reserved (SQLite)

    def reserve(self) -> int:
        with self._engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                sequence = sa.func.pg_get_serial_sequence(_TABLE.name, "id")
                reserved = connection.execute(sa.select(sa.func.nextval(sequence))).scalar_one()
                return int(reserved)
            largest = connection.execute(sa.select(sa.func.max(_TABLE.c.id))).scalar()
        self._last = max(self._last, largest or 0) + 1
        return self._last
