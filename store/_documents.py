"""The documents half of the store: documents, their locations and versions."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from monitor.models import Page, Routed, Validators
from store._bulk import load, put_all_validators
from store._values import DocumentUpdate, Openings
from store._writes import add_events, put_validators
from store.db import Part
from store.tables import Document, Location, Version


@dataclass(frozen=True)
class NewVersion:
    """Text fetched from one location that differs from what that location served before."""

    source: str
    agency: str
    location: str  # canonical URL it was fetched at; a new document takes it as its identity
    page: Page
    fingerprint: str
    raw_body: bytes
    fetched_url: str  # where the body came from (after redirects)
    validators: Validators
    requested_url: str = ""  # the URL asked for, which the validators belong to
    compressed_body: bytes | None = None  # compress_body(raw_body), when the fetcher did it


class DocumentStore(Part):
    def find(self, location: str) -> tuple[Document, Location] | None:
        """The document known at this canonical URL, and that location."""
        with self.session() as session:
            row = session.exec(
                select(Document, Location)
                .join(Location, col(Location.document_id) == col(Document.id))
                .where(Location.url == location)
            ).first()
        return (row[0], row[1]) if row else None

    def document(self, url: str) -> Document | None:
        found = self.find(url)
        return found[0] if found else None

    def documents(self, source: str | None = None) -> list[Document]:
        with self.session() as session:
            query = select(Document).order_by(col(Document.id))
            if source is not None:
                query = query.where(Document.source == source)
            return list(session.exec(query))

    def locations(self, document_id: int) -> list[Location]:
        with self.session() as session:
            query = select(Location).where(Location.document_id == document_id)
            return list(session.exec(query.order_by(col(Location.id))))

    def watched(self, source: str) -> list[tuple[str, str]]:
        """(address to ask, title) of every location ``source`` found that has not moved on."""
        with self.session() as session:
            rows = session.exec(
                select(Location, Document.title)
                .join(Document, col(Location.document_id) == col(Document.id))
                .where(Location.source == source, Location.status != "moved")
                .order_by(col(Location.id))
            )
            return [(location.last_url or location.url, title) for location, title in rows]

    def versions(self, document_id: int) -> list[Version]:
        with self.session() as session:
            query = select(Version).where(Version.document_id == document_id)
            return list(session.exec(query.order_by(col(Version.number))))

    def version_text(self, version_id: int | None) -> str | None:
        found = self.numbered_text(version_id)
        return found[1] if found else None

    def numbered_text(self, version_id: int | None) -> tuple[int, str] | None:
        """A version's number and text (nothing else of it is read)."""
        if version_id is None:
            return None
        with self.session() as session:
            row = session.exec(
                select(Version.number, Version.text).where(Version.id == version_id)
            ).first()
        return (row[0], row[1]) if row else None

    def location_versions(self, document_id: int, location: str) -> list[Version]:
        """The versions fetched at one location of a document (or moved with it), oldest first."""
        with self.session() as session:
            query = select(Version).where(
                Version.document_id == document_id, Version.location == location
            )
            return list(session.exec(query.order_by(col(Version.number))))

    def home_location(self, document_id: int) -> str | None:
        """The document's own location: where its first version was fetched (or moved to).

        A copy found at another address never holds the first version.
        """
        with self.session() as session:
            return session.exec(
                select(Version.location)
                .where(Version.document_id == document_id, col(Version.location).is_not(None))
                .order_by(col(Version.number))
                .limit(1)
            ).first()

    def openings(self, chars: int) -> Openings:
        """id -> (title, first ``chars`` of the latest text) of every document, removed ones too.

        The cheap first look for twins: one query, however many documents there are.
        """
        latest = (
            select(Version.document_id, sa.func.max(Version.number).label("number"))
            .group_by(col(Version.document_id))
            .subquery()
        )
        query = (
            select(Document.id, Document.title, sa.func.substr(Version.text, 1, chars))
            .join(Version, col(Version.document_id) == col(Document.id))
            .join(
                latest,
                sa.and_(
                    latest.c.document_id == col(Version.document_id),
                    latest.c.number == col(Version.number),
                ),
            )
        )
        with self.session() as session:
            rows = session.exec(query)
            return Openings(
                (id_, (title, opening)) for id_, title, opening in rows if id_ is not None
            )

    def latest_text(self, document_id: int) -> tuple[Document, str] | None:
        """The document and the text of its newest version (that text alone is read)."""
        with self.session() as session:
            document = session.get(Document, document_id)
            text = session.exec(
                select(Version.text)
                .where(Version.document_id == document_id)
                .order_by(col(Version.number).desc())
                .limit(1)
            ).first()
        return (document, text) if document and text is not None else None

    def save_version(
        self,
        new: NewVersion,
        now: datetime,
        events: Sequence[Routed] = (),
        update: DocumentUpdate | None = None,
        document_id: int | None = None,
    ) -> Document:
        """Record a version (of ``document_id``, or a new document), its events, atomically."""
        with self.session() as session, session.begin():
            document = session.get(Document, document_id) if document_id else None
            write = VersionWrite(document, new, now, tuple(events), update)
            return write_versions(session, [write])[0]

    def mark_seen(
        self,
        document_id: int,
        location: tuple[str, str],
        validators: Validators,
        now: datetime,
        update: DocumentUpdate | None = None,
        events: Sequence[Routed] = (),
    ) -> None:
        """``location`` (canonical, asked-for URL) answered with the text we hold, or 304."""
        canonical, asked = location
        with self.session() as session, session.begin():
            document = session.get(Document, document_id)
            assert document is not None
            document.last_seen_at = now
            row = _location(session, canonical)
            served = (row.fingerprint, row.version_id) if row else (None, None)
            _apply(session, document, row, replace(update or DocumentUpdate(), served=served), now)
            put_validators(session, asked, validators, now)
            add_events(session, events, now, document_id)

    def update_document(
        self,
        document_id: int,
        now: datetime,
        update: DocumentUpdate,
        events: Sequence[Routed] = (),
        location: str | None = None,
    ) -> None:
        """Apply ``update`` to the document (and to ``location``, its canonical URL, if given)."""
        with self.session() as session, session.begin():
            document = session.get(Document, document_id)
            assert document is not None
            row = _location(session, location) if location else None
            _apply(session, document, row, update, now)
            add_events(session, events, now, document_id)


@dataclass(frozen=True)
class VersionWrite:
    """One ``save_version``: the document (``None``: a new one) and what to record for it."""

    document: Document | None
    new: NewVersion
    now: datetime
    events: tuple[Routed, ...] = ()
    update: DocumentUpdate | None = None
    compressed_body: bytes | None = None  # compress_body(new.raw_body), when already done


def write_versions(
    session: Session,
    writes: Sequence[VersionWrite],
    locations: dict[str, Location] | None = None,
) -> list[Document]:
    """``save_version``'s writes for several versions, with one flush per step.

    Several writes may share a document (its copies at other addresses: they are numbered in
    order), but no two may share a location or a validators URL: write those one at a time.
    ``locations`` receives the location rows read and written, by URL.
    """
    documents, numbers = [], []
    for w in writes:
        document = _upsert_document(session, w.document, w.new, w.now, _update_of(w).copy)
        documents.append(document)
        numbers.append(document.version_count)  # this write's number, before the next one's
    session.flush()  # the new documents' ids
    version_ids = _insert_versions(session, documents, numbers, writes)
    urls = [url for w in writes for url in (w.new.location, *_update_of(w).new_locations)]
    known = {row.url: row for row in load(session, Location, "url", urls)}
    for document, version_id, w in zip(documents, version_ids, writes, strict=True):
        update = replace(_update_of(w), served=(w.new.fingerprint, version_id))
        row = _put_location(
            session, document, w.new.location, (w.new.source, w.new.agency), w.now, known
        )
        row.fingerprint, row.version_id = update.served
        _apply(session, document, row, update, w.now, known)
        add_events(session, w.events, w.now, document.id)
    # Validators with one INSERT ... ON CONFLICT for all (no ORM object per URL).
    asked = [w.new.requested_url or w.new.fetched_url for w in writes]
    put_all_validators(
        session, {url: (w.new.validators, w.now) for url, w in zip(asked, writes, strict=True)}
    )
    if locations is not None:
        locations.update(known)
    return documents


def compress_body(raw_body: bytes) -> bytes:
    """How a version keeps the response body it came from (zlib, for audit)."""
    return zlib.compress(raw_body, 6)


def _update_of(write: VersionWrite) -> DocumentUpdate:
    return write.update or DocumentUpdate()


def _upsert_document(
    session: Session, document: Document | None, new: NewVersion, now: datetime, copy: bool
) -> Document:
    page = new.page
    if document is None:
        document = new_document_row(new, now)
    if not copy:
        document.title = page.title or document.title
        document.doc_type = page.doc_type
        document.published = page.published or document.published
        document.fingerprint = new.fingerprint
    document.version_count += 1
    document.last_seen_at = document.last_changed_at = now
    session.add(document)
    return document


def new_document_row(new: NewVersion, now: datetime) -> Document:
    """The row of a document first seen as ``new``, before its first version is counted."""
    page = new.page
    return Document(
        url=new.location,
        source=new.source,
        agency=new.agency,
        title=page.title,
        doc_type=page.doc_type,
        published=page.published,
        fingerprint=new.fingerprint,
        current_url=new.fetched_url,
        version_count=0,
        first_seen_at=now,
        last_seen_at=now,
        last_changed_at=now,
    )


def _insert_versions(
    session: Session,
    documents: Sequence[Document],
    numbers: Sequence[int],
    writes: Sequence[VersionWrite],
) -> list[int]:
    """The versions' rows in one INSERT; their ids, in order.

    Rows, not ORM objects: nothing reads a version back in this transaction, and building a
    SQLModel object per version cost more than inserting it (~0.1 ms each).
    """
    rows = [
        _version_values(document, number, w)
        for document, number, w in zip(documents, numbers, writes, strict=True)
    ]
    if not rows:  # an empty parameter list would insert one row of defaults
        return []
    statement = sa.insert(Version).returning(col(Version.id), sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


def _version_values(document: Document, number: int, write: VersionWrite) -> dict[str, Any]:
    assert document.id is not None
    new = write.new
    body = write.compressed_body if write.compressed_body is not None else new.compressed_body
    return {
        "document_id": document.id,
        "number": number,
        "location": new.location,
        "fingerprint": new.fingerprint,
        "text": new.page.text,
        "raw_body": compress_body(new.raw_body) if body is None else body,
        "fetched_url": new.fetched_url,
        "extractor": new.page.extractor,
        "fetched_at": write.now,
    }


def _location(
    session: Session, url: str, known: dict[str, Location] | None = None
) -> Location | None:
    """The location row at ``url``: from ``known`` (rows already read) if given, else a query."""
    if known is not None:
        return known.get(url)
    return session.exec(select(Location).where(Location.url == url)).first()


def _put_location(
    session: Session,
    document: Document,
    url: str,
    publisher: tuple[str, str],
    now: datetime,
    known: dict[str, Location] | None = None,
) -> Location:
    """The document's location at ``url``, created for ``publisher`` when new."""
    assert document.id is not None
    row = _location(session, url, known)
    if row is None:
        source, agency = publisher
        row = Location(
            document_id=document.id, url=url, source=source, agency=agency, first_seen_at=now
        )
        if known is not None:
            known[url] = row
    session.add(row)
    return row


def _apply(
    session: Session,
    document: Document,
    row: Location | None,
    update: DocumentUpdate,
    now: datetime,
    known: dict[str, Location] | None = None,
) -> None:
    if update.status:
        document.status = update.status
    if update.current_url:
        document.current_url = update.current_url
    session.add(document)
    if row is None or row.document_id != document.id:
        return
    row.status = update.location_status or row.status
    row.last_url = update.last_url or row.last_url
    session.add(row)
    for url in update.new_locations:  # where the answering location moved to
        moved = _put_location(session, document, url, (row.source, row.agency), now, known)
        if moved.document_id == document.id:
            moved.fingerprint, moved.version_id = update.served
            moved.last_url, moved.status = update.last_url or moved.last_url, "active"
            # Its history moves with it: ``history`` of the new address lists the old versions.
            session.execute(
                sa.update(Version)
                .where(col(Version.document_id) == document.id, col(Version.location) == row.url)
                .values(location=url)
            )
