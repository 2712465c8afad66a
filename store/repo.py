"""The store's API: a few intent-named operations over the tables in ``store.models``."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from monitor.models import Event, Page, Validators
from store.db import create_engine, migrate
from store.models import Delivery, Document, EventRecord, HttpCache, SourceState, Version

ChannelSelector = Callable[[Event], Sequence[str]]


@dataclass(frozen=True)
class NewVersion:
    """Everything one fetched document changes, written in one transaction."""

    source: str
    agency: str
    url: str
    page: Page
    fingerprint: str
    raw_body: bytes
    fetched_url: str
    validators: Validators


class Store:
    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # -- reading -------------------------------------------------------------------------------

    def source_state(self, name: str) -> SourceState:
        with self.session() as session:
            return session.get(SourceState, name) or SourceState(name=name)

    def validators(self, url: str) -> Validators:
        with self.session() as session:
            row = session.get(HttpCache, url)
        return Validators(row.etag, row.last_modified) if row else Validators()

    def document(self, url: str) -> Document | None:
        with self.session() as session:
            return session.exec(select(Document).where(Document.url == url)).first()

    def versions(self, document_id: int) -> list[Version]:
        with self.session() as session:
            query = select(Version).where(Version.document_id == document_id)
            return list(session.exec(query.order_by(col(Version.number))))

    def latest_version(self, document_id: int) -> Version | None:
        with self.session() as session:
            query = select(Version).where(Version.document_id == document_id)
            return session.exec(query.order_by(col(Version.number).desc())).first()

    def events(self) -> list[EventRecord]:
        with self.session() as session:
            return list(session.exec(select(EventRecord).order_by(col(EventRecord.detected_at))))

    def documents(self, source: str | None = None) -> list[Document]:
        with self.session() as session:
            query = select(Document).order_by(col(Document.id))
            if source is not None:
                query = query.where(Document.source == source)
            return list(session.exec(query))

    # -- writing -------------------------------------------------------------------------------

    def save_version(
        self,
        new: NewVersion,
        now: datetime,
        events: Iterable[Event] = (),
        channels: ChannelSelector = lambda event: (),
    ) -> Document:
        """Record a new or changed document, its validators and its events, atomically."""
        with self.session() as session, session.begin():
            document = session.exec(select(Document).where(Document.url == new.url)).first()
            document = _upsert_document(session, document, new, now)
            session.flush()
            assert document.id is not None
            session.add(
                Version(
                    document_id=document.id,
                    number=document.version_count,
                    fingerprint=new.fingerprint,
                    text=new.page.text,
                    raw_body=zlib.compress(new.raw_body, 6),
                    fetched_url=new.fetched_url,
                    extractor=new.page.extractor,
                    fetched_at=now,
                )
            )
            _put_validators(session, new.url, new.validators, now)
            _add_events(session, events, channels, now, document.id)
        return document

    def mark_seen(self, url: str, validators: Validators, now: datetime) -> None:
        """A document answered with the text we already have (or 304)."""
        with self.session() as session, session.begin():
            session.execute(
                sa.update(Document).where(col(Document.url) == url).values(last_seen_at=now)
            )
            _put_validators(session, url, validators, now)

    def remember_validators(self, url: str, validators: Validators, now: datetime) -> None:
        with self.session() as session, session.begin():
            _put_validators(session, url, validators, now)

    def record_events(
        self, events: Iterable[Event], now: datetime, channels: ChannelSelector = lambda e: ()
    ) -> None:
        with self.session() as session, session.begin():
            _add_events(session, events, channels, now, None)

    def update_source(self, name: str, now: datetime, error: str | None) -> SourceState:
        """Record one check's outcome for a source; return the state before it."""
        with self.session() as session, session.begin():
            state = session.get(SourceState, name) or SourceState(name=name)
            before = SourceState.model_validate(state.model_dump())
            state.last_checked_at = now
            if error is None:
                state.baseline_done = True
                state.last_ok_at = now
                state.consecutive_failures = 0
                state.last_error = None
                state.error_reported = False
            else:
                state.consecutive_failures += 1
                state.last_error = error
            session.add(state)
        return before

    def set_error_reported(self, name: str) -> None:
        with self.session() as session, session.begin():
            state = session.get(SourceState, name)
            if state is not None:
                state.error_reported = True

    # -- the outbox ----------------------------------------------------------------------------

    def due_deliveries(self, now: datetime, channels: Sequence[str]) -> list[Delivery]:
        with self.session() as session:
            query = select(Delivery).where(
                Delivery.status == "pending",
                col(Delivery.next_attempt_at) <= now,
                col(Delivery.channel).in_(channels),
            )
            return list(session.exec(query.order_by(col(Delivery.id))))

    def claim_deliveries(
        self, now: datetime, channels: Sequence[str], lease: timedelta
    ) -> list[Delivery]:
        """Take the due deliveries of ``channels`` for ``lease``; other replicas skip them.

        On PostgreSQL the rows are locked with SKIP LOCKED while the lease is written, so two
        replicas never claim the same row. A process that dies mid-send loses its lease, and the
        row becomes due again when the lease ends.
        """
        with self.session() as session, session.begin():
            query = (
                select(Delivery)
                .where(
                    Delivery.status == "pending",
                    col(Delivery.next_attempt_at) <= now,
                    col(Delivery.channel).in_(channels),
                )
                .order_by(col(Delivery.id))
                .with_for_update(skip_locked=True)
            )
            rows = list(session.exec(query))
            for row in rows:
                row.next_attempt_at = now + lease
                session.add(row)
        return rows

    def pending_count(self) -> int:
        with self.session() as session:
            query = (
                select(sa.func.count()).select_from(Delivery).where(Delivery.status == "pending")
            )
            return int(session.exec(query).one())

    def event_records(self, ids: Sequence[str]) -> dict[str, EventRecord]:
        with self.session() as session:
            rows = session.exec(select(EventRecord).where(col(EventRecord.id).in_(ids)))
            return {row.id: row for row in rows}

    def mark_sent(self, delivery_ids: Sequence[int], now: datetime) -> None:
        with self.session() as session, session.begin():
            session.execute(
                sa.update(Delivery)
                .where(col(Delivery.id).in_(delivery_ids))
                .values(status="sent", sent_at=now, attempts=Delivery.attempts + 1, last_error=None)
            )

    def mark_failed(
        self, delivery_ids: Sequence[int], now: datetime, error: str, retry_in: timedelta | None
    ) -> None:
        """Record a failed attempt; ``retry_in=None`` means the failure is permanent."""
        values: dict[str, object] = {"attempts": Delivery.attempts + 1, "last_error": error[:500]}
        if retry_in is None:
            values["status"] = "failed"
        else:
            values["next_attempt_at"] = now + retry_in
        with self.session() as session, session.begin():
            session.execute(
                sa.update(Delivery).where(col(Delivery.id).in_(delivery_ids)).values(**values)
            )

    def deliveries(self, status: str | None = None) -> list[Delivery]:
        with self.session() as session:
            query = select(Delivery).order_by(col(Delivery.id))
            if status is not None:
                query = query.where(Delivery.status == status)
            return list(session.exec(query))


def _upsert_document(
    session: Session, document: Document | None, new: NewVersion, now: datetime
) -> Document:
    page = new.page
    if document is None:
        document = Document(
            url=new.url,
            source=new.source,
            agency=new.agency,
            title=page.title,
            doc_type=page.doc_type,
            published=page.published,
            fingerprint=new.fingerprint,
            version_count=1,
            first_seen_at=now,
            last_seen_at=now,
            last_changed_at=now,
        )
    else:
        document.title = page.title or document.title
        document.doc_type = page.doc_type
        document.published = page.published or document.published
        document.fingerprint = new.fingerprint
        document.version_count += 1
        document.last_seen_at = now
        document.last_changed_at = now
    session.add(document)
    return document


def _put_validators(session: Session, url: str, validators: Validators, now: datetime) -> None:
    row = session.get(HttpCache, url) or HttpCache(url=url, updated_at=now)
    row.etag, row.last_modified, row.updated_at = validators.etag, validators.last_modified, now
    session.add(row)


def _add_events(
    session: Session,
    events: Iterable[Event],
    channels: ChannelSelector,
    now: datetime,
    document_id: int | None,
) -> None:
    """Insert events not seen before, each with one pending delivery per selected channel."""
    for event in events:
        if session.get(EventRecord, event.id) is not None:
            continue  # a stable id seen before: re-running never duplicates
        session.add(
            EventRecord(
                id=event.id,
                type=event.type,
                source=event.source,
                agency=event.agency,
                url=event.url,
                title=event.title,
                document_id=document_id,
                payload=event.payload,
                detected_at=event.detected_at,
            )
        )
        session.flush()  # the delivery rows reference the event
        for channel in channels(event):
            session.add(Delivery(event_id=event.id, channel=channel, next_attempt_at=now))
