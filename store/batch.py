"""A check pass's reads and writes, in bulk: a ``Store`` that answers from memory.

Per document, a pass reads a few rows (its location and document, its validators, its source's
state; for a new document, every title and opening and a few texts to look for twins) and
writes a few (seen, validators, source state, or a version). One small ORM transaction each
cost more than fetching the document. A ``Batch`` loads the rows of every configured URL and
source with a few IN (...) queries, answers the pass's questions from memory, and buffers its
writes; the buffer is written in one transaction at the end of the pass, or every
``flush_every`` writes or ``max_versions`` versions, whose bodies take memory.

Every other store operation first flushes the buffer (``session()`` does), so it sees what the
pass has done so far: the batch answers exactly as the store would. A new document gets a
provisional, negative id until it is written; ``openings()``, ``latest_text()`` and the methods
that take a document id accept it. A new document that comes with events is written at once,
so its caller gets the real id (it records it with the announcement). A version and its
events are still written in one transaction, and a source is marked checked in the same
transaction as the versions its check found. Writes keep their order: a flush writes versions
first, then seen marks, validators and source states, and a version that touches rows an
earlier buffered write touches is preceded by a flush. Raw bodies are compressed in a worker
thread (zlib releases the GIL). When a flush fails, its writes are lost and the error
propagates: the next pass finds the same changes again, with the same event ids.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from monitor.models import Routed, Validators
from store import _bulk
from store._documents import (
    Openings,
    VersionWrite,
    compress_body,
    new_document_row,
    write_versions,
)
from store.repo import DocumentUpdate, NewVersion, Store, check_outcome
from store.tables import Commitment, Document, EventRecord, Location, SourceState

if TYPE_CHECKING:
    from monitor.commitments.model import Item

LATEST_KEPT = 256  # latest texts kept for twin searches: a few MB at most


@dataclass(frozen=True)
class _Version:
    """A buffered ``save_version``."""

    new: NewVersion  # its raw body is dropped: ``body`` compresses it meanwhile
    now: datetime
    events: tuple[Routed, ...]
    update: DocumentUpdate | None
    document_id: int  # real, or provisional (< 0) for the document ``row`` creates
    row: Document | None  # the new document's row, when this version creates it
    body: Future[bytes]


class Batch(Store):
    def __init__(
        self,
        store: Store,
        locations: Mapping[str, str],
        names: Sequence[str],
        *,
        flush_every: int = 1000,
        max_versions: int = 100,
    ) -> None:
        """``locations``: each URL the pass will ask for, and its canonical location."""
        self.__dict__.update(store.__dict__)  # the store's engine: no second pool, no migration
        self.flush_every, self.max_versions = flush_every, max_versions
        self._names, self._urls = set(names), set(locations)
        with Session(self.engine) as session:
            self._states = _bulk.load_states(session, names)
            self._found = _bulk.load_found(session, locations.values())
            self._validators = _bulk.load_validators(session, locations)
        self._buffer = _Buffer()
        self._openings: Openings | None = None  # id -> (title, opening), kept current
        self._opening_chars = 0
        self._texts: dict[int, tuple[Document, str]] = {}  # new documents' texts, by id
        # Known documents' latest texts, as read for twin searches (kept current by save_version)
        self._latest: OrderedDict[int, tuple[Document, str]] = OrderedDict()
        self._real: dict[int, int] = {}  # provisional id -> id once written
        self._next_key = -1
        self._compressor: ThreadPoolExecutor | None = None
        self._reading_written = False  # version_text: reads rows the buffer never changes

    def session(self) -> Session:
        """A session for any operation the batch does not answer: it sees the buffer."""
        if not self._reading_written:
            self.flush()
        return Session(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Write what is buffered (the engine belongs to the store the batch was made from)."""
        try:
            self.flush()
        finally:
            if self._compressor is not None:
                self._compressor.shutdown()

    # -- reading -------------------------------------------------------------------------------

    def source_state(self, name: str) -> SourceState:
        values = self._state_values(name)
        return super().source_state(name) if values is None else _state_copy(values)

    def validators(self, url: str) -> Validators:
        if url in self._validators:
            return self._validators[url]
        return Validators() if url in self._urls else super().validators(url)

    def find(self, location: str) -> tuple[Document, Location] | None:
        if location not in self._found or location in self._buffer.locations:
            self._found[location] = super().find(location)  # flushes first: never stale
        return self._found[location]

    def openings(self, chars: int) -> Openings:
        if self._openings is None or chars != self._opening_chars:
            self._openings = super().openings(chars)  # flushes first
            self._opening_chars = chars
        return self._openings  # read-only to callers; kept current by _note and _after_flush

    def latest_text(self, document_id: int) -> tuple[Document, str] | None:
        """Read once per document per pass (a twin search compares a look-alike many times)."""
        written = document_id >= 0 or document_id in self._real
        if document_id in self._texts and not (written and document_id in self._buffer.documents):
            return self._texts[document_id]  # a document new in this pass (maybe not written)
        real = self._real_id(document_id)
        if real in self._latest:
            self._latest.move_to_end(real)
            return self._latest[real]
        found = super().latest_text(real)
        if found is not None:
            self._latest[real] = found
            if len(self._latest) > LATEST_KEPT:
                self._latest.popitem(last=False)
        return found

    def numbered_text(self, version_id: int | None) -> tuple[int, str] | None:
        # A version never changes once written, and only written ones have ids: no flush.
        self._reading_written = True
        try:
            return super().numbered_text(version_id)
        finally:
            self._reading_written = False

    def home_location(self, document_id: int) -> str | None:
        # The first version of a document with no buffered version is written: no flush (an
        # edit asks this of every changed document).
        real = self._real_id(document_id)
        self._reading_written = real not in self._buffer.documents
        try:
            return super().home_location(real)
        finally:
            self._reading_written = False

    def ledger(
        self, document_id: int | None = None, pillar: int | None = None, status: str | None = None
    ) -> list[tuple[Commitment, Document]]:
        # The buffer never writes commitments; read without a flush unless a document in the
        # answer has buffered writes (its row would be stale).
        real = None if document_id is None else self._real_id(document_id)
        self._reading_written = True
        try:
            rows = super().ledger(real, pillar, status)
        finally:
            self._reading_written = False
        pending = self._buffer.documents | self._buffer.seen_documents
        if any(document.id in pending for _, document in rows):
            return super().ledger(real, pillar, status)
        return rows

    def locations(self, document_id: int) -> list[Location]:
        return super().locations(self._real_id(document_id))

    # -- writing -------------------------------------------------------------------------------

    def update_source(self, name: str, now: datetime, error: str | None) -> SourceState:
        values = self._state_values(name)
        if values is None:
            return super().update_source(name, now, error)
        before = _state_copy(values)
        values.update(check_outcome(now, error, values["consecutive_failures"]))
        self._buffer.checked.add(name)
        self._flush_if_full()
        return before

    def set_error_reported(
        self,
        name: str,
        events: Iterable[Routed] = (),
        now: datetime | None = None,
    ) -> None:
        super().set_error_reported(name, events, now)
        if name in self._states:
            self._states[name]["error_reported"] = True

    def remember_validators(self, url: str, validators: Validators, now: datetime) -> None:
        self._buffer.http[url] = (validators, now)
        self._validators[url] = validators
        self._flush_if_full()

    def mark_seen(
        self,
        document_id: int,
        location: tuple[str, str],
        validators: Validators,
        now: datetime,
        update: DocumentUpdate | None = None,
        events: Sequence[Routed] = (),
    ) -> None:
        update = update or DocumentUpdate()
        if events or update.status or update.current_url or update.new_locations:
            real = self._real_id(document_id)  # news (a move, a restoration): write it now
            super().mark_seen(real, location, validators, now, update, events)
            self._forget(real)
            return
        canonical, asked = location
        self._buffer.seen[(document_id, canonical)] = (update.location_status, update.last_url, now)
        self._buffer.seen_documents.add(document_id)
        self.remember_validators(asked, validators, now)
        found = self._found.get(canonical)
        if found is not None and found[1].document_id == document_id:
            found[0].last_seen_at = now
            found[1].status = update.location_status or found[1].status
            found[1].last_url = update.last_url or found[1].last_url

    def update_document(
        self,
        document_id: int,
        now: datetime,
        update: DocumentUpdate,
        events: Sequence[Routed] = (),
        location: str | None = None,
    ) -> None:
        real = self._real_id(document_id)
        super().update_document(real, now, update, events, location)
        self._forget(real)

    def update_event_payload(self, event_id: str, **fields: object) -> None:
        """Buffered: an announcement naming each copy found in the pass is written once per
        flush, not once per copy (N copies rewrote a growing list N times)."""
        self._buffer.payloads.setdefault(event_id, {}).update(fields)
        self._flush_if_full()

    def put_ledger(self, document_id: int, items: Sequence[Item], now: datetime) -> None:
        super().put_ledger(self._real_id(document_id), items, now)

    def add_item_link(
        self, document_id: int, item: Item, link: dict[str, Any], status: str
    ) -> None:
        super().add_item_link(self._real_id(document_id), item, link, status)

    def save_version(
        self,
        new: NewVersion,
        now: datetime,
        events: Sequence[Routed] = (),
        update: DocumentUpdate | None = None,
        document_id: int | None = None,
    ) -> Document:
        """Buffered; returns the document as it will be written (a new one: provisional id)."""
        asked = new.requested_url or new.fetched_url
        if self._buffer.touches(document_id, new, update):
            self.flush()  # an earlier write touches the same rows: keep the order
        key = self._new_key() if document_id is None else document_id
        row = new_document_row(new, now) if document_id is None else None
        if row is not None:
            row.id = key  # provisional: the database gives the real one when it is written
        body = self._compress(new.raw_body) if new.compressed_body is None else _done(new)
        # The compressed copy is the one kept until written.
        slim = replace(new, raw_body=b"", compressed_body=None)
        self._buffer.add(_Version(slim, now, tuple(events), update, key, row, body), asked)
        self._validators[asked] = new.validators
        self._keep_latest(document_id, new, update)
        document = self._note(key, new, now, row)
        if events and document_id is None:
            self.flush()  # a new document announced: its caller records the real id with it
            return self._written(key, document)
        self._flush_if_full()
        return document

    # -- the buffer ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write everything buffered, in one transaction."""
        buffer, self._buffer = self._buffer, _Buffer()
        if buffer.empty:
            return
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            written = self._write(session, buffer.versions)
            _bulk.touch(session, buffer.seen)
            _bulk.put_all_validators(session, buffer.http)
            states = [self._states[name] for name in buffer.checked]
            _bulk.upsert(session, SourceState, "name", states)
            for event_id, fields in buffer.payloads.items():
                record = session.get(EventRecord, event_id)
                if record is not None:
                    record.payload = {**record.payload, **fields}
        self._after_flush(buffer, written)

    def _flush_if_full(self) -> None:
        buffer = self._buffer
        if buffer.size >= self.flush_every or len(buffer.versions) >= self.max_versions:
            self.flush()

    def _write(self, session: Session, versions: list[_Version]) -> list[Document]:
        created: dict[int, Document] = {}  # provisional id -> the row its first version makes
        for version in versions:
            if version.row is not None:
                version.row.id = None  # provisional: the INSERT gives the real one
                created[version.document_id] = version.row
        ids = [self._real.get(v.document_id, v.document_id) for v in versions if v.row is None]
        known = {row.id: row for row in _bulk.load(session, Document, "id", ids)}
        writes = [
            VersionWrite(
                v.row
                or created.get(v.document_id)
                or known[self._real.get(v.document_id, v.document_id)],
                v.new,
                v.now,
                v.events,
                v.update,
                v.body.result(),
            )
            for v in versions
        ]
        written = write_versions(session, writes)
        for version, document in zip(versions, written, strict=True):
            if version.row is not None:
                assert document.id is not None
                self._real[version.document_id] = document.id
        return written

    def _compress(self, raw_body: bytes) -> Future[bytes]:
        """Compress in a worker thread: zlib releases the GIL, so this overlaps fetching."""
        if self._compressor is None:
            self._compressor = ThreadPoolExecutor(1, thread_name_prefix="compress")
        return self._compressor.submit(compress_body, raw_body)

    def _after_flush(self, buffer: _Buffer, written: list[Document]) -> None:
        """Written rows replace provisional ones in memory; touched locations are re-read.

        Written texts are dropped: the store has them (a twin search reads the few it needs),
        and a first pass keeping every page's text would hold ~20 MB per 1000 pages.
        """
        for version, document in zip(buffer.versions, written, strict=True):
            self._texts.pop(version.document_id, None)
            if version.row is not None and document.id is not None:
                if self._openings is not None:
                    self._openings.renumber(version.document_id, document.id)
        if buffer.locations:
            with Session(self.engine) as session:
                self._found.update(_bulk.load_found(session, buffer.locations))

    # -- helpers -------------------------------------------------------------------------------

    def _state_values(self, name: str) -> dict[str, Any] | None:
        if name not in self._names:
            return None  # a source the batch was not made for: the store answers
        if name not in self._states:
            self._states[name] = {**_new_state(), "name": name}
        return self._states[name]

    def _real_id(self, document_id: int) -> int:
        if document_id >= 0:
            return document_id
        if document_id not in self._real:
            self.flush()
        return self._real[document_id]

    def _new_key(self) -> int:
        key, self._next_key = self._next_key, self._next_key - 1
        return key

    def _note(self, key: int, new: NewVersion, now: datetime, row: Document | None) -> Document:
        """Keep a new version's title, opening and text for twin searches until it is written.

        Returns the document as this version leaves it, for callers that read it: a new one's
        own row (its id provisional until written), else what the batch holds of it.
        """
        if self._openings is not None:
            title = new.page.title or self._openings.get(key, (row.title if row else "", ""))[0]
            self._openings[key] = (title, new.page.text[: self._opening_chars])
        if row is not None:
            self._texts[key] = (row, new.page.text)
            return row
        if key in self._texts:  # a new document's second version (another publisher's copy)
            self._texts[key] = (self._texts[key][0], new.page.text)
        found = self._found.get(new.location)
        if found is not None:
            return found[0]
        if key in self._texts:
            return self._texts[key][0]
        return Document.model_validate({**new_document_row(new, now).model_dump(), "id": key})

    def _keep_latest(
        self, document_id: int | None, new: NewVersion, update: DocumentUpdate | None
    ) -> None:
        """A known document's new version is its latest text now. A copy's version leaves the
        document's own row as it was, so only its text changes; any other is read again."""
        real = self._real.get(document_id, document_id) if document_id is not None else None
        if real is None or real not in self._latest:
            return
        if update is not None and update.copy:
            self._latest[real] = (self._latest[real][0], new.page.text)
        else:
            del self._latest[real]

    def _written(self, key: int, document: Document) -> Document:
        """After a flush: the written row of ``document`` (a new one's own row has its id)."""
        if document.id is not None and document.id >= 0:
            return document
        with Session(self.engine, expire_on_commit=False) as session:
            written = session.get(Document, self._real.get(key, key))
        assert written is not None
        return written

    def _forget(self, document_id: int) -> None:
        """Another store operation changed this document: read it again when asked."""
        self._texts.pop(document_id, None)
        self._latest.pop(document_id, None)
        for location, found in list(self._found.items()):
            if found is not None and found[0].id == document_id:
                del self._found[location]


@dataclass
class _Buffer:
    versions: list[_Version] = field(default_factory=list)
    # (document id, canonical location) -> (location status, last URL, when): mark_seen's writes
    seen: dict[tuple[int, str], tuple[str | None, str | None, datetime]] = field(
        default_factory=dict
    )
    http: dict[str, tuple[Validators, datetime]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    # What the buffered versions touch, to keep the order of two writes to one row.
    documents: set[int] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    seen_documents: set[int] = field(default_factory=set)
    payloads: dict[str, dict[str, object]] = field(default_factory=dict)  # event id -> fields

    @property
    def size(self) -> int:
        parts = (self.versions, self.seen, self.http, self.checked, self.payloads)
        return sum(map(len, parts))

    @property
    def empty(self) -> bool:
        return self.size == 0

    def touches(
        self, document_id: int | None, new: NewVersion, update: DocumentUpdate | None
    ) -> bool:
        """Whether a version would write rows an earlier buffered write writes too."""
        urls = (new.location, *(update.new_locations if update else ()))
        asked = new.requested_url or new.fetched_url
        # Versions of one document may share a flush (its copies: write_versions numbers them
        # in order); a seen mark of it may not, for it is written after the versions.
        return (
            (document_id is not None and document_id in self.seen_documents)
            or any(url in self.locations for url in urls)
            or asked in self.urls
            or asked in self.http
        )

    def add(self, version: _Version, asked: str) -> None:
        self.versions.append(version)
        self.documents.add(version.document_id)
        self.locations.add(version.new.location)
        self.locations.update(version.update.new_locations if version.update else ())
        self.urls.add(asked)


def _state_copy(values: dict[str, Any]) -> SourceState:
    """A read-only copy of a source's state. Not validated: the values are our own rows'
    (validating cost ~40 us, twice per source per pass)."""
    return SourceState.model_construct(**values)


@functools.cache
def _new_state() -> dict[str, Any]:
    return SourceState(name="").model_dump()


def _done(new: NewVersion) -> Future[bytes]:
    """A body compressed already (by the fetch helper), as if by the worker thread."""
    done: Future[bytes] = Future()
    done.set_result(new.compressed_body or b"")
    return done
