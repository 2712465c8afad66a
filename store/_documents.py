"""The documents half of the store: documents, their locations and versions."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from monitor.models import Event, Page, Validators
from store._writes import ChannelSelector, add_events, put_validators
from store.models import Document, Location, Version


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


@dataclass(frozen=True)
class DocumentUpdate:
    """Changes to a document, and to the location that answered, with or without a version."""

    status: str | None = None  # the document's: "active" or "removed"
    current_url: str | None = None
    new_locations: tuple[str, ...] = ()  # canonical URLs it is now also known at
    # What the new locations serve: the fingerprint and version of the location they mirror.
    served: tuple[str | None, int | None] = (None, None)
    location_status: str | None = None  # the answering location's: active, gone or moved
    last_url: str | None = None  # where the answering location answered: asked next time


class DocumentStore:
    engine: sa.Engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

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
        with self.session() as session:
            version = session.get(Version, version_id) if version_id is not None else None
            return version.text if version else None

    def openings(self, chars: int) -> list[tuple[int, str, str]]:
        """(id, title, first ``chars`` of the latest text) of every document, removed ones too.

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
            return [(id_, title, opening) for id_, title, opening in rows if id_ is not None]

    def latest_text(self, document_id: int) -> tuple[Document, str] | None:
        with self.session() as session:
            document = session.get(Document, document_id)
            version = session.exec(
                select(Version)
                .where(Version.document_id == document_id)
                .order_by(col(Version.number).desc())
            ).first()
        return (document, version.text) if document and version else None

    def save_version(
        self,
        new: NewVersion,
        now: datetime,
        events: tuple[Event, ...] | list[Event] = (),
        channels: ChannelSelector = lambda event: (),
        update: DocumentUpdate | None = None,
        document_id: int | None = None,
    ) -> Document:
        """Record a version (of ``document_id``, or a new document), its events, atomically."""
        with self.session() as session, session.begin():
            document = session.get(Document, document_id) if document_id else None
            document = _upsert_document(session, document, new, now)
            session.flush()
            assert document.id is not None
            version = _add_version(session, document, new, now)
            update = replace(update or DocumentUpdate(), served=(new.fingerprint, version.id))
            row = _put_location(session, document, new.location, (new.source, new.agency), now)
            row.fingerprint, row.version_id = update.served
            _apply(session, document, row, update, now)
            put_validators(session, new.requested_url or new.fetched_url, new.validators, now)
            add_events(session, events, channels, now, document.id)
        return document

    def mark_seen(
        self,
        document_id: int,
        location: tuple[str, str],
        validators: Validators,
        now: datetime,
        update: DocumentUpdate | None = None,
        events: tuple[Event, ...] | list[Event] = (),
        channels: ChannelSelector = lambda event: (),
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
            add_events(session, events, channels, now, document_id)

    def update_document(
        self,
        document_id: int,
        now: datetime,
        update: DocumentUpdate,
        events: tuple[Event, ...] | list[Event] = (),
        channels: ChannelSelector = lambda event: (),
        location: str | None = None,
    ) -> None:
        """Apply ``update`` to the document (and to ``location``, its canonical URL, if given)."""
        with self.session() as session, session.begin():
            document = session.get(Document, document_id)
            assert document is not None
            row = _location(session, location) if location else None
            _apply(session, document, row, update, now)
            add_events(session, events, channels, now, document_id)


def _upsert_document(
    session: Session, document: Document | None, new: NewVersion, now: datetime
) -> Document:
    page = new.page
    if document is None:
        document = Document(
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
    document.title = page.title or document.title
    document.doc_type = page.doc_type
    document.published = page.published or document.published
    document.fingerprint = new.fingerprint
    document.version_count += 1
    document.last_seen_at = document.last_changed_at = now
    session.add(document)
    return document


def _add_version(session: Session, document: Document, new: NewVersion, now: datetime) -> Version:
    assert document.id is not None
    version = Version(
        document_id=document.id,
        number=document.version_count,
        fingerprint=new.fingerprint,
        text=new.page.text,
        raw_body=zlib.compress(new.raw_body, 6),
        fetched_url=new.fetched_url,
        extractor=new.page.extractor,
        fetched_at=now,
    )
    session.add(version)
    session.flush()
    return version


def _location(session: Session, url: str) -> Location | None:
    return session.exec(select(Location).where(Location.url == url)).first()


def _put_location(
    session: Session, document: Document, url: str, publisher: tuple[str, str], now: datetime
) -> Location:
    """The document's location at ``url``, created for ``publisher`` when new."""
    assert document.id is not None
    row = _location(session, url)
    if row is None:
        source, agency = publisher
        row = Location(
            document_id=document.id, url=url, source=source, agency=agency, first_seen_at=now
        )
    session.add(row)
    return row


def _apply(
    session: Session,
    document: Document,
    row: Location | None,
    update: DocumentUpdate,
    now: datetime,
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
        moved = _put_location(session, document, url, (row.source, row.agency), now)
        if moved.document_id == document.id:
            moved.fingerprint, moved.version_id = update.served
            moved.last_url, moved.status = update.last_url or moved.last_url, "active"
