"""Read-only queries for the web view: paged, indexed, never loading what a page does not show.

``ReadStore`` opens its own engine whose connections refuse writes (SQLite ``query_only``,
PostgreSQL ``default_transaction_read_only``), and never migrates: `serve` writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from monitor.errors import StoreError
from store.db import HEAD_REVISION, create_engine, current_revision
from store.tables import Commitment, Document, EventRecord, Location, SourceState, Version

Row = sa.Row[*tuple[Any, ...]]  # a row of any columns, read by name

_EVENT = EventRecord.__table__  # type: ignore[attr-defined]
_DOCUMENT = Document.__table__  # type: ignore[attr-defined]
_LOCATION = Location.__table__  # type: ignore[attr-defined]
_VERSION = Version.__table__  # type: ignore[attr-defined]
_COMMITMENT = Commitment.__table__  # type: ignore[attr-defined]
_SOURCE = SourceState.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Page:
    """One page of rows; ``more`` says whether a next page exists (no COUNT over the table)."""

    rows: list[Row]
    more: bool


@dataclass(frozen=True)
class EventFilter:
    agency: str | None = None
    source: str | None = None
    type: str | None = None
    document_id: int | None = None


@dataclass(frozen=True)
class DocumentFilter:
    agency: str | None = None
    doc_type: str | None = None
    status: str | None = None
    q: str | None = None  # words in the title or the latest text


@dataclass(frozen=True)
class LedgerFilter:
    pillar: int | None = None
    status: str | None = None
    agency: str | None = None
    document_id: int | None = None


def read_only_engine(url: str) -> sa.Engine:
    """An engine on ``url`` whose every connection refuses to write."""
    engine = create_engine(url)
    sqlite = url.startswith("sqlite")

    @sa.event.listens_for(engine, "connect")
    def _read_only(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if sqlite:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_connection.commit()
        cursor.close()

    return engine


class ReadStore:
    """What the web view reads. Thread-safe: each call takes a pooled connection."""

    def __init__(self, url: str) -> None:
        database = sa.engine.make_url(url).database if url.startswith("sqlite") else None
        if database and database != ":memory:" and not Path(database).exists():
            raise StoreError(f"no database at {database}: run `python -m monitor check` once")
        self.engine = read_only_engine(url)
        revision = current_revision(self.engine)
        if revision != HEAD_REVISION:
            self.engine.dispose()
            raise StoreError(
                f"the database is at revision {revision or 'none'}, not {HEAD_REVISION}: "
                "run `python -m monitor check` once to create or migrate it"
            )

    def close(self) -> None:
        self.engine.dispose()

    def _all(self, query: sa.Executable) -> list[Row]:
        with self.engine.connect() as connection:
            return list(connection.execute(query))

    def _page(self, query: sa.Select[Any], limit: int, offset: int) -> Page:
        rows = self._all(query.limit(limit + 1).offset(offset))
        return Page(rows[:limit], len(rows) > limit)

    # -- events ----------------------------------------------------------------------------------

    def events(self, where: EventFilter, limit: int, offset: int = 0) -> Page:
        """A page of events, newest first: their ids through an index, then their rows.

        Finding the page reads no payload (the large column), however deep the page.
        """
        query = sa.select(_EVENT.c.id)
        for column, value in (
            ("agency", where.agency),
            ("source", where.source),
            ("type", where.type),
            ("document_id", where.document_id),
        ):
            if value is not None:
                query = query.where(_EVENT.c[column] == value)
        order = (_EVENT.c.detected_at.desc(), _EVENT.c.id)
        ids = [row[0] for row in self._all(query.order_by(*order).limit(limit + 1).offset(offset))]
        rows = self._all(sa.select(_EVENT).where(_EVENT.c.id.in_(ids)).order_by(*order))
        return Page(rows[:limit], len(rows) > limit)

    def event(self, event_id: str) -> Row | None:
        rows = self._all(sa.select(_EVENT).where(_EVENT.c.id == event_id))
        return rows[0] if rows else None

    # -- documents -------------------------------------------------------------------------------

    def documents(self, where: DocumentFilter, limit: int, offset: int = 0) -> Page:
        query = sa.select(_DOCUMENT)
        for column, value in (
            ("agency", where.agency),
            ("doc_type", where.doc_type),
            ("status", where.status),
        ):
            if value is not None:
                query = query.where(_DOCUMENT.c[column] == value)
        if where.q:
            query = query.where(_matches(where.q, self.engine.dialect.name == "sqlite"))
        query = query.order_by(_DOCUMENT.c.last_changed_at.desc(), _DOCUMENT.c.id.desc())
        return self._page(query, limit, offset)

    def document(self, document_id: int) -> Row | None:
        rows = self._all(sa.select(_DOCUMENT).where(_DOCUMENT.c.id == document_id))
        return rows[0] if rows else None

    def locations(self, document_id: int) -> list[Row]:
        query = sa.select(_LOCATION).where(_LOCATION.c.document_id == document_id)
        return self._all(query.order_by(_LOCATION.c.id))

    def versions(self, document_id: int) -> list[Row]:
        """Every version's facts, without its text (only its length)."""
        query = sa.select(
            _VERSION.c.number,
            _VERSION.c.fetched_at,
            _VERSION.c.fingerprint,
            sa.func.length(_VERSION.c.text).label("characters"),
            _VERSION.c.fetched_url,
            _VERSION.c.extractor,
        ).where(_VERSION.c.document_id == document_id)
        return self._all(query.order_by(_VERSION.c.number))

    def version_texts(self, document_id: int, numbers: Iterable[int]) -> dict[int, str]:
        query = sa.select(_VERSION.c.number, _VERSION.c.text).where(
            _VERSION.c.document_id == document_id, _VERSION.c.number.in_(list(numbers))
        )
        return {row[0]: row[1] for row in self._all(query)}

    def documents_at(self, urls: Sequence[str]) -> dict[str, int]:
        """Canonical URL -> id of the document known there (for links between documents)."""
        if not urls:
            return {}
        query = sa.select(_LOCATION.c.url, _LOCATION.c.document_id).where(
            _LOCATION.c.url.in_(list(urls))
        )
        found: dict[str, int] = {row[0]: row[1] for row in self._all(query)}
        query = sa.select(_DOCUMENT.c.current_url, _DOCUMENT.c.id).where(
            _DOCUMENT.c.current_url.in_([u for u in urls if u not in found])
        )
        return found | {row[0]: row[1] for row in self._all(query)}

    # -- the ledger and the sources --------------------------------------------------------------

    def ledger(self, where: LedgerFilter, limit: int, offset: int = 0) -> Page:
        query = sa.select(_COMMITMENT, *_document_columns()).join(
            _DOCUMENT, _DOCUMENT.c.id == _COMMITMENT.c.document_id
        )
        for column, value in (
            (_COMMITMENT.c.pillar, where.pillar),
            (_COMMITMENT.c.status, where.status),
            (_DOCUMENT.c.agency, where.agency),
            (_COMMITMENT.c.document_id, where.document_id),
        ):
            if value is not None:
                query = query.where(column == value)
        query = query.order_by(_COMMITMENT.c.document_id, _COMMITMENT.c.id)
        return self._page(query, limit, offset)

    def sources(self) -> list[Row]:
        return self._all(sa.select(_SOURCE).order_by(_SOURCE.c.name))

    def documents_per_source(self) -> dict[str, int]:
        query = sa.select(_LOCATION.c.source, sa.func.count(sa.distinct(_LOCATION.c.document_id)))
        return {row[0]: row[1] for row in self._all(query.group_by(_LOCATION.c.source))}

    def agencies(self) -> list[str]:
        query = sa.select(_DOCUMENT.c.agency).distinct().order_by(_DOCUMENT.c.agency)
        return [row[0] for row in self._all(query)]

    def doc_types(self) -> list[str]:
        query = sa.select(_DOCUMENT.c.doc_type).distinct().order_by(_DOCUMENT.c.doc_type)
        return [row[0] for row in self._all(query)]


def _document_columns() -> Sequence[sa.Label[Any]]:
    """The document's fields a ledger row shows, prefixed so they never shadow a commitment's."""
    names = ("url", "current_url", "title", "agency", "published")
    return [_DOCUMENT.c[name].label(f"document_{name}") for name in names]


def _matches(q: str, sqlite: bool) -> sa.ColumnElement[bool]:
    """Every word of ``q`` in the title, or in the latest version's text (LIKE, escaped).

    SQLite's LIKE ignores ASCII case already; ILIKE would lower() every text first.
    """
    latest_text = (
        sa.select(_VERSION.c.text)
        .where(
            _VERSION.c.document_id == _DOCUMENT.c.id,
            _VERSION.c.number == _DOCUMENT.c.version_count,
        )
        .scalar_subquery()
    )
    clauses = []
    for word in q.split()[:8]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        if sqlite:
            found = [c.like(pattern, escape="\\") for c in (_DOCUMENT.c.title, latest_text)]
        else:
            found = [c.ilike(pattern, escape="\\") for c in (_DOCUMENT.c.title, latest_text)]
        clauses.append(sa.or_(*found))
    return sa.and_(*clauses)
