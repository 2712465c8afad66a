"""The documents half of the store: documents, their locations and versions."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
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
    """Changes to a document that come with or without a new version."""

    status: str | None = None  # "active" or "removed"
    current_url: str | None = None
    new_locations: tuple[str, ...] = ()  # canonical URLs it is now also known at
    # What the new locations serve: the fingerprint and version of the location they mirror.
    served: tuple[str | None, int | None] = (None, None)


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

    def versions(self, document_id: int) -> list[Version]:
        with self.session() as session:
            query = select(Version).where(Version.document_id == document_id)
            return list(session.exec(query.order_by(col(Version.number))))

    def version_text(self, version_id: int | None) -> str | None:
        with self.session() as session:
            version = session.get(Version, version_id) if version_id is not None else None
            return version.text if version else None

    def titles(self) -> list[tuple[int, str]]:
        """(id, title) of every active document: the cheap first look for twins."""
        with self.session() as session:
            query = select(Document.id, Document.title).where(Document.status == "active")
            return [(id_, title) for id_, title in session.exec(query) if id_ is not None]

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
            served = (new.fingerprint, version.id)
            _put_location(
                session,
                document,
                new.location,
                served,
                now,
                (new.source, new.agency),
                new.requested_url or new.fetched_url,
            )
            update = update or DocumentUpdate()
            _apply(
                session,
                document,
                DocumentUpdate(update.status, update.current_url, update.new_locations, served),
                now,
            )
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
            row = session.exec(select(Location).where(Location.url == canonical)).first()
            if row is not None:
                row.last_url = asked
                session.add(row)
            _apply(session, document, update or DocumentUpdate(), now)
            put_validators(session, asked, validators, now)
            add_events(session, events, channels, now, document_id)

    def update_document(
        self,
        document_id: int,
        now: datetime,
        update: DocumentUpdate,
        events: tuple[Event, ...] | list[Event] = (),
        channels: ChannelSelector = lambda event: (),
    ) -> None:
        with self.session() as session, session.begin():
            document = session.get(Document, document_id)
            assert document is not None
            _apply(session, document, update, now)
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


def _put_location(
    session: Session,
    document: Document,
    url: str,
    served: tuple[str | None, int | None],
    now: datetime,
    publisher: tuple[str, str] | None = None,
    asked: str | None = None,
) -> None:
    assert document.id is not None
    row = session.exec(select(Location).where(Location.url == url)).first() or Location(
        document_id=document.id,
        url=url,
        source=document.source,
        agency=document.agency,
        first_seen_at=now,
    )
    if publisher is not None:
        row.source, row.agency = publisher
    row.fingerprint, row.version_id = served
    row.last_url = asked or row.last_url
    session.add(row)


def _apply(session: Session, document: Document, update: DocumentUpdate, now: datetime) -> None:
    if update.status:
        document.status = update.status
    if update.current_url:
        document.current_url = update.current_url
    for url in update.new_locations:
        _put_location(session, document, url, update.served, now)
    session.add(document)
