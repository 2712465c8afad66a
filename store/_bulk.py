"""Many rows in one statement: the loads and writes behind ``store.batch``."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from monitor.models import Validators
from store.tables import Document, HttpCache, Location, SourceState

CHUNK = 500  # keys per IN (...) query: well under every driver's parameter limit
Row = TypeVar("Row", bound=SQLModel)


def load(session: Session, model: type[Row], key: str, values: Iterable[str | int]) -> list[Row]:
    keys = list(dict.fromkeys(values))
    column = getattr(model, key)
    rows: list[Row] = []
    for start in range(0, len(keys), CHUNK):
        rows.extend(session.exec(select(model).where(col(column).in_(keys[start : start + CHUNK]))))
    return rows


def load_found(
    session: Session, locations: Iterable[str]
) -> dict[str, tuple[Document, Location] | None]:
    """What ``Store.find`` answers for each location (None: not known there)."""
    keys = list(dict.fromkeys(locations))
    found: dict[str, tuple[Document, Location] | None] = dict.fromkeys(keys)
    for start in range(0, len(keys), CHUNK):
        query = (
            select(Document, Location)
            .join(Location, col(Location.document_id) == col(Document.id))
            .where(col(Location.url).in_(keys[start : start + CHUNK]))
        )
        for document, location in session.exec(query):
            found[location.url] = (document, location)
    return found


def load_validators(session: Session, urls: Iterable[str]) -> dict[str, Validators]:
    return {
        row.url: Validators(row.etag, row.last_modified)
        for row in load(session, HttpCache, "url", urls)
    }


def load_states(session: Session, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Source states as column values (SQLModel objects are slow to build and to set)."""
    return {row.name: row.model_dump() for row in load(session, SourceState, "name", names)}


def touch(
    session: Session, seen: dict[tuple[int, str], tuple[str | None, str | None, datetime]]
) -> None:
    """``mark_seen`` without news, many at once.

    (document id, canonical location) -> (location status, last URL, when): the document was
    seen then, and its location (if it is that document's) takes the status and URL given.
    """
    if not seen:
        return
    documents, locations = _table(Document), _table(Location)
    session.connection().execute(
        sa.update(documents)
        .where(documents.c.id == sa.bindparam("seen_id"))
        .values(last_seen_at=sa.bindparam("seen_at")),
        [{"seen_id": doc, "seen_at": at} for (doc, _), (_, _, at) in seen.items()],
    )
    session.connection().execute(
        sa.update(locations)
        .where(
            locations.c.url == sa.bindparam("seen_url"),
            locations.c.document_id == sa.bindparam("seen_id"),
        )
        .values(
            status=sa.func.coalesce(sa.bindparam("new_status"), locations.c.status),
            last_url=sa.func.coalesce(sa.bindparam("new_url"), locations.c.last_url),
        ),
        [
            {"seen_url": url, "seen_id": doc, "new_status": status, "new_url": last}
            for (doc, url), (status, last, _) in seen.items()
        ],
    )


def put_all_validators(session: Session, rows: dict[str, tuple[Validators, datetime]]) -> None:
    upsert(
        session,
        HttpCache,
        "url",
        [
            {"url": url, "etag": v.etag, "last_modified": v.last_modified, "updated_at": at}
            for url, (v, at) in rows.items()
        ],
    )


def upsert(session: Session, model: type[SQLModel], key: str, rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE, all rows in one executemany."""
    if not rows:
        return
    dialect = session.connection().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        for row in rows:  # other databases: the ORM's own merge, row by row
            session.merge(model(**row))
        return
    names = [name for name in rows[0] if name != key]
    statement = _upsert_statement(dialect, _table(model), key, tuple(names))
    session.connection().execute(statement, rows)


@functools.cache  # built once per table: building it cost more than a one-row upsert
def _upsert_statement(dialect: str, table: sa.Table, key: str, names: tuple[str, ...]) -> sa.Insert:
    # The dialect's own insert (for ON CONFLICT), imported only for the database in use:
    # the PostgreSQL dialect alone takes ~25 ms to import.
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        lite = sqlite.insert(table)
        updates = {name: lite.excluded[name] for name in names}
        return lite.on_conflict_do_update(index_elements=[key], set_=updates)
    from sqlalchemy.dialects import postgresql

    pg = postgresql.insert(table)
    updates = {name: pg.excluded[name] for name in names}
    return pg.on_conflict_do_update(index_elements=[key], set_=updates)


def _table(model: type[SQLModel]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table
